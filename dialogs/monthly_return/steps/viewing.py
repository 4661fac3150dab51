"""Viewing a submitted return, any version, as its reviewers see it: what it changed, and its version history."""

from __future__ import annotations

from commissioning.periods import Month
from commissioning.roles import Permission
from dialogs.base import Refused, Reply, Turn
from dialogs.common import contract_for
from dialogs.improvement.cards.ratings import answer_rating
from dialogs.monthly_return.cards.history import history_section
from dialogs.monthly_return.cards.receipt import RECEIVED_FORMAT
from dialogs.monthly_return.cards.review import ReviewView, review_card
from dialogs.monthly_return.payloads import ViewReturn


async def view(turn: Turn, payload: ViewReturn) -> Reply:
    monthly = await turn.repos.returns.get(payload.return_id)
    if monthly is None:
        raise Refused("That return does not exist.", reason="unknown return")
    contract = contract_for(turn, monthly.contract_id, Permission.VIEW_RETURN)
    number = payload.version or monthly.current_version
    submitted = await turn.repos.returns.version(monthly.id, number) if number else None
    period = await turn.repos.returns.period(monthly.period_id)
    if submitted is None or period is None:
        raise Refused("That return has not been submitted yet.", reason="no version")
    # an amendment is shown with what it changed from the version before it
    previous = await turn.repos.returns.version(monthly.id, number - 1) if number > 1 else None
    versions = await turn.repos.returns.versions(monthly.id)
    people = await turn.repos.people.by_ids(v.submitted_by_id for v in versions)
    indicators = await turn.repos.contracts.indicators(contract.id)
    provider = await turn.repos.contracts.organisation(contract.provider_org_id)
    submitter = people.get(submitted.version.submitted_by_id)
    shown = ReviewView(
        contract,
        Month.of(period.starts_on),
        monthly,
        number,
        indicators,
        submitted.values,
        submitted.version.narrative,
        submitted_by=submitter.name if submitter else "",
        provider=provider.name if provider else "",
        received_local=submitted.version.received_at.astimezone(turn.zone).strftime(RECEIVED_FORMAT),
        previous=previous.values if previous else None,
        narrative_changed=bool(previous and previous.version.narrative != submitted.version.narrative),
    )
    history = history_section(
        monthly.id, versions, people, turn.zone, shown=number, current=monthly.current_version
    )
    card = review_card(shown, history=history)
    if turn.may(contract.id, Permission.SUBMIT_RETURN) and number == monthly.current_version:
        card["actions"].extend(answer_rating(monthly.id, indicators, submitted.values))
    return Reply(card=card)
