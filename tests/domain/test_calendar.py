"""Tests for the England and Wales working-day calendar."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.calendar import WorkingCalendar, bank_holidays

PLAIN = WorkingCalendar()
CLOSED_CHRISTMAS_EVE = WorkingCalendar(closures=[date(2026, 12, 24)])


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 12, 28), True, id="boxing-day-2026-substitute-mon-28-dec"),
        pytest.param(date(2027, 12, 27), True, id="christmas-2027-substitute-mon-27-dec"),
        pytest.param(date(2027, 12, 28), True, id="boxing-day-2027-substitute-tue-28-dec"),
        pytest.param(date(2028, 1, 3), True, id="new-year-2028-substitute-mon-3-jan"),
        pytest.param(date(2026, 12, 29), False, id="tue-29-dec-2026-is-not"),
    ],
)
def test_substitute_days_are_bank_holidays(day: date, expected: bool) -> None:
    assert (day in bank_holidays(day.year)) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 6, 1), True, id="ordinary-monday"),
        pytest.param(date(2026, 6, 5), True, id="ordinary-friday"),
        pytest.param(date(2026, 6, 6), False, id="saturday"),
        pytest.param(date(2026, 6, 7), False, id="sunday"),
        pytest.param(date(2026, 12, 24), True, id="christmas-eve-2026-thu"),
        pytest.param(date(2026, 12, 25), False, id="christmas-day-2026-fri"),
        pytest.param(date(2026, 12, 28), False, id="boxing-day-substitute-2026-mon"),
        pytest.param(date(2026, 12, 29), True, id="tue-after-christmas-2026"),
        pytest.param(date(2027, 1, 1), False, id="new-year-2027-fri"),
        pytest.param(date(2027, 12, 27), False, id="christmas-substitute-2027-mon"),
        pytest.param(date(2027, 12, 28), False, id="boxing-day-substitute-2027-tue"),
        pytest.param(date(2027, 12, 29), True, id="wed-after-christmas-2027"),
        pytest.param(date(2028, 1, 3), False, id="new-year-substitute-2028-mon"),
        pytest.param(date(2028, 1, 4), True, id="tue-after-new-year-2028"),
        pytest.param(date(2026, 4, 3), False, id="good-friday-2026"),
        pytest.param(date(2026, 4, 6), False, id="easter-monday-2026"),
        pytest.param(date(2026, 4, 7), True, id="tue-after-easter-2026"),
        pytest.param(date(2027, 3, 26), False, id="good-friday-2027"),
        pytest.param(date(2027, 3, 29), False, id="easter-monday-2027"),
        pytest.param(date(2026, 5, 4), False, id="early-may-2026"),
        pytest.param(date(2026, 5, 25), False, id="spring-2026"),
        pytest.param(date(2027, 5, 3), False, id="early-may-2027"),
        pytest.param(date(2027, 5, 31), False, id="spring-2027"),
        pytest.param(date(2026, 8, 31), False, id="august-2026"),
        pytest.param(date(2027, 8, 30), False, id="august-2027"),
    ],
)
def test_is_working_day(day: date, expected: bool) -> None:
    assert PLAIN.is_working_day(day) is expected


def test_configured_closure_day_is_not_a_working_day() -> None:
    assert not CLOSED_CHRISTMAS_EVE.is_working_day(date(2026, 12, 24))


def test_closure_days_belong_to_their_calendar_only() -> None:
    assert PLAIN.is_working_day(date(2026, 12, 24))


def test_bank_holidays_2026_match_gov_uk() -> None:
    assert sorted(bank_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 28),
    ]


@pytest.mark.parametrize(
    ("calendar", "day", "n", "expected"),
    [
        pytest.param(PLAIN, date(2026, 6, 1), 5, date(2026, 6, 8), id="plain-week-mon-to-mon"),
        pytest.param(PLAIN, date(2026, 6, 5), 1, date(2026, 6, 8), id="friday-plus-one-skips-weekend"),
        pytest.param(PLAIN, date(2026, 6, 6), 1, date(2026, 6, 8), id="from-saturday"),
        pytest.param(PLAIN, date(2026, 12, 26), 0, date(2026, 12, 26), id="zero-gives-the-day-back"),
        pytest.param(PLAIN, date(2026, 12, 23), 5, date(2027, 1, 4), id="christmas-new-year-2026-27"),
        pytest.param(PLAIN, date(2027, 12, 22), 5, date(2027, 12, 31), id="christmas-2027-two-substitutes"),
        pytest.param(PLAIN, date(2027, 12, 29), 3, date(2028, 1, 4), id="new-year-2028-substitute"),
        pytest.param(PLAIN, date(2026, 4, 1), 5, date(2026, 4, 10), id="easter-2026"),
        pytest.param(PLAIN, date(2027, 3, 24), 5, date(2027, 4, 2), id="easter-2027"),
        pytest.param(PLAIN, date(2026, 4, 30), 5, date(2026, 5, 8), id="early-may-2026"),
        pytest.param(PLAIN, date(2026, 5, 21), 5, date(2026, 5, 29), id="spring-2026"),
        pytest.param(PLAIN, date(2026, 8, 27), 5, date(2026, 9, 4), id="august-2026"),
        pytest.param(
            CLOSED_CHRISTMAS_EVE, date(2026, 12, 23), 5, date(2027, 1, 5), id="closure-on-christmas-eve"
        ),
    ],
)
def test_working_days_after(calendar: WorkingCalendar, day: date, n: int, expected: date) -> None:
    assert calendar.working_days_after(day, n) == expected


def test_working_days_after_refuses_negative_counts() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        PLAIN.working_days_after(date(2026, 6, 1), -1)


@pytest.mark.parametrize(
    ("calendar", "start", "end", "expected"),
    [
        pytest.param(PLAIN, date(2026, 6, 1), date(2026, 6, 1), 0, id="same-day"),
        pytest.param(PLAIN, date(2026, 6, 1), date(2026, 6, 8), 5, id="plain-week"),
        pytest.param(PLAIN, date(2026, 6, 8), date(2026, 6, 1), -5, id="backwards-is-negative"),
        pytest.param(PLAIN, date(2026, 6, 6), date(2026, 6, 8), 1, id="from-saturday"),
        pytest.param(PLAIN, date(2026, 12, 24), date(2026, 12, 28), 0, id="christmas-2026-none"),
        pytest.param(PLAIN, date(2026, 12, 23), date(2027, 1, 4), 5, id="christmas-new-year-2026-27"),
        pytest.param(PLAIN, date(2027, 12, 24), date(2028, 1, 4), 4, id="christmas-new-year-2027-28"),
        pytest.param(PLAIN, date(2026, 4, 2), date(2026, 4, 7), 1, id="easter-2026"),
        pytest.param(PLAIN, date(2026, 1, 1), date(2026, 12, 31), 253, id="whole-of-2026"),
        pytest.param(
            CLOSED_CHRISTMAS_EVE, date(2026, 12, 23), date(2027, 1, 4), 4, id="closure-on-christmas-eve"
        ),
        pytest.param(
            WorkingCalendar([date(2026, 6, 6)]),
            date(2026, 6, 5),
            date(2026, 6, 8),
            1,
            id="closure-on-weekend",
        ),
    ],
)
def test_working_days_between(calendar: WorkingCalendar, start: date, end: date, expected: int) -> None:
    assert calendar.working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 6, 8), date(2026, 6, 9), id="monday-to-tuesday"),
        pytest.param(date(2026, 6, 5), date(2026, 6, 8), id="friday-to-monday"),
        pytest.param(date(2026, 12, 24), date(2026, 12, 29), id="christmas-eve-2026"),
        pytest.param(date(2027, 12, 24), date(2027, 12, 29), id="christmas-eve-2027"),
        pytest.param(date(2027, 12, 31), date(2028, 1, 4), id="new-years-eve-2027"),
        pytest.param(date(2026, 4, 2), date(2026, 4, 7), id="maundy-thursday-2026"),
    ],
)
def test_next_working_day_is_strictly_after(day: date, expected: date) -> None:
    assert PLAIN.next_working_day(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 6, 8), date(2026, 6, 8), id="working-day-is-itself"),
        pytest.param(date(2026, 6, 6), date(2026, 6, 8), id="saturday-to-monday"),
        pytest.param(date(2026, 12, 25), date(2026, 12, 29), id="christmas-day-2026"),
        pytest.param(date(2028, 1, 1), date(2028, 1, 4), id="new-years-day-2028"),
        pytest.param(date(2027, 8, 30), date(2027, 8, 31), id="august-bank-holiday-2027"),
    ],
)
def test_working_day_on_or_after(day: date, expected: date) -> None:
    assert PLAIN.working_day_on_or_after(day) == expected


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    n=st.integers(min_value=0, max_value=400),
)
def test_counting_back_the_days_after_gives_n(start: date, n: int) -> None:
    assert PLAIN.working_days_between(start, PLAIN.working_days_after(start, n)) == n
