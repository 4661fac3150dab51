"""What the improvement steps share: the contract asked about, step rows from a form, history and audit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from commissioning.improvement.steps import StepInput
from commissioning.roles import Permission, Role, Side, allowed
from dialogs.base import Refused, Reply, Turn
from dialogs.cards import card, execute, heading
from dialogs.common import NO_ROLE, contract_for
from dialogs.improvement.payloads import STEP_ROWS
from dialogs.inputs import input_text
from storage.improvement_models import ImprovementEvent
from storage.models import Contract, Person

_ROW_KEY = re.compile(r"^(actions|milestones)\.(\d+)\.(what|due)$")


def picker(title: str, verb: str, contracts: list[Contract]) -> Reply:
    buttons = [
        execute(c.name[:60], verb, {"contract_id": c.id}) for c in sorted(contracts, key=lambda c: c.name)
    ]
    return Reply(card=card([heading(title)], buttons[:6]))


def chosen_contract(turn: Turn, contract_id: int | None, permission: Permission) -> Contract | None:
    """The contract asked about, or the only one the sender may use this way; None when they must choose."""
    if contract_id is not None:
        return contract_for(turn, contract_id, permission)
    contracts = turn.contracts_where(permission)
    if not contracts:
        raise Refused(NO_ROLE, reason=f"{permission}:none")
    return contracts[0] if len(contracts) == 1 else None


def step_rows(raw: Mapping[str, Any], part: str) -> tuple[list[StepInput], list[int]]:
    """The filled rows of a form's actions or milestones, and which form row each came from."""
    rows: list[StepInput] = []
    numbers: list[int] = []
    for number in range(STEP_ROWS):
        what = input_text(raw, f"{part}_{number}_what", 1000)
        due = input_text(raw, f"{part}_{number}_due", 20)
        if what or due:
            rows.append(StepInput(what, due))
            numbers.append(number)
    return rows, numbers


def form_errors(errors: Mapping[str, str], rows: Mapping[str, list[int]]) -> dict[str, str]:
    """The rule's errors keyed by the card's inputs: 'milestones.1.due' on the form's own row; '' is the card."""
    shown: dict[str, str] = {}
    for key, message in errors.items():
        found = _ROW_KEY.match(key)
        if found:
            part, index, which = found.group(1), int(found.group(2)), found.group(3)
            numbers = rows.get(part, [])
            row = numbers[index] if index < len(numbers) else index
            shown[f"{part[:-1]}_{row}_{which}"] = message
        else:
            shown[key or "_form"] = message
    return shown


def role_for(turn: Turn, contract_id: int, permission: Permission, *, not_side: Side | None = None) -> Role:
    """The sender's role on the contract that grants `permission`, preferring one not on `not_side`."""
    roles = sorted((r for r in turn.roles_on(contract_id) if allowed({r}, permission)), key=list(Role).index)
    other = [r for r in roles if r.side is not not_side]
    if other:
        return other[0]
    if roles:
        return roles[0]
    held = sorted(turn.roles_on(contract_id), key=list(Role).index)
    if not held:
        raise Refused(NO_ROLE, reason=f"{permission}:{contract_id}")
    return held[0]


def record(
    turn: Turn,
    subject: str,
    subject_id: int,
    contract_id: int,
    *,
    state: str,
    note: str = "",
    role: Role | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """One move in the item's history, and the same in the audit trail."""
    turn.repos.improvement.add_event(
        subject,
        subject_id,
        state=state,
        actor_id=turn.person.id,
        now=turn.now,
        role=role.value if role else "",
        note=note,
    )
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action=f"{subject}.{state}",
        entity=subject,
        entity_id=subject_id,
        contract_id=contract_id,
        after={**(after or {}), **({"note": note} if note else {})},
    )


class _OnContract(Protocol):
    @property
    def contract_id(self) -> int: ...


R = TypeVar("R", bound=_OnContract)


def found(turn: Turn, stored: R | None, what: str) -> tuple[R, Contract]:
    """The plan, item or change a button names, and its contract as this person may see it; refused
    (and audited as "unknown …") when there is none."""
    if stored is None:
        raise Refused(NO_ROLE, reason=f"unknown {what}")
    return stored, contract_for(turn, stored.contract_id, Permission.VIEW_MEETING)


@dataclass(frozen=True)
class Trail:
    """What a plan's, item's or change's card shows beside it: the viewer's roles and who did what, when."""

    roles: frozenset[Role]
    events: list[ImprovementEvent]
    people: dict[int, Person]


async def trail(turn: Turn, subject: str, subject_id: int, contract: Contract, viewer_id: int) -> Trail:
    repos = turn.repos
    roles = await repos.people.roles_on(viewer_id, contract.id)
    events = await repos.improvement.history(subject, subject_id)
    people = await repos.people.by_ids(e.actor_id for e in events if e.actor_id is not None)
    return Trail(roles, events, people)
