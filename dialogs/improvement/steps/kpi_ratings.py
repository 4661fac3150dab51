"""A provider answers a red or amber KPI on the KPI card: an explanation, or a challenge the commissioner rules on.

The answer is a `RatingResponse` like an answer to a PI on a return, naming the quarter instead of a
return; the commissioner rules on it with `improve.rating_rule` (steps/ratings.py).
"""

from __future__ import annotations

from commissioning.indicators import Rag
from commissioning.periods import Quarter
from commissioning.quarter.payment import achievement_rag
from dialogs.base import Refused, Reply, Turn
from dialogs.improvement.cards.ratings import Rated, kpi_rating_form_card
from dialogs.improvement.payloads import KpiRatingOpen, KpiRatingRef
from dialogs.improvement.steps.ratings import file_answer, read_answer
from dialogs.quarter.cards.words import number, share
from dialogs.quarter.context import ANSWER, contract_and_quarter
from storage.improvement_models import RatingResponse
from storage.models import Contract
from storage.quarter import WorkedQuarter


async def _rated(
    turn: Turn, contract_id: int, key: str
) -> tuple[Contract, Quarter, WorkedQuarter, list[Rated]]:
    """The quarter the provider may answer on, and its live KPIs rated red or amber (`achievement_rag`)."""
    contract, quarter = contract_and_quarter(turn, contract_id, key, ANSWER)
    worked = await turn.repos.quarter.work_out(contract, quarter)
    rated = []
    for line in worked.payment.lines:
        rating = achievement_rag(line.achievement) if line.live else None
        if rating in (Rag.RED, Rag.AMBER) and rating is not None and line.result.value is not None:
            shown = f"{number(line.result.value)}, {share(line.achievement)} achieved"
            rated.append(Rated(line.kpi.code, line.kpi.name, rating, shown))
    return contract, quarter, worked, rated


async def open_form(turn: Turn, payload: KpiRatingOpen) -> Reply:
    contract, quarter, _, rated = await _rated(turn, payload.contract_id, payload.quarter)
    if not rated:
        raise Refused(f"No KPI is rated red or amber in {quarter.label}.", reason="no rating to answer")
    values = {"code": payload.code} if payload.code else {}
    return Reply(card=kpi_rating_form_card(contract, quarter.key, quarter.label, rated, values=values))


async def send(turn: Turn, payload: KpiRatingRef) -> Reply:
    contract, quarter, worked, rated = await _rated(turn, payload.contract_id, payload.quarter)
    values, chosen, errors = read_answer(turn, rated)
    if errors or chosen is None:
        card = kpi_rating_form_card(contract, quarter.key, quarter.label, rated, values=values, errors=errors)
        return Reply(card=card, replace=True)
    answer = RatingResponse(
        contract_id=contract.id,
        return_id=None,
        quarter=quarter.key,
        version=worked.kpi_return.version if worked.kpi_return is not None else 0,
        code=chosen.code,
        name=chosen.name,
        rating=chosen.rating.value,
        kind=values["kind"],
        text=values["text"],
        by_id=turn.person.id,
        at=turn.now,
    )
    return await file_answer(turn, answer, contract, quarter.label)
