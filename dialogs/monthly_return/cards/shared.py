"""A return card shared in a channel: one card, refreshed by Teams into the view the reader's role allows.

Universal Actions' `refresh` names the contract's people (`userIds`, at most 60); Teams sends each of them an
`adaptiveCard/action` invoke with REFRESH_VERB, and Steward answers with their view. The server decides who
sees which buttons: the card only says which return it shows.
"""

from __future__ import annotations

from typing import Any

from dialogs.cards import card, execute, heading, subtle, text
from dialogs.monthly_return.cards.review import ReviewView, review_card

REFRESH_VERB = "return.view_refresh"
MAX_REFRESH_USERS = 60  # Teams refreshes automatically for at most 60 user ids


def refresh(return_id: int, version: int, user_ids: list[str]) -> dict[str, Any]:
    """The card's `refresh`: an Action.Execute with the return it shows, for the contract's people."""
    return {
        "action": {
            "type": "Action.Execute",
            "title": "Refresh",
            "verb": REFRESH_VERB,
            "data": {"verb": REFRESH_VERB, "return_id": return_id, "version": version},
        },
        "userIds": sorted(set(user_ids))[:MAX_REFRESH_USERS],
    }


def shared_card(
    view: ReviewView, user_ids: list[str], buttons: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The return as the channel sees it, with only `buttons` (none for a read-only view), and its refresh."""
    shown = {key: value for key, value in review_card(view).items() if key != "actions"}
    if buttons:
        shown["actions"] = buttons
    shown["refresh"] = refresh(view.monthly.id or 0, view.version, user_ids)
    return shown


def amend_button(contract_id: int, month: str) -> dict[str, Any]:
    return execute("Amend", "return.amend", {"contract_id": contract_id, "month": month})


def not_yours_card() -> dict[str, Any]:
    """What someone outside the return's contract gets from a refresh: nothing of the return, no buttons."""
    return card(
        [
            heading("Monthly return"),
            text("This return is shared with its contract team."),
            subtle("Only the people on the contract see its details and actions."),
        ]
    )
