"""A provider answers a red or amber rating on a return; the commissioner rules on a challenge."""

from __future__ import annotations

from commissioning.indicators import Rag, format_value, rag
from commissioning.periods import Month, Quarter
from commissioning.roles import RETURN_REVIEWERS, Permission, allowed
from dialogs.base import Refused, Reply, Turn
from dialogs.common import NO_ROLE, contract_for
from dialogs.improvement.cards.ratings import (
    KIND_WORDS,
    RULED,
    SENT,
    SENT_CHALLENGE,
    Rated,
    RatingView,
    rating_card,
    rating_form_card,
)
from dialogs.improvement.common import record
from dialogs.improvement.payloads import NOTE_MAX, RatingOpen, RatingRule
from dialogs.inputs import input_text
from storage.contracts import indicator_spec
from storage.improvement_models import RatingResponse
from storage.models import Contract, MonthlyReturn

TEXT_MIN = 10


async def _rated(turn: Turn, return_id: int) -> tuple[MonthlyReturn, Contract, str, list[Rated]]:
    """The submitted return the provider may answer, its month, and its red and amber ratings."""
    monthly = await turn.repos.returns.get(return_id)
    if monthly is None or not monthly.current_version:
        raise Refused(NO_ROLE, reason="unknown return")
    contract = contract_for(turn, monthly.contract_id, Permission.SUBMIT_RETURN)
    latest = await turn.repos.returns.version(monthly.id, monthly.current_version)
    period = await turn.repos.returns.period(monthly.period_id)
    values = latest.values if latest else {}
    rated = []
    for indicator in await turn.repos.contracts.indicators(contract.id):
        spec = indicator_spec(indicator)
        rating = rag(spec, values.get(indicator.code))
        if rating in (Rag.RED, Rag.AMBER) and rating is not None:
            rated.append(
                Rated(indicator.code, indicator.name, rating, format_value(spec, values.get(indicator.code)))
            )
    month = Month.of(period.starts_on).label if period else ""
    return monthly, contract, month, rated


async def open_form(turn: Turn, payload: RatingOpen) -> Reply:
    monthly, contract, month, rated = await _rated(turn, payload.return_id)
    if not rated:
        raise Refused(
            f"No indicator on the {month} return is rated red or amber.", reason="no rating to answer"
        )
    return Reply(card=rating_form_card(contract, month, monthly.id, rated))


def read_answer(turn: Turn, rated: list[Rated]) -> tuple[dict[str, str], Rated | None, dict[str, str]]:
    """The form's entries as typed, the rating chosen, and what is wrong beside each field."""
    values = {k: input_text(turn.raw, k, NOTE_MAX) for k in ("code", "kind", "text")}
    chosen = next((r for r in rated if r.code == values["code"]), None)
    errors: dict[str, str] = {}
    if chosen is None:
        errors["code"] = "Choose the red or amber rating you are answering."
    if values["kind"] not in KIND_WORDS:
        errors["kind"] = "Choose whether this explains the rating or challenges it."
    if len(values["text"]) < TEXT_MIN:
        errors["text"] = "Say what the commissioner should know, in a sentence or two."
    elif len(values["text"]) > NOTE_MAX:
        errors["text"] = f"Keep it under {NOTE_MAX:,} characters."
    return values, chosen, errors


async def send(turn: Turn, payload: RatingOpen) -> Reply:
    monthly, contract, month, rated = await _rated(turn, payload.return_id)
    values, chosen, errors = read_answer(turn, rated)
    if errors or chosen is None:
        card = rating_form_card(contract, month, monthly.id, rated, values=values, errors=errors)
        return Reply(card=card, replace=True)
    answer = RatingResponse(
        contract_id=contract.id,
        return_id=monthly.id,
        version=monthly.current_version,
        code=chosen.code,
        name=chosen.name,
        rating=chosen.rating.value,
        kind=values["kind"],
        text=values["text"],
        by_id=turn.person.id,
        at=turn.now,
    )
    return await file_answer(turn, answer, contract, month)


async def file_answer(turn: Turn, answer: RatingResponse, contract: Contract, period: str) -> Reply:
    """Store the provider's answer, record it, tell the commissioning team, and show it."""
    answer = await turn.repos.improvement.add(answer)
    record(
        turn,
        "rating",
        answer.id,
        contract.id,
        state=answer.kind,
        note=answer.text,
        after={"code": answer.code, **({"quarter": answer.quarter} if answer.quarter else {})},
    )
    notified = await _tell(turn, answer, contract, period)
    note = SENT_CHALLENGE if answer.kind == "challenge" else SENT
    return Reply(card=await _card(turn, answer, contract, period, note=note), replace=True, notify=notified)


