"""The quarterly KPI return is chased like a monthly return; the quarterly meeting's clock waits for it."""

from __future__ import annotations

from datetime import date

from commissioning.periods import Quarter
from commissioning.reminder_policy import default_policy
from commissioning.reminders import KpiReturnFacts
from commissioning.reminders.kpi_returns import kpi_return_due_date
from tests.domain.test_reminders_rules import ANN, BOB, CAL, DEE, HAL, due, london, received, snap

Q3 = Quarter(2026, 3)  # October to December 2026


def expected(received_at: object = None) -> tuple[KpiReturnFacts, ...]:
    return (KpiReturnFacts(1, Q3, received_at),)  # type: ignore[arg-type]


def test_the_kpi_return_is_due_on_the_tenth_working_day_after_the_quarter_closes() -> None:
    # 31 December 2026 closes Q3; New Year's Day is a bank holiday: 4 to 15 January are working days 1 to 10.
    assert kpi_return_due_date(Q3, default_policy(), CAL) == date(2027, 1, 15)


def test_a_missing_kpi_return_is_due_soon_due_today_overdue_then_escalated_then_with_the_director() -> None:
    snapshot = snap(kpi_returns=expected())

    assert due(snapshot, london(11, 1, year=2027), "kpi_return") == []
    assert due(snapshot, london(12, 1, year=2027), "kpi_return") == [
        ("kpi_return.due_soon", BOB, "2027-01-15")
    ]
    assert due(snapshot, london(15, 1, year=2027), "kpi_return") == [
        ("kpi_return.due_today", BOB, "2027-01-15")
    ]
    assert due(snapshot, london(18, 1, year=2027), "kpi_return") == [
        ("kpi_return.overdue", BOB, "2027-01-15")
    ]
    assert due(snapshot, london(20, 1, year=2027), "kpi_return") == [
        ("kpi_return.overdue", BOB, "2027-01-15"),
        ("kpi_return.escalated", ANN, "2027-01-15"),
        ("kpi_return.escalated", HAL, "2027-01-15"),
    ]
    assert ("kpi_return.director", DEE, "2027-01-15") in due(snapshot, london(29, 1, year=2027), "kpi_return")


def test_a_kpi_return_received_is_not_chased() -> None:
    snapshot = snap(kpi_returns=expected(london(8, 1, year=2027)))

    assert due(snapshot, london(20, 1, year=2027), "kpi_return") == []


def test_the_quarterly_meetings_clock_waits_for_the_kpi_return_then_runs_from_the_later_of_the_two() -> None:
    december = received("2026-12", london(6, 1, year=2027), return_id=30)

    waiting = snap(december, kpi_returns=expected())
    both_in = snap(december, kpi_returns=expected(london(11, 1, year=2027)))

    assert due(waiting, london(20, 1, year=2027), "meeting") == []
    # received Monday 11 January: not scheduled two working days on (13 January), held by 18 January
    assert due(both_in, london(12, 1, year=2027), "meeting") == []
    assert due(both_in, london(13, 1, year=2027), "meeting") == [("meeting.unscheduled", ANN, "2027-01-18")]


def test_a_quarter_that_asks_for_no_kpi_return_keeps_the_monthly_returns_clock() -> None:
    december = received("2026-12", london(6, 1, year=2027), return_id=30)

    # received Wednesday 6 January: not scheduled by Friday 8 January, held by 13 January
    assert due(snap(december), london(8, 1, year=2027), "meeting") == [
        ("meeting.unscheduled", ANN, "2027-01-13")
    ]
