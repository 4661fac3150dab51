"""Opening a KPI return: pick the contract, open the quarter's form, or open it to amend."""

from __future__ import annotations

from commissioning.periods import Quarter
from commissioning.quarter.kpi_return import KpiEntry
from commissioning.quarter.kpis import Kpi
from commissioning.quarter.payment_terms import CohortEntry
from commissioning.roles import Permission
from dialogs.base import Refused, Reply, Turn
from dialogs.common import contract_for
from dialogs.kpi_return.cards.form import KpiFormView, kpi_form_card
from dialogs.kpi_return.cards.picker import kpi_contract_picker_card
from dialogs.kpi_return.cards.receipt import RECEIVED_FORMAT, kpi_already_submitted_card
from dialogs.kpi_return.context import (
    cohort_asked,
    default_quarter,
    kpis_asked,
    quarter_of,
    stored_cohort,
    stored_entries,
)
from dialogs.kpi_return.payloads import KpiReturnRef, StartKpiReturn
from storage.models import Contract
from storage.quarter import contract_term, uses_pbr


async def start(turn: Turn, payload: StartKpiReturn) -> Reply:
    if not turn.contracts_where(Permission.SUBMIT_RETURN):
        raise Refused("Only a provider contact or head of service can submit a KPI return.", reason="no role")
    if payload.contract_id is not None:
        contract = contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
        quarter = payload.quarter or default_quarter(turn, contract).key
        return await open_form(turn, contract, quarter_of(turn, contract, quarter))
    contracts = [c for c in turn.contracts_where(Permission.SUBMIT_RETURN) if c.kpis or uses_pbr(c)]
    if not contracts:
        raise Refused("None of your contracts has KPIs to report on.", reason="no kpis")
    if len(contracts) == 1:
        only = contracts[0]
        return await open_form(turn, only, quarter_of(turn, only, default_quarter(turn, only).key))
    choices = [(c, default_quarter(turn, c).key, default_quarter(turn, c).label) for c in contracts]
    return Reply(card=kpi_contract_picker_card(choices), replace=True)


async def open_return(turn: Turn, payload: KpiReturnRef) -> Reply:
    contract = contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
    return await open_form(turn, contract, quarter_of(turn, contract, payload.quarter))


async def amend(turn: Turn, payload: KpiReturnRef) -> Reply:
    contract = contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
    quarter = quarter_of(turn, contract, payload.quarter)
    kpis = kpis_asked(contract, quarter)
    found = await turn.repos.quarter.find_return(contract.id, quarter)
    current = await turn.repos.quarter.current(contract.id, quarter)
    if found is None or current is None:
        return await open_form(turn, contract, quarter)
    entries = stored_entries(current.values, current.evidence)
    cohort = stored_cohort(contract, current.cohort)
    view = _view(contract, quarter, kpis, entries, found.current_version, cohort)
    return Reply(card=kpi_form_card(view), replace=True)


async def open_form(turn: Turn, contract: Contract, quarter: Quarter) -> Reply:
    """The quarter's form; the already-submitted card once it is in."""
    kpis = kpis_asked(contract, quarter)
    found = await turn.repos.quarter.find_return(contract.id, quarter)
    if found is not None and found.current_version and found.received_at is not None:
        received = found.received_at.astimezone(turn.zone).strftime(RECEIVED_FORMAT)
        card = kpi_already_submitted_card(contract, quarter, found.current_version, received)
        return Reply(card=card, replace=True)
    view = _view(contract, quarter, kpis, {}, 0, cohort_asked(contract))
    return Reply(card=kpi_form_card(view), replace=True)


def _view(
    contract: Contract,
    quarter: Quarter,
    kpis: tuple[Kpi, ...],
    entries: dict[str, KpiEntry],
    version: int,
    cohort: CohortEntry | None,
) -> KpiFormView:
    year = contract_term(contract).year_of(quarter)
    return KpiFormView(contract, quarter, year, kpis, entries, version, cohort)
