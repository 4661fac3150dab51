"""The review meeting's deadline: the day a return counts as received, and five working days after it.

Seed 001 §3.3: the meeting convenes "within five working days" of the commissioner receiving the
return; the day of receipt does not count. This is the one place the rule is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from commissioning.calendar import WorkingCalendar
from commissioning.dates import long_date

LONDON = ZoneInfo("Europe/London")
CLOSE_OF_BUSINESS = time(17, 30)
REVIEW_WORKING_DAYS = 5
USUAL_START = time(10, 0)
# A proposal leaves this many working days before the deadline, so a clash can still be moved.
PROPOSAL_SLACK = 2
REASON_MAX = 1000


@dataclass(frozen=True, slots=True)
class MeetingRules:
    """What the deadline rule is told at start-up: the calendar, the people's zone, close of business."""

    calendar: WorkingCalendar
    zone: ZoneInfo = LONDON
    close_of_business: time = CLOSE_OF_BUSINESS
    working_days: int = REVIEW_WORKING_DAYS
    usual_start: time = USUAL_START


@dataclass(frozen=True, slots=True)
class ReviewDeadline:
    """When the clock started counting and when the meeting must have convened by."""

    receipt_day: date
    last_day: date
    ends_at: datetime  # close of business on the last day, in the people's zone


def _require_aware(moment: datetime, what: str) -> None:
    """Stored times are UTC and people are in London: a time without a zone could mean either."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must carry a time zone, got naive {moment.isoformat()}")


def effective_receipt_day(received_at: datetime, rules: MeetingRules) -> date:
    """The working day a return counts as received on, which is the day the clock starts after.

    The time is read on the clock in the rules' zone (London), so a UTC time is right on both sides
    of the clock change. A return received at or after the close of business, or on a weekend, bank
    holiday or closure day, counts as received on the next working day. Exactly at close of business
    is after it: the commissioner's day has ended.
    """
    _require_aware(received_at, "received_at")
    local = received_at.astimezone(rules.zone)
    day = local.date()
    if rules.calendar.is_working_day(day) and local.time() < rules.close_of_business:
        return day
    return rules.calendar.next_working_day(day)


def review_deadline(clock_started_at: datetime, rules: MeetingRules) -> ReviewDeadline:
    """The five-working-day deadline for a return received (or its clock restarted) at `clock_started_at`."""
    receipt_day = effective_receipt_day(clock_started_at, rules)
    last_day = rules.calendar.working_days_after(receipt_day, rules.working_days)
    ends_at = datetime.combine(last_day, rules.close_of_business, tzinfo=rules.zone)
    return ReviewDeadline(receipt_day, last_day, ends_at)


def propose_meeting_time(deadline: ReviewDeadline, now: datetime, rules: MeetingRules) -> datetime:
    """A time to offer: the usual start on a working day that leaves some slack before the deadline.

    Never earlier than the next working day after today (people need notice), and never past the
    deadline while the deadline can still be met; once it cannot, the next working day after today.
    """
    calendar = rules.calendar
    today = now.astimezone(rules.zone).date()
    earliest = calendar.next_working_day(today)
    slack = max(rules.working_days - PROPOSAL_SLACK, 1)
    day = max(calendar.working_days_after(deadline.receipt_day, slack), earliest)
    if day > deadline.last_day and earliest <= deadline.last_day:
        day = deadline.last_day
    return datetime.combine(day, rules.usual_start, tzinfo=rules.zone)


def check_schedule(
    when: datetime, deadline: ReviewDeadline, now: datetime, late_reason: str, rules: MeetingRules
) -> dict[str, str]:
    """Problems with a proposed meeting time, keyed by the card field they belong beside.

    A time past the deadline is allowed only with a reason (it is recorded); a time in the past or on a
    day that is not a working day is not allowed.
    """
    errors: dict[str, str] = {}
    local = when.astimezone(deadline.ends_at.tzinfo)
    if when <= now:
        errors["meeting_date"] = "Choose a date and time from now on."
    elif not rules.calendar.is_working_day(local.date()):
        errors["meeting_date"] = f"{long_date(local.date())} is not a working day. Choose a working day."
    if when > deadline.ends_at and not late_reason.strip():
        errors["late_reason"] = (
            f"That is after the deadline ({long_date(deadline.last_day)}). Give the reason the meeting "
            "cannot be held in time; it is recorded."
        )
    if len(late_reason) > REASON_MAX:
        errors["late_reason"] = f"Keep the reason under {REASON_MAX:,} characters."
    return errors


def is_late(when: datetime, deadline: ReviewDeadline) -> bool:
    return when > deadline.ends_at
