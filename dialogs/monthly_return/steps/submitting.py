"""Submitting or amending a return: stored once as a new version, audited, sent to its reviewers."""

from __future__ import annotations

from commissioning.roles import RETURN_REVIEWERS
from dialogs.base import Reply, Turn
from dialogs.meetings import review_meeting_offer
from dialogs.monthly_return.cards.form import conflict_error, form_card
from dialogs.monthly_return.cards.receipt import RECEIVED_FORMAT, receipt_card
from dialogs.monthly_return.cards.review import ReviewView, review_card
from dialogs.monthly_return.cards.shared import shared_card
from dialogs.monthly_return.context import FilledForm, read_form
from dialogs.monthly_return.payloads import ReturnForm
from dialogs.monthly_return.steps.refreshing import refresh_user_ids
from storage.models import Person
from storage.outbox import CHANNEL_PREFIX
from storage.returns import SubmittedVersion, VersionConflict


async def submit(turn: Turn, payload: ReturnForm) -> Reply:
    form = await read_form(turn, payload, final=True)
    if form.errors:
        card = form_card(form.view(), errors=form.errors, based_on_version=payload.based_on_version)
        return Reply(card=card, replace=True)
    monthly = form.monthly
    previous = None
    if payload.based_on_version:
        previous = await turn.repos.returns.version(monthly.id, payload.based_on_version)
    try:
        version = await turn.repos.returns.submit(
            monthly,
            based_on_version=payload.based_on_version,
            values=form.values,
            indicators=form.indicators,
            narrative=form.narrative,
            by_id=turn.person.id,
            now=turn.now,
        )
    except VersionConflict:
        return await _conflict(turn, form)
    _audit(turn, form, version.version, previous)
    reviewers = await _send_for_review(turn, form, version.version, previous)
    receipt = receipt_card(
        form.contract,
        form.month,
        monthly,
        version.version,
        [r.name for r in reviewers],
        turn.local_now.strftime(RECEIVED_FORMAT),
        amended=previous is not None,
    )
    return Reply(card=receipt, replace=True, notify=True)


def _audit(turn: Turn, form: FilledForm, version: int, previous: SubmittedVersion | None) -> None:
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="return.amended" if previous is not None else "return.submitted",
        entity="monthly_return",
        entity_id=form.monthly.id,
        contract_id=form.contract.id,
        before={
            "version": previous.version.version,
            "values": previous.values,
            "narrative": previous.version.narrative,
        }
        if previous
        else {},
        after={"version": version, "values": form.values, "narrative": form.narrative},
    )


async def _send_for_review(
    turn: Turn, form: FilledForm, version: int, previous: SubmittedVersion | None
) -> list[Person]:
    """Each reviewer gets the review card in their chat; the contract team's channel gets it shared (one view a role)."""
    contract, monthly, amended = form.contract, form.monthly, previous is not None
    reviewers = await turn.repos.people.people_with_roles(contract.id, RETURN_REVIEWERS)
    provider = await turn.repos.contracts.organisation(contract.provider_org_id)
    shown = ReviewView(
        contract,
        form.month,
        monthly,
        version,
        form.indicators,
        form.values,
        form.narrative,
        submitted_by=turn.person.name,
        provider=provider.name if provider else "",
        received_local=turn.local_now.strftime(RECEIVED_FORMAT),
        previous=previous.values if previous else None,
        narrative_changed=bool(previous and previous.version.narrative != form.narrative),
    )
    # an amendment does not restart the meeting clock, so only the first receipt offers the meeting
    review = review_card(
        shown, None if amended else review_meeting_offer(turn, contract, monthly, form.month)
    )
    kind = "return.amended" if amended else "return.submitted"
    summary = f"{contract.name}: {form.month.label} return {'amended' if amended else 'received'}"
    for reviewer in reviewers:
        await turn.repos.outbox.enqueue(
            key=f"{kind}:{monthly.id}:v{version}:{reviewer.id}",
            kind=kind,
            recipient_id=reviewer.id,
            contract_id=contract.id,
            now=turn.now,
            payload={"card": review, "summary": summary},
        )
    if await turn.repos.conversations.channel(contract.id):
        # The contract team's channel sees the return too, without buttons; Teams refreshes it for each of the
        # contract's people into the view their role allows (steps/refreshing.py).
        shared = shared_card(shown, await refresh_user_ids(turn.repos, contract.id))
        await turn.repos.outbox.enqueue(
            key=f"{CHANNEL_PREFIX}{kind}:{monthly.id}:v{version}",
            kind=f"{CHANNEL_PREFIX}{kind}",
            recipient_id=None,
            contract_id=contract.id,
            now=turn.now,
            payload={"card": shared, "summary": summary},
        )
    return reviewers


async def _conflict(turn: Turn, form: FilledForm) -> Reply:
    """A second click, or someone else submitted first: never store twice, never lose what was typed."""
    monthly = form.monthly
    latest = await turn.repos.returns.version(monthly.id, monthly.current_version)
    if latest is not None and latest.values == form.values and latest.version.narrative == form.narrative:
        receipt = receipt_card(
            form.contract,
            form.month,
            monthly,
            monthly.current_version,
            [],
            latest.version.received_at.astimezone(turn.zone).strftime(RECEIVED_FORMAT),
            amended=monthly.current_version > 1,
        )
        return Reply(card=receipt, replace=True)
    card = form_card(
        form.view(),
        based_on_version=monthly.current_version,
        errors=conflict_error(monthly.current_version),
    )
    return Reply(card=card, replace=True)
