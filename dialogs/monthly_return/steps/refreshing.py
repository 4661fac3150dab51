"""A shared return card's refresh: the view the invoking person's role on the contract allows."""

from __future__ import annotations

from typing import Any

from commissioning.meetings import meeting_for_return
from commissioning.periods import Month
from commissioning.roles import Permission, Role
from dialogs.base import Reply, Turn
from dialogs.cards import subtle
from dialogs.common import when_text
from dialogs.meetings import review_meeting_offer
from dialogs.monthly_return.cards.receipt import RECEIVED_FORMAT
from dialogs.monthly_return.cards.review import ReviewView
from dialogs.monthly_return.cards.shared import amend_button, not_yours_card, shared_card
from dialogs.monthly_return.payloads import RefreshReturn
from storage.models import Contract, MonthlyReturn
from storage.repositories import Repositories


async def view_refresh(turn: Turn, payload: RefreshReturn) -> Reply:
    """Provider: Amend. Commissioning side: Schedule meeting. Anyone else, or a forged refresh: read-only."""
    monthly = await turn.repos.returns.get(payload.return_id)
    if monthly is None or not turn.may(monthly.contract_id, Permission.VIEW_RETURN):
        _audit_outsider(turn, payload, monthly)
        return Reply(card=not_yours_card())
    contract = await turn.repos.session.get(Contract, monthly.contract_id)
    view = await shared_view(turn.repos, contract, monthly, payload.version, turn) if contract else None
    if contract is None or view is None:
        return Reply(card=not_yours_card())
    buttons: list[dict[str, Any]] = []
    if turn.may(contract.id or 0, Permission.SUBMIT_RETURN) and payload.version == monthly.current_version:
        buttons.append(amend_button(contract.id or 0, view.month.key))
    body_extra: list[dict[str, Any]] = []
    if turn.may(contract.id or 0, Permission.SCHEDULE_MEETING):
        body_extra, offered = await _meeting_part(turn, contract, monthly, view.month)
        buttons += offered
    card = shared_card(view, await refresh_user_ids(turn.repos, contract.id or 0), buttons)
    card["body"].extend(body_extra)
    return Reply(card=card)


async def _meeting_part(
    turn: Turn, contract: Contract, monthly: MonthlyReturn, month: Month
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The review meeting's offer while it has no time; once it has one, when it is, and nothing to press."""
    slot = meeting_for_return(month, contract.year_start_month)
    meeting = await turn.repos.meetings.find_meeting(contract.id or 0, slot.kind.value, slot.period_start)
    if meeting is not None and meeting.status == "held":
        return [subtle("The review meeting has been held.")], []
    if meeting is not None and meeting.scheduled_for is not None:
        return [subtle(f"Review meeting: {when_text(meeting.scheduled_for, turn.zone)}.")], []
    offer = review_meeting_offer(turn, contract, monthly, month)
    return (offer.elements, offer.buttons) if offer is not None else ([], [])


async def shared_view(
    repos: Repositories, contract: Contract, monthly: MonthlyReturn, number: int, turn: Turn
) -> ReviewView | None:
    """One submitted version as the channel shows it, or None when that version does not exist."""
    submitted = await repos.returns.version(monthly.id, number)
    period = await repos.returns.period(monthly.period_id)
    if submitted is None or period is None:
        return None
    previous = await repos.returns.version(monthly.id, number - 1) if number > 1 else None
    submitter = (await repos.people.by_ids([submitted.version.submitted_by_id])).get(
        submitted.version.submitted_by_id
    )
    provider = await repos.contracts.organisation(contract.provider_org_id)
    return ReviewView(
        contract,
        Month.of(period.starts_on),
        monthly,
        number,
        await repos.contracts.indicators(contract.id or 0),
        submitted.values,
        submitted.version.narrative,
        submitted_by=submitter.name if submitter else "",
        provider=provider.name if provider else "",
        received_local=submitted.version.received_at.astimezone(turn.zone).strftime(RECEIVED_FORMAT),
        previous=previous.values if previous else None,
        narrative_changed=bool(previous and previous.version.narrative != submitted.version.narrative),
    )


async def refresh_user_ids(repos: Repositories, contract_id: int) -> list[str]:
    """The Teams user ids of the contract's people Steward has heard from: who Teams refreshes the card for."""
    people = await repos.people.people_with_roles(contract_id, frozenset(Role))
    return [person.teams_user_id for person in people if person.teams_user_id]


def _audit_outsider(turn: Turn, payload: RefreshReturn, monthly: MonthlyReturn | None) -> None:
    """A refresh from outside the contract is a forged one: recorded like any refused action."""
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="refused",
        entity="verb",
        entity_id="return.view_refresh",
        contract_id=monthly.contract_id if monthly else None,
        after={"reason": "view_return", "verb": "return.view_refresh", "data": payload.model_dump()},
    )
