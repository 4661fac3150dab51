"""Recording one's own leave: the form (dates typed after 'on leave' filled in), then the leave saved and audited."""

from __future__ import annotations

import re
from datetime import date

from commissioning.dates import parse_day
from commissioning.leave import Leave, LeaveError, check_leave
from commissioning.roles import Role
from dialogs.base import NoPayload, Reply, Turn
from dialogs.inputs import input_text
from dialogs.leave.cards.form import NOBODY, DelegateChoice, delegate_input, leave_form, recorded_card
from dialogs.leave.payloads import LeaveStart
from storage.leave import as_leave

# 'on leave 2026-12-21 to 2027-01-04' arrives normalised: '2026 12 21 to 2027 01 04'.
_DAY = re.compile(r"(\d{4}) (\d{1,2}) (\d{1,2})")


def typed_dates(words: str) -> dict[str, str]:
    """The first and last day typed after the command, as the form's ISO values ('' when not typed)."""
    found = [f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in _DAY.findall(words)]
    return {"starts_on": found[0] if found else "", "ends_on": found[1] if len(found) > 1 else ""}


async def delegate_choices(turn: Turn) -> list[DelegateChoice]:
    """For each contract the person is on: the others on that contract on the same side."""
    choices: list[DelegateChoice] = []
    seen: set[int] = set()
    for membership in turn.memberships:
        contract = membership.contract
        if contract.id is None or contract.id in seen:
            continue
        seen.add(contract.id)
        sides = {role.side for role in turn.roles_on(contract.id)}
        same_side = frozenset(role for role in Role if role.side in sides)
        people = await turn.repos.people.people_with_roles(contract.id, same_side)
        choices.append(
            DelegateChoice(
                contract.id, contract.name, [(p.name, p.id) for p in people if p.id != turn.person.id]
            )
        )
    return choices


async def _current(turn: Turn) -> list[Leave]:
    return [as_leave(row) for row in await turn.repos.leave.of(turn.person.id, turn.local_now.date())]


async def start(turn: Turn, payload: LeaveStart) -> Reply:
    values = typed_dates(payload.dates)
    current = await _current(turn)
    if not any(values.values()) and current:
        upcoming = current[0]
        values = {"starts_on": upcoming.starts_on.isoformat(), "ends_on": upcoming.ends_on.isoformat()}
        values |= {delegate_input(c): str(p) for c, p in upcoming.delegates.items()}
    errors = {}
    if payload.dates and not values["starts_on"]:
        errors["starts_on"] = "Write the dates like 2026-12-21 to 2027-01-04."
    return Reply(card=leave_form(await delegate_choices(turn), values, errors, current=current))


def _delegates(
    choices: list[DelegateChoice], values: dict[str, str], errors: dict[str, str]
) -> dict[int, int]:
    """The chosen delegate per contract; a choice not among that contract's people is an error beside it."""
    chosen: dict[int, int] = {}
    for item in choices:
        key = delegate_input(item.contract_id)
        picked = values.get(key, NOBODY)
        if picked == NOBODY:
            continue
        allowed = {str(person): person for _, person in item.people}
        if picked not in allowed:
            errors[key] = "Pick someone on this contract, on your side of it."
        else:
            chosen[item.contract_id] = allowed[picked]
    return chosen


async def record(turn: Turn, _: NoPayload) -> Reply:
    choices = await delegate_choices(turn)
    keys = ["starts_on", "ends_on", *(delegate_input(c.contract_id) for c in choices)]
    values = {key: input_text(turn.raw, key, 40) for key in keys}
    errors: dict[str, str] = {}
    starts_on: date | None = parse_day(values["starts_on"])
    ends_on: date | None = parse_day(values["ends_on"])
    try:
        starts_on, ends_on = check_leave(starts_on, ends_on, turn.local_now.date())
    except LeaveError as error:
        errors[error.field] = error.message
    delegates = _delegates(choices, values, errors)
    if errors or starts_on is None or ends_on is None:
        return Reply(card=leave_form(choices, values, errors, current=await _current(turn)), replace=True)
    leave = await save_leave(turn, turn.person.id, starts_on, ends_on, delegates)
    names = {person: name for c in choices for name, person in c.people}
    shown = [
        (c.contract, names[leave.delegates[c.contract_id]])
        for c in choices
        if c.contract_id in leave.delegates
    ]
    return Reply(card=recorded_card(leave, shown), replace=True)


async def save_leave(
    turn: Turn, person_id: int, starts_on: date, ends_on: date, delegates: dict[int, int]
) -> Leave:
    """Save the leave with its audit event; the same leave pressed twice is recorded once."""
    for existing in await turn.repos.leave.of(person_id, starts_on):
        leave = as_leave(existing)
        if (leave.starts_on, leave.ends_on, dict(leave.delegates)) == (starts_on, ends_on, delegates):
            return leave
    row, replaced = await turn.repos.leave.record(
        person_id, starts_on, ends_on, delegates, by_id=turn.person.id, now=turn.now
    )
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="leave.recorded",
        entity="leave",
        entity_id=row.id,
        before={
            "replaced": [
                {"starts_on": r.starts_on.isoformat(), "ends_on": r.ends_on.isoformat()} for r in replaced
            ]
        },
        after={
            "person_id": person_id,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "delegates": {str(c): p for c, p in delegates.items()},
        },
    )
    return as_leave(row)
