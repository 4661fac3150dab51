"""Listing returns: a contract's months with each return's status, and the months a provider may open."""

from __future__ import annotations

from commissioning.roles import Permission
from dialogs.base import Refused, Reply, Turn
from dialogs.common import contract_for
from dialogs.monthly_return.cards.log import returns_card, returns_picker_card
from dialogs.monthly_return.cards.months import month_choice_card
from dialogs.monthly_return.log import load_log, load_open_months
from dialogs.monthly_return.payloads import MonthChoice, ReturnList


async def returns(turn: Turn, payload: ReturnList) -> Reply:
    """'my returns' for a provider, a contract's returns for a commissioner: the same list, each with their buttons."""
    contracts = turn.contracts_where(Permission.VIEW_RETURN)
    if not contracts:
        raise Refused("You have no role on a contract, so there are no returns to show.", reason="no role")
    if payload.contract_id is None and len(contracts) > 1:
        return Reply(card=returns_picker_card(contracts))
    contract = (
        contract_for(turn, payload.contract_id, Permission.VIEW_RETURN)
        if payload.contract_id is not None
        else contracts[0]
    )
    logged = await load_log(turn, contract)
    provider = turn.may(contract.id, Permission.SUBMIT_RETURN)
    return Reply(card=returns_card(contract, logged, payload.page, provider=provider))


async def months(turn: Turn, payload: MonthChoice) -> Reply:
    """The months a provider can open: due or overdue and still chased, and any with a saved draft."""
    contract = contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
    return Reply(card=month_choice_card(contract, await load_open_months(turn, contract)))