async def _tell(turn: Turn, answer: RatingResponse, contract: Contract, month: str) -> bool:
    reviewers = await turn.repos.people.people_with_roles(contract.id, RETURN_REVIEWERS)
    for person in reviewers:
        title = f"The provider {'challenges' if answer.kind == 'challenge' else 'explains'} a rating: {answer.name}"
        await _send(turn, answer, contract, month, person.id, title)
    return bool(reviewers)


async def _send(
    turn: Turn, answer: RatingResponse, contract: Contract, month: str, person_id: int, title: str
) -> None:
    await turn.repos.outbox.enqueue(
        key=f"rating.{answer.ruling or answer.kind}:{answer.id}:{person_id}",
        kind=f"rating.{answer.ruling or answer.kind}",
        recipient_id=person_id,
        contract_id=contract.id,
        now=turn.now,
        payload={
            "card": await _card(turn, answer, contract, month, viewer_id=person_id, title=title),
            "summary": f"{contract.name}: {title}",
        },
    )


async def _card(
    turn: Turn,
    answer: RatingResponse,
    contract: Contract,
    month: str,
    *,
    note: str | None = None,
    title: str | None = None,
    viewer_id: int | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, object]:
    repos = turn.repos
    viewer = viewer_id if viewer_id is not None else turn.person.id
    roles = await repos.people.roles_on(viewer, contract.id)
    people = await repos.people.by_ids([answer.by_id, *([answer.ruled_by_id] if answer.ruled_by_id else [])])
    view = RatingView(
        answer,
        contract,
        month,
        people.get(answer.by_id),
        people.get(answer.ruled_by_id) if answer.ruled_by_id else None,
        allowed(roles, Permission.REVIEW_RETURN),
    )
    return rating_card(turn, view, note=note, title=title, values=values, errors=errors)


async def _load(
    turn: Turn, response_id: int, *, for_update: bool = False
) -> tuple[RatingResponse, Contract, str]:
    answer = await turn.repos.improvement.response(response_id, for_update=for_update)
    if answer is None:
        raise Refused(NO_ROLE, reason="unknown rating answer")
    contract = contract_for(turn, answer.contract_id, Permission.VIEW_RETURN)
    if answer.quarter is not None:
        return answer, contract, Quarter.parse(answer.quarter, contract.year_start_month).label
    monthly = await turn.repos.returns.get(answer.return_id) if answer.return_id else None
    period = await turn.repos.returns.period(monthly.period_id) if monthly else None
    return answer, contract, Month.of(period.starts_on).label if period else ""


async def rule(turn: Turn, payload: RatingRule) -> Reply:
    """The commissioner rules on a challenge, with a reason; the provider is told."""
    answer, contract, month = await _load(turn, payload.response_id, for_update=True)
    if not turn.may(contract.id, Permission.REVIEW_RETURN):
        raise Refused("Only the commissioner can rule on a challenge.", reason=f"rating.rule:{answer.id}")
    reason = input_text(turn.raw, "reason", NOTE_MAX)
    problem = ""
    if answer.kind != "challenge":
        problem = "This is an explanation, not a challenge: there is nothing to rule on."
    elif answer.ruling:
        problem = "This challenge has already been ruled on."
    if problem:
        return Reply(card=await _card(turn, answer, contract, month, errors={"_form": problem}), replace=True)
    if not reason:
        errors = {"reason": "Say why, for the provider and the minutes."}
        return Reply(card=await _card(turn, answer, contract, month, errors=errors), replace=True)
    answer.ruling, answer.ruling_reason = payload.ruling, reason
    answer.ruled_by_id, answer.ruled_at = turn.person.id, turn.now
    turn.repos.session.add(answer)
    record(turn, "rating", answer.id, contract.id, state=payload.ruling, note=reason)
    notified = answer.by_id != turn.person.id
    if notified:
        await _send(
            turn, answer, contract, month, answer.by_id, f"Your challenge was {payload.ruling}: {answer.name}"
        )
    return Reply(card=await _card(turn, answer, contract, month, note=RULED), replace=True, notify=notified)
