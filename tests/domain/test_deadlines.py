"""Tests for meeting deadlines, meeting types and attendees."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from commissioning.calendar import WorkingCalendar
from commissioning.deadlines import (
    ATTENDEE_ROLES,
    CONTRACT_ROLES,
    LONDON,
    Amendment,
    AttendeeRole,
    MeetingType,
    clock_start,
    contract_roles_to_invite,
    deadline_end,
    effective_receipt_day,
    meeting_type_for,
    review_meeting_deadline,
)
from commissioning.periods import Month

PLAIN = WorkingCalendar()


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
    calendar = WorkingCalendar([date(2026, 6, 8)])
    assert effective_receipt_day(utc(2026, 6, 8, 9, 0), calendar) == date(2026, 6, 9)


def test_close_of_business_can_be_configured() -> None:
    assert effective_receipt_day(utc(2026, 6, 1, 15, 30), PLAIN, close_of_business=time(16, 0)) == date(
        2026, 6, 2
    )


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
def test_review_meeting_deadline(received_at: datetime, expected: date) -> None:
    assert review_meeting_deadline(received_at, PLAIN) == expected


def test_closure_day_pushes_the_deadline() -> None:
    calendar = WorkingCalendar([date(2026, 6, 8)])
    assert review_meeting_deadline(utc(2026, 6, 6, 9, 0), calendar) == date(2026, 6, 16)


def test_number_of_working_days_can_be_configured() -> None:
    assert review_meeting_deadline(utc(2026, 6, 1, 10, 0), PLAIN, working_days=10) == date(2026, 6, 15)


@pytest.mark.parametrize(
    ("received_at", "expected_utc"),
    [
        pytest.param(utc(2026, 6, 1, 10, 0), utc(2026, 6, 8, 16, 30), id="summer-1730-bst"),
        pytest.param(utc(2026, 10, 26, 10, 0), utc(2026, 11, 2, 17, 30), id="winter-1730-gmt"),
        pytest.param(utc(2026, 10, 22, 10, 0), utc(2026, 10, 29, 17, 30), id="deadline-after-clocks-go-back"),
    ],
)
def test_deadline_end_is_close_of_business_in_london(received_at: datetime, expected_utc: datetime) -> None:
    assert deadline_end(received_at, PLAIN) == expected_utc


def test_deadline_end_is_given_in_london_time() -> None:
    assert deadline_end(utc(2026, 6, 1, 10, 0), PLAIN).tzinfo is LONDON


FIRST = utc(2026, 7, 2, 9, 0)
LATER = utc(2026, 7, 3, 9, 0)
LATEST = utc(2026, 7, 6, 9, 0)


@pytest.mark.parametrize(
    ("amendments", "expected"),
    [
        pytest.param([], FIRST, id="no-amendments"),
        pytest.param([(LATER, False)], FIRST, id="amendment-not-restarting"),
        pytest.param([(LATER, True)], LATER, id="amendment-restarting"),
        pytest.param([Amendment(LATER, True), Amendment(LATEST, True)], LATEST, id="latest-restart-wins"),
        pytest.param([(LATEST, True), (LATER, True)], LATEST, id="order-given-does-not-matter"),
        pytest.param([(LATER, True), (LATEST, False)], LATER, id="later-non-restart-ignored"),
    ],
)
def test_clock_start(amendments: list[tuple[datetime, bool]], expected: datetime) -> None:
    assert clock_start(FIRST, amendments) == expected


@pytest.mark.parametrize(
    ("first", "amendments", "message"),
    [
        pytest.param(datetime(2026, 7, 2, 9, 0), [], "time zone", id="naive-first"),  # noqa: DTZ001
        pytest.param(FIRST, [(datetime(2026, 7, 3, 9, 0), True)], "time zone", id="naive-amendment"),  # noqa: DTZ001
        pytest.param(FIRST, [(utc(2026, 7, 1), True)], "before the return", id="amendment-before-return"),
    ],
)
def test_clock_start_refuses_bad_times(
    first: datetime, amendments: list[tuple[datetime, bool]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        clock_start(first, amendments)


@pytest.mark.parametrize(
    ("return_month", "start_month", "expected"),
    [
        pytest.param(Month(2026, 4), 4, MeetingType.MONTHLY_REVIEW, id="april"),
        pytest.param(Month(2026, 5), 4, MeetingType.MONTHLY_REVIEW, id="may"),
        pytest.param(Month(2026, 6), 4, MeetingType.QUARTERLY_CONTRACT, id="june-ends-q1"),
        pytest.param(Month(2026, 7), 4, MeetingType.MONTHLY_REVIEW, id="july"),
        pytest.param(Month(2026, 8), 4, MeetingType.MONTHLY_REVIEW, id="august"),
        pytest.param(Month(2026, 9), 4, MeetingType.QUARTERLY_CONTRACT, id="september-ends-q2"),
        pytest.param(Month(2026, 10), 4, MeetingType.MONTHLY_REVIEW, id="october"),
        pytest.param(Month(2026, 11), 4, MeetingType.MONTHLY_REVIEW, id="november"),
        pytest.param(Month(2026, 12), 4, MeetingType.QUARTERLY_CONTRACT, id="december-ends-q3"),
        pytest.param(Month(2027, 1), 4, MeetingType.MONTHLY_REVIEW, id="january"),
        pytest.param(Month(2027, 2), 4, MeetingType.MONTHLY_REVIEW, id="february"),
        pytest.param(Month(2027, 3), 4, MeetingType.QUARTERLY_CONTRACT, id="march-ends-q4"),
        pytest.param(Month(2026, 3), 1, MeetingType.QUARTERLY_CONTRACT, id="calendar-year-march-ends-q1"),
        pytest.param(Month(2026, 4), 1, MeetingType.MONTHLY_REVIEW, id="calendar-year-april"),
        pytest.param(Month(2026, 4), 2, MeetingType.QUARTERLY_CONTRACT, id="february-start-april-ends-q1"),
        pytest.param(Month(2026, 6), 2, MeetingType.MONTHLY_REVIEW, id="february-start-june"),
        pytest.param(Month(2027, 1), 2, MeetingType.QUARTERLY_CONTRACT, id="february-start-january-ends-q4"),
    ],
)
def test_meeting_type_for(return_month: Month, start_month: int, expected: MeetingType) -> None:
    assert meeting_type_for(return_month, start_month) is expected


def test_meeting_type_values_are_stable_strings() -> None:
    assert [m.value for m in MeetingType] == ["monthly_review", "quarterly_contract"]


@pytest.mark.parametrize(
    ("meeting_type", "expected"),
    [
        pytest.param(
            MeetingType.MONTHLY_REVIEW,
            [
                ("commissioner", "Victims Programme Manager", "programme_manager"),
                ("commissioner", "VAWG Programme Manager", "programme_manager"),
                ("commissioner", "Restorative Justice Programme Manager", "programme_manager"),
                ("provider", "Heads of Service", "head_of_service"),
                ("provider", "Performance Data Manager", "provider_contact"),
            ],
            id="monthly-seed-3-4",
        ),
        pytest.param(
            MeetingType.QUARTERLY_CONTRACT,
            [
                ("commissioner", "Director of Criminal Justice & Commissioning", "director"),
                ("commissioner", "Contracts & Innovation Manager", "commissioner"),
                ("commissioner", "Senior Policy & Commissioning Manager", "commissioner"),
                ("commissioner", "Victims Programme Manager", "programme_manager"),
                ("commissioner", "VAWG Programme Manager", "programme_manager"),
                ("commissioner", "Restorative Justice Programme Manager", "programme_manager"),
                ("provider", "Service Director", "head_of_service"),
                ("provider", "Heads of Service", "head_of_service"),
            ],
            id="quarterly-seed-4-5",
        ),
    ],
)
def test_attendee_roles(meeting_type: MeetingType, expected: list[tuple[str, str, str]]) -> None:
    assert [(r.side, r.title, r.filled_by) for r in ATTENDEE_ROLES[meeting_type]] == expected


@pytest.mark.parametrize(
    ("meeting_type", "expected"),
    [
        pytest.param(
            MeetingType.MONTHLY_REVIEW,
            ("programme_manager", "head_of_service", "provider_contact"),
            id="monthly",
        ),
        pytest.param(
            MeetingType.QUARTERLY_CONTRACT,
            ("director", "commissioner", "programme_manager", "head_of_service"),
            id="quarterly",
        ),
    ],
)
def test_contract_roles_to_invite(meeting_type: MeetingType, expected: tuple[str, ...]) -> None:
    assert contract_roles_to_invite(meeting_type) == expected


def test_contract_roles_are_the_projects() -> None:
    assert CONTRACT_ROLES == (
        "provider_contact",
        "head_of_service",
        "commissioner",
        "programme_manager",
        "director",
    )


@pytest.mark.parametrize(
    ("side", "filled_by"),
    [
        pytest.param("funder", "commissioner", id="unknown-side"),
        pytest.param("provider", "caretaker", id="unknown-contract-role"),
    ],
)
def test_attendee_role_refuses_unknown_values(side: str, filled_by: str) -> None:
    with pytest.raises(ValueError):
        AttendeeRole(side, "Someone", filled_by)  # type: ignore[arg-type]


def test_attendee_role_is_frozen() -> None:
    role = ATTENDEE_ROLES[MeetingType.MONTHLY_REVIEW][0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        role.title = "Someone else"  # type: ignore[misc]


def test_attendee_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        ATTENDEE_ROLES[MeetingType.MONTHLY_REVIEW] = ()  # type: ignore[index]
