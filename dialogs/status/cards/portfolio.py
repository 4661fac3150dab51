"""The portfolio card: every contract the person may see, its ratings and what is overdue; and the picker."""

from __future__ import annotations

from typing import Any

from commissioning.standing import rag_tally
from dialogs.base import Turn
from dialogs.cards import card, container, execute, heading, plain, subtle, text
from dialogs.status.cards.words import counted, overdue_words
from dialogs.status.context import ContractStanding
from storage.models import Contract


def _ratings(standing: ContractStanding) -> str:
    latest = standing.latest
    pis = (
        f"PIs, {latest.month.label} return: {rag_tally(p.rating for p in standing.pis).words()}"
        if latest
        else "PIs: no return received yet"
    )
    if not standing.kpis:
        return pis + "."
    tally = rag_tally(k.rating for k in standing.kpis)
    waiting = f", {tally.unrated} not rated yet" if tally.unrated else ""
    kpis = f"KPIs: {tally.words()}{waiting}" if tally.unrated < len(standing.kpis) else "KPIs: none rated yet"
    return f"{pis}. {kpis}."


def _entry(standing: ContractStanding) -> dict[str, Any]:
    contract = standing.contract
    overdue = overdue_words(standing)
    return container(
        [
            text(f"{plain(contract.name)} ({plain(contract.key)})", weight="Bolder"),
            text(_ratings(standing), spacing="None"),
            text(overdue, spacing="None", color="Attention" if overdue.startswith("⚠") else "Default"),
            {
                "type": "ActionSet",
                "actions": [
                    execute(f"Open {contract.key}"[:60], "status.show", {"contract_id": contract.id})
                ],
            },
        ],
        spacing="Medium",
        separator=True,
    )


def portfolio_card(turn: Turn, standings: list[ContractStanding], more: int) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        heading("Your portfolio"),
        subtle(f"{counted(len(standings) + more, 'contract')} you have a role on."),
    ]
    body += [_entry(standing) for standing in standings]
    if more:
        body.append(
            text(
                f"And {counted(more, 'more contract')}: type \u201cstatus\u201d and the contract's key to open one."
            )
        )
    return card(body, [execute("Help", "help")])


def picker_card(contracts: list[Contract]) -> dict[str, Any]:
    """Which contract's status card to open: one button each, by name."""
    body: list[dict[str, Any]] = [
        heading("Which contract's status?"),
        subtle("Or type \u201cstatus\u201d and the contract's key, for example \u201cstatus IVWS\u201d."),
    ]
    for contract in sorted(contracts, key=lambda c: c.name):
        button = execute(plain(contract.name, 60), "status.show", {"contract_id": contract.id})
        body.append({"type": "ActionSet", "actions": [button]})
    return card(body, [execute("Portfolio", "status.portfolio"), execute("Help", "help")])
