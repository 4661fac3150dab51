"""What the provider sees once a return is in: the receipt, or that the month's return was already made."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from commissioning.periods import Month
from dialogs.cards import card, execute, facts, heading, plain, text
from storage.models import Contract, MonthlyReturn

RECEIVED_FORMAT = "%H:%M on %A %d %B %Y"


def receipt_card(
    contract: Contract,
    month: Month,
    monthly: MonthlyReturn,
    version: int,
    reviewers: list[str],
    received_local: str,
    *,
    amended: bool,
) -> dict[str, Any]:
    title = f"Amendment received: {month.label}" if amended else f"Return received: {month.label}"
    pairs = [("Contract", plain(contract.name)), ("Received", received_local), ("Version", str(version))]
    if reviewers:
        pairs.append(("Sent to", plain(", ".join(reviewers))))
    body = [heading(title), facts(pairs)]
    body.append(
        text(
            "Thank you. The commissioner has been sent the return"
            + (
                " and what changed."
                if amended
                else ", and the review meeting is due within five working days."
            )
        )
    )
    ref = {"contract_id": contract.id, "month": month.key}
    return card(
        body,
        [
            execute("View return", "return.view", {"return_id": monthly.id, "version": version}),
            execute("Amend return", "return.amend", ref),
        ],
    )


def already_submitted_card(
    contract: Contract, month: Month, monthly: MonthlyReturn, zone: ZoneInfo
) -> dict[str, Any]:
    received = monthly.received_at.astimezone(zone).strftime(RECEIVED_FORMAT) if monthly.received_at else ""
    body = [
        heading(f"{month.label} return already submitted"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
        facts([("Received", received), ("Current version", str(monthly.current_version))]),
        text(
            "You can view it, or amend it: the earlier version is kept and the commissioner is told what changed."
        ),
    ]
    ref = {"contract_id": contract.id, "month": month.key}
    return card(
        body,
        [
            execute("Amend return", "return.amend", ref),
            execute("View return", "return.view", {"return_id": monthly.id}),
            execute("Another month", "return.months", {"contract_id": contract.id}),
        ],
    )
