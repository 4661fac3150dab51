"""Showing where contracts stand: one contract's status card, and the portfolio of every contract the person sees."""

from __future__ import annotations

from commissioning.roles import SEES_CONTRACT
from dialogs.base import NoPayload, Refused, Reply, Turn, normalise_command
from dialogs.cards import plain
from dialogs.common import contract_for
from dialogs.status.cards.portfolio import picker_card, portfolio_card
from dialogs.status.cards.status import status_card
from dialogs.status.context import load_standing
from dialogs.status.payloads import StatusRef
from storage.models import Contract

SEES = SEES_CONTRACT  # one rule with the download links and the tab (commissioning/roles.py)
PORTFOLIO_MAX = 20
"""Contracts drawn on the portfolio card; the rest are counted, so the card stays within Teams' 28 KB."""
NO_CONTRACT = "You have no role on a contract, so there is no status to show."


def _visible(turn: Turn) -> list[Contract]:
    contracts = sorted(turn.contracts_where(SEES), key=lambda c: c.name)
    if not contracts:
        raise Refused(NO_CONTRACT, reason="no role")
    return contracts


def _named(turn: Turn, contracts: list[Contract], typed: str) -> Contract:
    """The sender's contract with this key or name; any other, existing or not, is refused alike."""
    wanted = normalise_command(typed)
    for contract in contracts:
        if wanted in (normalise_command(contract.key), normalise_command(contract.name)):
            return contract
    raise Refused(
        f"You have no role on a contract called \u201c{plain(typed, 60)}\u201d. "
        "Type \u201cstatus\u201d to choose one of yours.",
        reason="status:unknown contract",
    )


async def show(turn: Turn, payload: StatusRef) -> Reply:
    contracts = _visible(turn)
    if payload.contract_id is not None:
        contract = contract_for(turn, payload.contract_id, SEES)  # a forged id is refused, and audited
    elif payload.contract:
        contract = _named(turn, contracts, payload.contract)
    elif len(contracts) == 1:
        contract = contracts[0]
    else:
        return Reply(card=picker_card(contracts))
    standing = await load_standing(turn, contract)
    return Reply(card=status_card(turn, standing, payload.indicator), replace=payload.indicator is not None)


async def portfolio(turn: Turn, _: NoPayload) -> Reply:
    contracts = _visible(turn)
    standings = [await load_standing(turn, contract) for contract in contracts[:PORTFOLIO_MAX]]
    return Reply(card=portfolio_card(turn, standings, more=len(contracts) - len(standings)))
