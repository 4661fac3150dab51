"""Reporting periods: months and contract-year quarters."""

from __future__ import annotations

from datetime import date

import pytest

from commissioning.periods import Month, Quarter, last_completed_month


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (date(2026, 11, 3), Month(2026, 10)),
        (date(2027, 1, 1), Month(2026, 12)),
        (date(2026, 3, 31), Month(2026, 2)),
    ],
)
def test_the_return_due_is_for_the_last_completed_month(today: date, month: Month) -> None:
    assert last_completed_month(today) == month


def test_months_parse_and_label() -> None:
    october = Month.parse("2026-10")

    assert (october.key, october.label, october.first_day, october.last_day) == (
        "2026-10",
        "October 2026",
        date(2026, 10, 1),
        date(2026, 10, 31),
    )
    assert Month(2024, 2).last_day == date(2024, 2, 29)


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "October", "", "2026-10-01"])
def test_a_malformed_month_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Month.parse(text)


@pytest.mark.parametrize(
    ("month", "label", "first", "last"),
    [
        (Month(2026, 4), "Q1 2026/27", date(2026, 4, 1), date(2026, 6, 30)),
        (Month(2026, 12), "Q3 2026/27", date(2026, 10, 1), date(2026, 12, 31)),
        (Month(2027, 3), "Q4 2026/27", date(2027, 1, 1), date(2027, 3, 31)),
    ],
)
def test_quarters_follow_the_financial_year(month: Month, label: str, first: date, last: date) -> None:
    quarter = Quarter.containing(month)

    assert (quarter.label, quarter.first_day, quarter.last_day) == (label, first, last)


def test_quarters_of_a_calendar_year_contract() -> None:
    assert Quarter.containing(Month(2026, 5), start_month=1).label == "Q2 2026"
