"""Opening a return: pick the contract, open the month's form (or its draft), or open it to amend."""

from __future__ import annotations

from commissioning.periods import Month, last_completed_month
from commissioning.roles import Permission
from dialogs.base import Refused, Reply, Turn
from dialogs.cards import plain
from dialogs.common import contract_for
from dialogs.monthly_return.cards.form import FormView, form_card, resumed_note
from dialogs.monthly_return.cards.months import also_open_line
from dialogs.monthly_return.cards.picker import contract_picker_card
from dialogs.monthly_return.cards.receipt import already_submitted_card
from dialogs.monthly_return.context import check_month, entry_text
from dialogs.monthly_return.log import load_open_months
from dialogs.monthly_return.payloads import ReturnRef, StartReturn
from storage.models import Contract


async def start(turn: Turn, payload: StartReturn) -> Reply:
    contracts = turn.contracts_where(Permission.SUBMIT_RETURN)
    if not contracts:
        raise Refused(
            "Only a provider contact or head of service can submit a monthly return.", reason="no role"
        )
    month = Month.parse(payload.month) if payload.month else last_completed_month(turn.local_now.date())
    if payload.contract_id is not None:
        contract = contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
        return await open_form(turn, contract, month)
    if len(contracts) == 1:
        return await open_form(turn, contracts[0], month)
    return Reply(card=contract_picker_card(contracts, month), replace=True)


async def open_return(turn: Turn, payload: ReturnRef) -> Reply:
    contract = contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
    return await open_form(turn, contract, Month.parse(payload.month))


async def amend(turn: Turn, payload: ReturnRef) -> Reply:
    contract = contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
    month = Month.parse(payload.month)
    monthly = await turn.repos.returns.find(contract.id, month)
    if monthly is None or monthly.current_version == 0:
        return await open_form(turn, contract, month)
    indicators = await turn.repos.contracts.indicators(contract.id)
    note = None  # the form itself says which version is amended and that it is kept
    if monthly.draft_saved_at is not None:
        entries, narrative = dict(monthly.draft_values), monthly.draft_narrative
        note = resumed_note(monthly.draft_saved_at, turn.zone)
    else:
        latest = await turn.repos.returns.version(monthly.id, monthly.current_version)
        assert latest is not None
        entries = {code: entry_text(value) for code, value in latest.values.items()}
        narrative = latest.version.narrative
    view = FormView(contract, month, indicators, entries, narrative, monthly)
    return Reply(card=form_card(view, note=note), replace=True)


async def open_form(turn: Turn, contract: Contract, month: Month) -> Reply:
    """The month's form, with its draft if one was saved; the already-submitted card once it is in."""
    check_month(contract, month, turn)
    indicators = await turn.repos.contracts.indicators(contract.id)
    if not indicators:
        raise Refused(
            f"{plain(contract.name)} has no monthly indicators set up yet. Ask an administrator.",
            reason="no indicators",
        )
    monthly = await turn.repos.returns.find(contract.id, month)
    if monthly is not None and monthly.current_version and monthly.draft_saved_at is None:
        return Reply(card=already_submitted_card(contract, month, monthly, turn.zone), replace=True)
    entries = dict(monthly.draft_values) if monthly else {}
    narrative = monthly.draft_narrative if monthly else ""
    note = None
    if monthly is not None and monthly.draft_saved_at is not None:
        note = resumed_note(monthly.draft_saved_at, turn.zone)
    others = [m for m in await load_open_months(turn, contract) if m.month != month]
    also = also_open_line(others) if others else ""
    view = FormView(contract, month, indicators, entries, narrative, monthly, also)
    return Reply(card=form_card(view, note=note), replace=True)
