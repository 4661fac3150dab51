"""A contract's returns month by month: received, late, amended, due, missing, and which months are open."""

from __future__ import annotations

from datetime import date

from commissioning.periods import Month
from commissioning.return_log import (
    MonthStatus,
    ReturnRecord,
    ReturnState,
    Tally,
    contract_months,
    month_status,
    open_months,
    return_log,
    tally,
)

TODAY = date(2026, 11, 3)
DUE = date(2026, 11, 13)


def test_the_months_are_those_the_contract_ran_in_that_are_over_newest_first() -> None:
    assert contract_months(date(2026, 7, 15), date(2029, 3, 31), TODAY) == [
        Month(2026, 10),
        Month(2026, 9),
        Month(2026, 8),
        Month(2026, 7),
    ]


def test_a_contract_that_has_ended_lists_up_to_its_last_month() -> None:
    assert contract_months(date(2026, 5, 1), date(2026, 6, 30), TODAY) == [Month(2026, 6), Month(2026, 5)]


def test_a_return_received_on_its_due_date_is_received_and_one_day_after_is_late() -> None:
    on_time = month_status(Month(2026, 10), DUE, ReturnRecord(DUE, 1), date(2026, 11, 20))
    late = month_status(Month(2026, 10), DUE, ReturnRecord(date(2026, 11, 14), 1), date(2026, 11, 20))

    assert (on_time.state, late.state) == (ReturnState.RECEIVED, ReturnState.LATE)
    assert late.received


def test_a_return_not_in_is_due_until_its_due_date_and_missing_after() -> None:
    assert month_status(Month(2026, 10), DUE, None, DUE).state is ReturnState.DUE
    assert month_status(Month(2026, 10), DUE, None, date(2026, 11, 14)).state is ReturnState.MISSING


def test_a_return_at_version_two_or_more_is_amended() -> None:
    assert month_status(Month(2026, 9), DUE, ReturnRecord(DUE, 2), TODAY).amended
    assert not month_status(Month(2026, 9), DUE, ReturnRecord(DUE, 1), TODAY).amended


def test_open_months_are_those_due_or_chased_and_any_with_a_draft() -> None:
    log = [
        MonthStatus(Month(2026, 10), date(2026, 11, 13), ReturnState.DUE),
        MonthStatus(Month(2026, 9), date(2026, 10, 14), ReturnState.MISSING),
        MonthStatus(Month(2026, 8), date(2026, 9, 14), ReturnState.RECEIVED, version=1),
        MonthStatus(Month(2026, 7), date(2026, 8, 14), ReturnState.MISSING),
        MonthStatus(Month(2026, 6), date(2026, 7, 14), ReturnState.MISSING, has_draft=True),
    ]

    assert [s.month for s in open_months(log, TODAY, chase_days=60)] == [
        Month(2026, 10),
        Month(2026, 9),
        Month(2026, 6),
    ]


def test_the_tally_counts_received_late_amended_missing_and_due() -> None:
    records = {
        Month(2026, 9): ReturnRecord(date(2026, 10, 20), 2),
        Month(2026, 8): ReturnRecord(date(2026, 9, 1), 1),
    }
    due = {Month(2026, 10): DUE, Month(2026, 9): date(2026, 10, 14), Month(2026, 8): date(2026, 9, 14)}
    due[Month(2026, 7)] = date(2026, 8, 14)

    log = return_log(list(due), due.__getitem__, records, TODAY)

    assert [s.state for s in log] == [
        ReturnState.DUE,
        ReturnState.LATE,
        ReturnState.RECEIVED,
        ReturnState.MISSING,
    ]
    assert tally(log) == Tally(received=2, late=1, amended=1, missing=1, due=1)
