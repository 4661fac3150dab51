"""Opening the KPI card: pick the contract if several, the quarter defaults to the last closed one."""

from __future__ import annotations

from dialogs.base import Refused, Reply, Turn
from dialogs.quarter.cards.kpi_card import kpi_card
from dialogs.quarter.cards.picker import quarter_picker_card
from dialogs.quarter.context import SEE, contract_and_quarter, default_quarter, load_view
from dialogs.quarter.payloads import QuarterRef, StartQuarter
from storage.quarter import has_quarter


async def start(turn: Turn, payload: StartQuarter) -> Reply:
    if payload.contract_id is not None:
        return await _show(turn, payload.contract_id, payload.quarter)
    contracts = [c for c in turn.contracts_where(SEE) if has_quarter(c)]
    if not contracts:
        raise Refused(
            "The KPI card is for a contract with KPIs, a fee for service or payment by results.",
            reason="no kpi contract",
        )
    if len(contracts) == 1:
        return await _show(turn, contracts[0].id, None)
    return Reply(card=quarter_picker_card([(c, default_quarter(turn, c)) for c in contracts]), replace=True)


async def show(turn: Turn, payload: QuarterRef) -> Reply:
    return await _show(turn, payload.contract_id, payload.quarter)


async def _show(turn: Turn, contract_id: int, key: str | None) -> Reply:
    contract, quarter = contract_and_quarter(turn, contract_id, key, SEE)
    return Reply(card=kpi_card(await load_view(turn, contract, quarter), turn.zone), replace=True)
