"""Actions: due soon, overdue, then to the meeting's chair and the commissioner's manager."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from commissioning.calendar import WorkingCalendar
from commissioning.reminders.facts import Snapshot
from commissioning.reminders.hours import working_days_before
from commissioning.reminders.kinds import (
    ACTION_CHAIR,
    ACTION_DUE_SOON,
    ACTION_MANAGER,
    ACTION_OVERDUE,
)
from commissioning.reminders.notice import Notice, each, stale


def action_notices(snapshot: Snapshot, today: date, calendar: WorkingCalendar) -> list[Notice]:
    """Due soon and overdue to the owner; overdue beyond a limit → the meeting's chair, then the owner's manager."""
    notices: list[Notice] = []
    for action in snapshot.actions:
        contract = snapshot.contracts.get(action.contract_id)
        if contract is None or stale(contract.policy, action.due_on, today):
            continue
        rules = contract.policy.actions
        due = action.due_on
        subject = f"action:{action.id}"
        ref = {"action_id": action.id, "contract_id": contract.id, "description": action.description}
        chair_on = calendar.working_days_after(due, rules.chair_after_working_days)
        manager_on = calendar.working_days_after(due, rules.manager_after_working_days)
        chair = action.chair_id if action.chair_id != action.owner_id else None
        owner = snapshot.people.get(action.owner_id)
        manager = owner.manager_id if owner else None
        chair_person = snapshot.people.get(action.chair_id) if action.chair_id is not None else None
        if manager is None and chair_person is not None:
            manager = chair_person.manager_id
        template: dict[str, Any] = {"ref": ref}

        def add(recipients: Iterable[int | None], **stage: Any) -> None:
            notices.extend(each(recipients, {**template, **stage}, subject, due, contract.id))  # noqa: B023

        if today > due:
            add(
                [action.owner_id],
                kind=ACTION_OVERDUE,
                rank=2,
                since=due,
                next_kind=ACTION_CHAIR if chair else ACTION_MANAGER,
                next_on=chair_on if chair else manager_on,
            )
        elif rules.due_soon_working_days and today >= working_days_before(
            calendar, due, rules.due_soon_working_days
        ):
            add([action.owner_id], kind=ACTION_DUE_SOON, rank=1, before_deadline=True)
        if chair is not None and today >= chair_on:
            add(
                [chair],
                kind=ACTION_CHAIR,
                rank=3,
                escalation=True,
                since=due,
                responsible=(action.owner_id,),
                next_kind=ACTION_MANAGER if manager else None,
                next_on=manager_on if manager else None,
            )
        if manager is not None and manager != action.owner_id and today >= manager_on:
            add(
                [manager],
                kind=ACTION_MANAGER,
                rank=4,
                escalation=True,
                since=due,
                responsible=(action.owner_id,),
            )
    return notices
