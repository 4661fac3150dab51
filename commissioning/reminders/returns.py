"""Monthly returns: due soon, due today, overdue, escalated to the commissioner and the director."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from commissioning.calendar import WorkingCalendar
from commissioning.leave import Leave, present_working_days_after
from commissioning.periods import Month, last_completed_month
from commissioning.reminder_policy import ReminderPolicy, ReturnPolicy
from commissioning.reminders.facts import ContractFacts, Snapshot
from commissioning.reminders.hours import working_days_before
from commissioning.reminders.kinds import (
    COMMISSIONER,
    DIRECTOR,
    HEAD_OF_SERVICE,
    PROGRAMME_MANAGER,
    PROVIDER_CONTACT,
    RETURN_DIRECTOR,
    RETURN_DUE_SOON,
    RETURN_DUE_TODAY,
    RETURN_ESCALATED,
    RETURN_OVERDUE,
)
from commissioning.reminders.notice import Notice, each, stale


@dataclass(frozen=True, slots=True)
class Stages:
    """The kinds of a return's chase, in order: due soon, due today, overdue, escalated, the director."""

    due_soon: str
    due_today: str
    overdue: str
    escalated: str
    director: str


MONTHLY = Stages(RETURN_DUE_SOON, RETURN_DUE_TODAY, RETURN_OVERDUE, RETURN_ESCALATED, RETURN_DIRECTOR)


def return_due_date(month: Month, policy: ReminderPolicy, calendar: WorkingCalendar) -> date:
    """The Nth working day of the month after `month`."""
    return calendar.working_days_after(month.last_day, policy.monthly_return.due_working_day)


def return_notices(snapshot: Snapshot, today: date, calendar: WorkingCalendar) -> list[Notice]:
    """Due soon, due today and overdue to the provider contact; then the head of service and commissioner; then the director."""
    received = {(r.contract_id, r.month) for r in snapshot.returns if r.received_at is not None}
    notices: list[Notice] = []
    for contract in snapshot.contracts.values():
        policy = contract.policy
        month = last_completed_month(today)
        while month.last_day >= contract.starts_on:
            due = return_due_date(month, policy, calendar)
            if stale(policy, due, today):
                break
            if contract.ran_in(month) and (contract.id, month) not in received:
                subject = f"return:{contract.id}:{month.key}"
                ref = {"month": month.key, "contract_id": contract.id}
                rules = contract.policy.monthly_return
                notices.extend(
                    chase(contract, rules, subject, ref, due, today, calendar, MONTHLY, snapshot.leave)
                )
            month = month.previous()
    return notices


def chase(
    contract: ContractFacts,
    rules: ReturnPolicy,
    subject: str,
    ref: dict[str, Any],
    due: date,
    today: date,
    calendar: WorkingCalendar,
    stages: Stages,
    leaves: tuple[Leave, ...] = (),
) -> list[Notice]:
    """The current stages of a return still missing: to the provider, then the commissioner, then the director.

    The escalation delays count the working days of the provider chased: days they were on leave do not count.
    """
    providers = contract.holders(PROVIDER_CONTACT, HEAD_OF_SERVICE)
    chased = tuple(leave for leave in leaves if providers and leave.person_id == providers[0])
    escalate_on = present_working_days_after(calendar, due, rules.escalate_after_working_days, chased)
    director_on = (
        present_working_days_after(calendar, due, rules.director_after_working_days, chased)
        if rules.director_after_working_days is not None
        else None
    )
    notices: list[Notice] = []

    def add(recipients: Iterable[int | None], **template: Any) -> None:
        notices.extend(each(recipients, {"ref": ref, **template}, subject, due, contract.id))

    soon_from = working_days_before(calendar, due, rules.due_soon_working_days)
    if today > due:
        add(
            providers, kind=stages.overdue, rank=3, since=due, next_kind=stages.escalated, next_on=escalate_on
        )
    elif today == due:
        add(providers, kind=stages.due_today, rank=2, before_deadline=True)
    elif rules.due_soon_working_days and today >= soon_from:
        add(providers, kind=stages.due_soon, rank=1, before_deadline=True)
    if today >= escalate_on:
        add(
            [*contract.holders(HEAD_OF_SERVICE), *contract.holders(COMMISSIONER, PROGRAMME_MANAGER)],
            kind=stages.escalated,
            rank=4,
            escalation=True,
            since=due,
            responsible=providers,
            next_kind=stages.director if director_on else None,
            next_on=director_on,
        )
    if director_on is not None and today >= director_on:
        add(
            contract.holders(DIRECTOR),
            kind=stages.director,
            rank=5,
            escalation=True,
            since=due,
            responsible=providers,
        )
    return notices
