"""The review meeting deadline: the day a return counts as received, and five working days after it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from commissioning.calendar import WorkingCalendar
from commissioning.deadlines import LONDON, MeetingRules, effective_receipt_day, review_deadline

PLAIN = MeetingRules(WorkingCalendar())


def utc(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """Times are stored in UTC; the tests feed them in the way storage does."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("received_at", "expected"),
    [
        pytest.param(utc(2026, 6, 1, 10, 0), date(2026, 6, 1), id="working-day-morning"),
        pytest.param(utc(2026, 6, 1, 16, 29), date(2026, 6, 1), id="1729-bst-before-close"),
        pytest.param(utc(2026, 6, 1, 16, 30), date(2026, 6, 2), id="1730-bst-exactly-at-close-is-after"),
        pytest.param(utc(2026, 6, 1, 16, 31), date(2026, 6, 2), id="1731-bst-after-close"),
        pytest.param(utc(2026, 6, 5, 16, 31), date(2026, 6, 8), id="friday-after-close-to-monday"),
        pytest.param(utc(2026, 6, 6, 9, 0), date(2026, 6, 8), id="saturday"),
        pytest.param(utc(2026, 6, 7, 9, 0), date(2026, 6, 8), id="sunday"),
        pytest.param(utc(2026, 8, 31, 9, 0), date(2026, 9, 1), id="august-bank-holiday-2026"),
        pytest.param(utc(2026, 12, 25, 9, 0), date(2026, 12, 29), id="christmas-day-2026"),
        pytest.param(utc(2026, 10, 25, 16, 45), date(2026, 10, 26), id="sunday-clocks-go-back"),
        pytest.param(utc(2026, 10, 23, 16, 45), date(2026, 10, 26), id="fri-before-clocks-go-back-1745-bst"),
        pytest.param(utc(2026, 10, 26, 17, 15), date(2026, 10, 26), id="mon-after-clocks-go-back-1715-gmt"),
        pytest.param(utc(2026, 3, 27, 17, 15), date(2026, 3, 27), id="fri-before-clocks-go-forward-1715-gmt"),
        pytest.param(utc(2026, 3, 29, 16, 45), date(2026, 3, 30), id="sunday-clocks-go-forward"),
        pytest.param(utc(2026, 3, 30, 16, 45), date(2026, 3, 31), id="mon-after-clocks-go-forward-1745-bst"),
        pytest.param(utc(2026, 6, 1, 23, 30), date(2026, 6, 2), id="2330-utc-is-tue-0030-bst"),
        pytest.param(
            datetime(2026, 6, 1, 18, 29, tzinfo=timezone(timedelta(hours=2))),
            date(2026, 6, 1),
            id="other-zone-1829-plus-2-is-1729-bst",
        ),
    ],
)
def test_effective_receipt_day(received_at: datetime, expected: date) -> None:
    assert effective_receipt_day(received_at, PLAIN) == expected


def test_receipt_on_a_closure_day_counts_from_the_next_working_day() -> None:
    rules = MeetingRules(WorkingCalendar([date(2026, 6, 8)]))
    assert effective_receipt_day(utc(2026, 6, 8, 9, 0), rules) == date(2026, 6, 9)


def test_close_of_business_can_be_configured() -> None:
    rules = MeetingRules(WorkingCalendar(), close_of_business=time(16, 0))
    assert effective_receipt_day(utc(2026, 6, 1, 15, 30), rules) == date(2026, 6, 2)


@pytest.mark.parametrize(
    "received_at",
    [
        pytest.param(datetime(2026, 6, 1, 10, 0), id="naive"),  # noqa: DTZ001 - the point of the test
    ],
)
def test_naive_receipt_time_is_refused(received_at: datetime) -> None:
    with pytest.raises(ValueError, match="time zone"):
        effective_receipt_day(received_at, PLAIN)


