"""Reminders while people are on leave: theirs wait, what cannot wait goes to a stand-in, and a summary on return.

Nothing is stored about a paused reminder: the sweep derives every notice from state, so a reminder
left out while its recipient is away is simply derived again once they are back.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from commissioning.calendar import WorkingCalendar
from commissioning.leave import away_on, back_on, stand_in
from commissioning.reminders.facts import Snapshot
from commissioning.reminders.kinds import LEAVE_BACK, MEETING_UNSCHEDULED
from commissioning.reminders.notice import Notice


def cannot_wait(notice: Notice, today: date) -> bool:
    """A persistent breach, an escalation, or a review meeting still inside its five working days."""
    return (
        notice.urgent or notice.escalation or (notice.kind == MEETING_UNSCHEDULED and today <= notice.due_on)
    )


def cover_for_leave(notices: list[Notice], snapshot: Snapshot, today: date) -> list[Notice]:
    """Notices for people away today: the ones that can wait are left out, the rest go to their stand-in."""
    if not snapshot.leave:
        return notices
    kept: list[Notice] = []
    for notice in notices:
        leave = away_on(snapshot.leave, notice.recipient_id, today)
        if leave is None:
            kept.append(notice)
            continue
        if not cannot_wait(notice, today):
            continue  # paused: derived again when they are back
        contract = snapshot.contracts.get(notice.contract_id)
        roles = contract.roles if contract is not None else {}
        cover = stand_in(notice.recipient_id, notice.contract_id, roles, snapshot.leave, today)
        if cover is None:
            kept.append(notice)  # nobody present to take it: it waits in their chat
            continue
        kept.append(
            replace(notice, recipient_id=cover, covering_for=notice.recipient_id, away_until=leave.ends_on)
        )
    seen: set[tuple[str, int]] = set()
    unique = []
    for notice in sorted(kept, key=lambda n: n.covering_for is not None):  # their own copy first
        if (notice.subject, notice.recipient_id) not in seen:
            seen.add((notice.subject, notice.recipient_id))
            unique.append(notice)
    return unique


def back_from_leave(
    notices: list[Notice], snapshot: Snapshot, today: date, calendar: WorkingCalendar
) -> list[Notice]:
    """On a person's first working day back, one summary instead of their separate reminders that day."""
    back = {leave.person_id: leave for leave in snapshot.leave if back_on(calendar, leave) == today}
    if not back:
        return notices
    kept: list[Notice] = []
    held: dict[int, list[Notice]] = {}
    for notice in notices:
        if notice.recipient_id in back and not notice.urgent and notice.covering_for is None:
            held.setdefault(notice.recipient_id, []).append(notice)
        else:
            kept.append(notice)
    for person_id, leave in back.items():
        contract_id = _a_contract_of(snapshot, person_id)
        if contract_id is None:
            continue
        kept.append(
            Notice(
                kind=LEAVE_BACK,
                subject=f"leave:{leave.id}",
                due_on=leave.ends_on,
                recipient_id=person_id,
                contract_id=contract_id,
                since=leave.starts_on,
                ref={
                    "leave_id": leave.id,
                    "covered": snapshot.covered.get(person_id, ()),
                    "due": tuple(held.get(person_id, ())),
                },
            )
        )
    return kept


def _a_contract_of(snapshot: Snapshot, person_id: int) -> int | None:
    for contract in snapshot.contracts.values():
        if any(person_id in people for people in contract.roles.values()):
            return contract.id
    return None
