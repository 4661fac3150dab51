"""Meeting scheduling rules: which meeting, the deadline on the awkward dates, the proposed time, fee sign-off."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from commissioning.calendar import WorkingCalendar
from commissioning.dates import long_date, parse_clock_time, parse_day
from commissioning.deadlines import MeetingRules, check_schedule, propose_meeting_time, review_deadline
from commissioning.indicators import Rag
from commissioning.meetings import (
    FEE_SIGNED_OFF,
    FEE_WITHHELD,
    MeetingType,
    fee_problem,
    held_problem,
    meeting_for_return,
    quarterly_meeting_due,
    requirements_met,
)
from commissioning.periods import Month, Quarter, last_completed_quarter

LONDON = ZoneInfo("Europe/London")
PLAIN = WorkingCalendar()
RULES = MeetingRules(PLAIN)


def utc(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# The dates tests/domain/test_deadlines.py does not already cover, from the list.
@pytest.mark.parametrize(
    ("received_at", "receipt_day", "last_day"),
    [
        pytest.param(utc(2026, 12, 31, 10), date(2026, 12, 31), date(2027, 1, 8), id="new-years-eve-2026"),
        pytest.param(
            utc(2026, 12, 31, 17, 45),
            date(2027, 1, 4),
            date(2027, 1, 11),
            id="new-years-eve-2026-after-close",
        ),
        pytest.param(utc(2027, 1, 1, 9), date(2027, 1, 4), date(2027, 1, 11), id="new-years-day-2027"),
        pytest.param(
            utc(2026, 12, 28, 9), date(2026, 12, 29), date(2027, 1, 6), id="boxing-day-substitute-2026"
        ),
        pytest.param(
            utc(2027, 12, 27, 9), date(2027, 12, 29), date(2028, 1, 6), id="christmas-substitutes-2027"
        ),
        pytest.param(
            utc(2027, 12, 30, 17, 45), date(2027, 12, 31), date(2028, 1, 10), id="30-dec-2027-after-close"
        ),
        pytest.param(utc(2028, 1, 3, 9), date(2028, 1, 4), date(2028, 1, 11), id="new-year-substitute-2028"),
        pytest.param(utc(2026, 4, 3, 9), date(2026, 4, 7), date(2026, 4, 14), id="good-friday-2026"),
        pytest.param(utc(2027, 3, 29, 9), date(2027, 3, 30), date(2027, 4, 6), id="easter-monday-2027"),
        pytest.param(utc(2027, 4, 30, 10), date(2027, 4, 30), date(2027, 5, 10), id="before-early-may-2027"),
        pytest.param(utc(2027, 5, 3, 10), date(2027, 5, 4), date(2027, 5, 11), id="early-may-2027"),
        pytest.param(utc(2027, 5, 28, 10), date(2027, 5, 28), date(2027, 6, 7), id="before-spring-2027"),
        pytest.param(utc(2027, 8, 30, 9), date(2027, 8, 31), date(2027, 9, 7), id="august-bank-holiday-2027"),
        pytest.param(
            utc(2026, 8, 29, 9), date(2026, 9, 1), date(2026, 9, 8), id="saturday-before-august-2026"
        ),
    ],
)
def test_review_deadline_on_awkward_dates(received_at: datetime, receipt_day: date, last_day: date) -> None:
    deadline = review_deadline(received_at, RULES)

    assert (deadline.receipt_day, deadline.last_day) == (receipt_day, last_day)


@pytest.mark.parametrize(
    ("closures", "received_at", "last_day"),
    [
        pytest.param(
            [date(2026, 12, 24)], utc(2026, 12, 23, 17, 45), date(2027, 1, 6), id="christmas-eve-closed"
        ),
        pytest.param(
            [date(2026, 11, 9)], utc(2026, 11, 3, 10), date(2026, 11, 11), id="closure-inside-the-window"
        ),
        pytest.param(
            [date(2026, 11, 3)], utc(2026, 11, 3, 10), date(2026, 11, 11), id="received-on-a-closure-day"
        ),
    ],
)
def test_configured_closure_days_move_the_deadline(
    closures: list[date], received_at: datetime, last_day: date
) -> None:
    assert review_deadline(received_at, MeetingRules(WorkingCalendar(closures))).last_day == last_day


def test_deadline_ends_at_close_of_business_in_london() -> None:
    assert review_deadline(utc(2026, 11, 3), RULES).ends_at == london(2026, 11, 10, 17, 30)


def test_configured_close_of_business_decides_the_receipt_day() -> None:
    rules = MeetingRules(PLAIN, close_of_business=time(16, 0))

    deadline = review_deadline(utc(2026, 11, 3, 16, 15), rules)

    assert (deadline.receipt_day, deadline.ends_at) == (date(2026, 11, 4), london(2026, 11, 11, 16, 0))


@pytest.mark.parametrize(
    ("month", "start_month", "kind", "period_start", "title"),
    [
        pytest.param(
            Month(2026, 10),
            4,
            MeetingType.MONTHLY_REVIEW,
            date(2026, 10, 1),
            "Monthly performance review: October 2026",
            id="october-monthly",
        ),
        pytest.param(
            Month(2026, 9),
            4,
            MeetingType.QUARTERLY_CONTRACT,
            date(2026, 7, 1),
            "Quarterly contract meeting: Q2 2026/27",
            id="september-takes-the-quarterly",
        ),
        pytest.param(
            Month(2027, 3),
            4,
            MeetingType.QUARTERLY_CONTRACT,
            date(2027, 1, 1),
            "Quarterly contract meeting: Q4 2026/27",
            id="march-ends-the-contract-year",
        ),
        pytest.param(
            Month(2026, 12),
            1,
            MeetingType.QUARTERLY_CONTRACT,
            date(2026, 10, 1),
            "Quarterly contract meeting: Q4 2026",
            id="calendar-year-contract",
        ),
    ],
)
def test_meeting_for_return(
    month: Month, start_month: int, kind: MeetingType, period_start: date, title: str
) -> None:
    slot = meeting_for_return(month, start_month)

    assert (slot.kind, slot.period_start, slot.title) == (kind, period_start, title)


@pytest.mark.parametrize(
    ("received_at", "now", "expected"),
    [
        pytest.param(
            utc(2026, 11, 3), utc(2026, 11, 3), london(2026, 11, 6), id="third-working-day-after-receipt"
        ),
        pytest.param(
            utc(2026, 11, 3), utc(2026, 11, 6, 12), london(2026, 11, 9), id="late-look-next-working-day"
        ),
        pytest.param(
            utc(2026, 11, 3), utc(2026, 11, 9, 12), london(2026, 11, 10), id="last-chance-is-the-deadline"
        ),
        pytest.param(
            utc(2026, 11, 3), utc(2026, 11, 12), london(2026, 11, 13), id="deadline-passed-next-day"
        ),
        pytest.param(utc(2026, 12, 23), utc(2026, 12, 23), london(2026, 12, 30), id="over-christmas"),
    ],
)
def test_proposed_time_sits_inside_the_deadline_with_notice(
    received_at: datetime, now: datetime, expected: datetime
) -> None:
    deadline = review_deadline(received_at, RULES)

    assert propose_meeting_time(deadline, now, RULES) == expected


NOW = utc(2026, 11, 3, 10)
DEADLINE = review_deadline(NOW, RULES)  # Tuesday 10 November 2026, 17:30


@pytest.mark.parametrize(
    ("when", "reason", "errors"),
    [
        pytest.param(london(2026, 11, 6), "", {}, id="inside-the-deadline"),
        pytest.param(london(2026, 11, 10, 17, 0), "", {}, id="last-day-before-close"),
        pytest.param(
            london(2026, 11, 11),
            "",
            {
                "late_reason": "That is after the deadline (Tuesday 10 November 2026). Give the reason the "
                "meeting cannot be held in time; it is recorded."
            },
            id="late-without-a-reason",
        ),
        pytest.param(london(2026, 11, 11), "Director away until the 11th", {}, id="late-with-a-reason"),
        pytest.param(
            london(2026, 11, 7),
            "",
            {"meeting_date": "Saturday 7 November 2026 is not a working day. Choose a working day."},
            id="saturday",
        ),
        pytest.param(
            london(2026, 11, 3, 9),
            "",
            {"meeting_date": "Choose a date and time from now on."},
            id="in-the-past",
        ),
    ],
)
def test_check_schedule(when: datetime, reason: str, errors: dict[str, str]) -> None:
    assert check_schedule(when, DEADLINE, NOW, reason, RULES) == errors


def test_a_closure_day_is_not_a_meeting_day() -> None:
    closed = WorkingCalendar([date(2026, 11, 6)])

    assert check_schedule(london(2026, 11, 6), DEADLINE, NOW, "", MeetingRules(closed)) == {
        "meeting_date": "Friday 6 November 2026 is not a working day. Choose a working day."
    }


@pytest.mark.parametrize(
    ("ratings", "met"),
    [
        pytest.param([Rag.GREEN, Rag.GREEN], True, id="all-green"),
        pytest.param([Rag.GREEN, None], True, id="no-minimum-counts-as-met"),
        pytest.param([Rag.GREEN, Rag.AMBER], False, id="amber-is-short"),
        pytest.param([Rag.RED], False, id="red"),
        pytest.param([], True, id="nothing-to-rate"),
    ],
)
def test_requirements_met(ratings: list[Rag | None], met: bool) -> None:
    assert requirements_met(ratings) is met


@pytest.mark.parametrize(
    ("decision", "met", "reason", "problem"),
    [
        pytest.param(FEE_SIGNED_OFF, True, "", None, id="met-sign-off"),
        pytest.param(
            FEE_SIGNED_OFF,
            False,
            "",
            "The minimum service requirements were not all met, so signing off the fee needs a reason. "
            "It is recorded.",
            id="not-met-sign-off-without-reason",
        ),
        pytest.param(FEE_SIGNED_OFF, False, "Agreed recovery plan", None, id="not-met-sign-off-with-reason"),
        pytest.param(
            FEE_WITHHELD,
            True,
            "",
            "Give the reason the fee is not signed off; it is recorded and the provider sees it.",
            id="withheld-without-reason",
        ),
        pytest.param(FEE_WITHHELD, False, "PI4 missed again", None, id="withheld-with-reason"),
        pytest.param("", True, "", "Say whether the monthly service fee is signed off.", id="no-decision"),
    ],
)
def test_fee_sign_off(decision: str, met: bool, reason: str, problem: str | None) -> None:
    assert fee_problem(decision, met, reason) == problem


@pytest.mark.parametrize(
    ("held_at", "problem"),
    [
        pytest.param(utc(2026, 11, 6, 10), None, id="held-already"),
        pytest.param(
            utc(2026, 11, 6, 13),
            "A meeting can be recorded once it has been held: this time is still to come.",
            id="in-the-future",
        ),
        pytest.param(utc(2025, 11, 1), "That is more than a year ago. Check the date.", id="too-long-ago"),
    ],
)
def test_held_problem(held_at: datetime, problem: str | None) -> None:
    assert held_problem(held_at, utc(2026, 11, 6, 12)) == problem


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("2026-11-06", date(2026, 11, 6), id="iso"),
        pytest.param(" 2026-11-06 ", date(2026, 11, 6), id="spaces"),
        pytest.param("2026-02-30", None, id="no-such-day"),
        pytest.param("06/11/2026", None, id="other-format"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="none"),
    ],
)
def test_parse_day(raw: object, expected: date | None) -> None:
    assert parse_day(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("10:00", time(10, 0), id="hh-mm"),
        pytest.param("9:05", time(9, 5), id="single-digit-hour"),
        pytest.param("10:00:00", time(10, 0), id="with-seconds"),
        pytest.param("24:00", None, id="no-such-hour"),
        pytest.param("ten", None, id="words"),
    ],
)
def test_parse_clock_time(raw: str, expected: time | None) -> None:
    assert parse_clock_time(raw) == expected


def test_long_date_reads_as_people_write_it() -> None:
    assert long_date(date(2026, 11, 6)) == "Friday 6 November 2026"


@pytest.mark.parametrize(
    ("quarter", "key", "previous", "following"),
    [
        pytest.param(Quarter(2026, 2), "2026Q2", Quarter(2026, 1), Quarter(2026, 3), id="middle"),
        pytest.param(Quarter(2026, 1), "2026Q1", Quarter(2025, 4), Quarter(2026, 2), id="first"),
        pytest.param(Quarter(2026, 4), "2026Q4", Quarter(2026, 3), Quarter(2027, 1), id="last"),
    ],
)
def test_quarter_key_previous_and_next(
    quarter: Quarter, key: str, previous: Quarter, following: Quarter
) -> None:
    assert (quarter.key, quarter.previous(), quarter.next(), Quarter.parse(key)) == (
        key,
        previous,
        following,
        quarter,
    )


@pytest.mark.parametrize("text", ["2026Q5", "2026-Q2", "Q2 2026", ""])
def test_quarter_parse_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match="expected a quarter like 2026Q2"):
        Quarter.parse(text)


@pytest.mark.parametrize(
    ("today", "start_month", "expected"),
    [
        pytest.param(date(2026, 11, 3), 4, Quarter(2026, 2), id="november-q2-closed"),
        pytest.param(date(2026, 4, 15), 4, Quarter(2025, 4), id="april-last-years-q4"),
        pytest.param(date(2026, 11, 3), 1, Quarter(2026, 3, 1), id="calendar-year"),
    ],
)
def test_last_completed_quarter(today: date, start_month: int, expected: Quarter) -> None:
    assert last_completed_quarter(today, start_month) == expected


Q2_2026, Q3_2026 = Quarter(2026, 2), Quarter(2026, 3)


@pytest.mark.parametrize(
    ("today", "over", "expected"),
    [
        (date(2026, 10, 8), False, Q2_2026),  # Q2 closed in September: its meeting comes in October
        (date(2026, 11, 6), False, Q2_2026),  # a late September return: the meeting can still come
        (date(2026, 11, 30), False, Q2_2026),
        (date(2026, 12, 1), False, Q3_2026),  # the case: no Q2 meeting held by December
        (date(2026, 12, 8), False, Q3_2026),
        (date(2026, 10, 20), True, Q3_2026),  # Q2's meeting held (or its time gone by)
        (date(2027, 1, 10), False, Q3_2026),  # Q3 closed in December
        (date(2027, 3, 1), False, Quarter(2026, 4)),
    ],
)
def test_the_quarterly_meeting_due_is_never_one_already_past(
    today: date, over: bool, expected: Quarter
) -> None:
    assert quarterly_meeting_due(today, 4, last_quarters_is_over=over) == expected
