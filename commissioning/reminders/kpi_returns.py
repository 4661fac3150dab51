"""Quarterly KPI returns: chased like monthly returns; the quarterly meeting's clock waits for them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from commissioning.calendar import WorkingCalendar
from commissioning.periods import Quarter
from commissioning.reminder_policy import ReminderPolicy
from commissioning.reminders.facts import KpiReturnFacts, Snapshot
from commissioning.reminders.kinds import (
    KPI_RETURN_DIRECTOR,
    KPI_RETURN_DUE_SOON,
    KPI_RETURN_DUE_TODAY,
    KPI_RETURN_ESCALATED,
    KPI_RETURN_OVERDUE,
)
from commissioning.reminders.notice import Notice, stale
from commissioning.reminders.returns import Stages, chase

KPI_RETURN = Stages(
    KPI_RETURN_DUE_SOON, KPI_RETURN_DUE_TODAY, KPI_RETURN_OVERDUE, KPI_RETURN_ESCALATED, KPI_RETURN_DIRECTOR
)


def kpi_return_due_date(quarter: Quarter, policy: ReminderPolicy, calendar: WorkingCalendar) -> date:
    """The Nth working day after the quarter closes (policy `kpi_return.due_working_day`)."""
    return calendar.working_days_after(quarter.last_day, policy.kpi_return.due_working_day)


def kpi_return_notices(snapshot: Snapshot, today: date, calendar: WorkingCalendar) -> list[Notice]:
    """Each expected KPI return not yet in: due soon, due today, overdue, then escalated, as a monthly return."""
    notices: list[Notice] = []
    for expected in snapshot.kpi_returns:
        contract = snapshot.contracts.get(expected.contract_id)
        if contract is None or expected.received_at is not None or expected.quarter.last_day >= today:
            continue
        due = kpi_return_due_date(expected.quarter, contract.policy, calendar)
        if stale(contract.policy, due, today):
            continue
        quarter = expected.quarter
        subject = f"kpi_return:{contract.id}:{quarter.key}"
        ref = {"quarter": quarter.key, "quarter_label": quarter.label, "contract_id": contract.id}
        rules = contract.policy.kpi_return
        notices.extend(chase(contract, rules, subject, ref, due, today, calendar, KPI_RETURN, snapshot.leave))
    return notices


def expected_by_quarter(snapshot: Snapshot) -> dict[tuple[int, Quarter], KpiReturnFacts]:
    """(contract id, quarter) → the KPI return expected for it (the first listed, when listed twice)."""
    found: dict[tuple[int, Quarter], KpiReturnFacts] = {}
    for expected in snapshot.kpi_returns:
        found.setdefault((expected.contract_id, expected.quarter), expected)
    return found


def quarter_clock(
    expected: Mapping[tuple[int, Quarter], KpiReturnFacts],
    contract_id: int,
    quarter: Quarter,
    return_clock: datetime,
) -> datetime | None:
    """When the quarterly meeting's clock starts: the later of the last month's return and the KPI return.

    A quarter that asks for no KPI return keeps the monthly return's clock; one whose KPI return is not
    in yet has not started its clock (None). `expected` is `expected_by_quarter(snapshot)`.
    """
    found = expected.get((contract_id, quarter))
    if found is None:
        return return_clock
    return None if found.received_at is None else max(return_clock, found.received_at)