@pytest.mark.parametrize(
    ("received_at", "expected"),
    [
        pytest.param(utc(2026, 6, 1, 10, 0), date(2026, 6, 8), id="plain-week"),
        pytest.param(utc(2026, 6, 1, 16, 29), date(2026, 6, 8), id="1729-bst-before-close"),
        pytest.param(utc(2026, 6, 1, 16, 30), date(2026, 6, 9), id="1730-bst-at-close"),
        pytest.param(utc(2026, 6, 1, 16, 31), date(2026, 6, 9), id="1731-bst-after-close"),
        pytest.param(utc(2026, 6, 6, 9, 0), date(2026, 6, 15), id="received-saturday"),
        pytest.param(utc(2026, 12, 24, 17, 31), date(2027, 1, 6), id="christmas-eve-2026-after-close"),
        pytest.param(utc(2026, 12, 25, 9, 0), date(2027, 1, 6), id="christmas-day-2026"),
        pytest.param(utc(2026, 12, 23, 10, 0), date(2027, 1, 4), id="before-christmas-2026"),
        pytest.param(utc(2027, 12, 24, 10, 0), date(2028, 1, 5), id="christmas-eve-2027"),
        pytest.param(utc(2028, 1, 1, 10, 0), date(2028, 1, 11), id="new-years-day-2028-saturday"),
        pytest.param(utc(2026, 4, 1, 9, 0), date(2026, 4, 10), id="easter-2026"),
        pytest.param(utc(2027, 3, 25, 10, 0), date(2027, 4, 5), id="easter-2027"),
        pytest.param(utc(2026, 5, 1, 16, 31), date(2026, 5, 12), id="early-may-2026-friday-after-close"),
        pytest.param(utc(2026, 5, 25, 9, 0), date(2026, 6, 2), id="spring-bank-holiday-2026"),
        pytest.param(utc(2026, 8, 31, 10, 0), date(2026, 9, 8), id="august-bank-holiday-2026"),
        pytest.param(utc(2027, 8, 27, 10, 0), date(2027, 9, 6), id="before-august-bank-holiday-2027"),
        pytest.param(utc(2026, 10, 23, 16, 45), date(2026, 11, 2), id="fri-before-clocks-go-back-1745-bst"),
        pytest.param(utc(2026, 10, 25, 16, 45), date(2026, 11, 2), id="sunday-clocks-go-back"),
        pytest.param(utc(2026, 10, 26, 17, 15), date(2026, 11, 2), id="mon-after-clocks-go-back-1715-gmt"),
        pytest.param(utc(2026, 3, 27, 17, 15), date(2026, 4, 7), id="fri-before-clocks-go-forward-1715-gmt"),
        pytest.param(utc(2026, 3, 29, 16, 45), date(2026, 4, 8), id="sunday-clocks-go-forward-easter"),
        pytest.param(utc(2026, 3, 30, 16, 45), date(2026, 4, 9), id="mon-after-clocks-go-forward-1745-bst"),
    ],
)
def test_review_deadline_last_day(received_at: datetime, expected: date) -> None:
    assert review_deadline(received_at, PLAIN).last_day == expected


def test_closure_day_pushes_the_deadline() -> None:
    rules = MeetingRules(WorkingCalendar([date(2026, 6, 8)]))
    assert review_deadline(utc(2026, 6, 6, 9, 0), rules).last_day == date(2026, 6, 16)


def test_number_of_working_days_can_be_configured() -> None:
    rules = MeetingRules(WorkingCalendar(), working_days=10)
    assert review_deadline(utc(2026, 6, 1, 10, 0), rules).last_day == date(2026, 6, 15)


@pytest.mark.parametrize(
    ("received_at", "expected_utc"),
    [
        pytest.param(utc(2026, 6, 1, 10, 0), utc(2026, 6, 8, 16, 30), id="summer-1730-bst"),
        pytest.param(utc(2026, 10, 26, 10, 0), utc(2026, 11, 2, 17, 30), id="winter-1730-gmt"),
        pytest.param(utc(2026, 10, 22, 10, 0), utc(2026, 10, 29, 17, 30), id="deadline-after-clocks-go-back"),
    ],
)
def test_deadline_ends_at_close_of_business_in_london(received_at: datetime, expected_utc: datetime) -> None:
    assert review_deadline(received_at, PLAIN).ends_at == expected_utc


def test_deadline_end_is_given_in_london_time() -> None:
    assert review_deadline(utc(2026, 6, 1, 10, 0), PLAIN).ends_at.tzinfo is LONDON
