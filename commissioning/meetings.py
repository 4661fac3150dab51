"""Meeting scheduling rules: which meeting reviews a return, its deadline, a proposed time, fee sign-off."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from commissioning.calendar import WorkingCalendar, default_calendar
from commissioning.deadlines import (
    CLOSE_OF_BUSINESS,
    LONDON,
    REVIEW_WORKING_DAYS,
    MeetingType,
    effective_receipt_day,
    meeting_type_for,
)
from commissioning.indicators import Rag
from commissioning.periods import Month, Quarter

USUAL_START = time(10, 0)
# A proposal leaves this many working days before the deadline, so a clash can still be moved.
PROPOSAL_SLACK = 2
REASON_MAX = 1000
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")

MEETING_NAMES = {
    MeetingType.MONTHLY_REVIEW: "Monthly performance review",
    MeetingType.QUARTERLY_CONTRACT: "Quarterly contract meeting",
}


@dataclass(frozen=True, slots=True)
class MeetingRules:
    """What the deadline rules are told at start-up: close of business and how many working days."""

    close_of_business: time = CLOSE_OF_BUSINESS
    working_days: int = REVIEW_WORKING_DAYS
    usual_start: time = USUAL_START


_rules = MeetingRules()


def configure(*, close_of_business: time = CLOSE_OF_BUSINESS) -> MeetingRules:
    """Set the rules once at start-up (from settings), as the working calendar is."""
    global _rules
    _rules = replace(_rules, close_of_business=close_of_business)
    return _rules


def rules() -> MeetingRules:
    return _rules


# -- which meeting --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeetingSlot:
    """The meeting that reviews a return: its type, the period it covers and its title."""

    kind: MeetingType
    period_start: date
    period_label: str

    @property
    def title(self) -> str:
        return f"{MEETING_NAMES[self.kind]}: {self.period_label}"


def meeting_for_return(month: Month, start_month: int = 4) -> MeetingSlot:
    """A return's review meeting; the return for a quarter's last month goes to the quarterly meeting (§3.6)."""
    kind = meeting_type_for(month, start_month)
    if kind is MeetingType.QUARTERLY_CONTRACT:
        quarter = Quarter.containing(month, start_month)
        return MeetingSlot(kind, quarter.first_day, quarter.label)
    return MeetingSlot(kind, month.first_day, month.label)


def quarterly_slot(quarter: Quarter) -> MeetingSlot:
    return MeetingSlot(MeetingType.QUARTERLY_CONTRACT, quarter.first_day, quarter.label)


# -- deadline and proposal ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewDeadline:
    """When the clock started counting and when the meeting must have convened by."""

    receipt_day: date
    last_day: date
    ends_at: datetime  # close of business on the last day, in the people's zone


def review_deadline(
    clock_started_at: datetime,
    *,
    zone: tzinfo = LONDON,
    calendar: WorkingCalendar | None = None,
    meeting_rules: MeetingRules | None = None,
) -> ReviewDeadline:
    """The five-working-day deadline for a return received (or clock restarted) at `clock_started_at`."""
    calendar = calendar or default_calendar()
    settings = meeting_rules or rules()
    receipt_day = effective_receipt_day(clock_started_at, calendar, zone, settings.close_of_business)
    last_day = calendar.working_days_after(receipt_day, settings.working_days)
    return ReviewDeadline(
        receipt_day, last_day, datetime.combine(last_day, settings.close_of_business, tzinfo=zone)
    )


def propose_meeting_time(
    deadline: ReviewDeadline,
    now: datetime,
    *,
    zone: tzinfo = LONDON,
    calendar: WorkingCalendar | None = None,
    meeting_rules: MeetingRules | None = None,
) -> datetime:
    """A time to offer: the usual start on a working day that leaves some slack before the deadline.

    Never earlier than the next working day after today (people need notice), and never past the
    deadline while the deadline can still be met; once it cannot, the next working day after today.
    """
    calendar = calendar or default_calendar()
    settings = meeting_rules or rules()
    today = now.astimezone(zone).date()
    earliest = calendar.next_working_day(today)
    slack = max(settings.working_days - PROPOSAL_SLACK, 1)
    day = max(calendar.working_days_after(deadline.receipt_day, slack), earliest)
    if day > deadline.last_day and earliest <= deadline.last_day:
        day = deadline.last_day
    return datetime.combine(day, settings.usual_start, tzinfo=zone)


def parse_day(raw: object) -> date | None:
    """'2026-11-06' (what Input.Date sends) → a date; None when empty or not a real date."""
    found = _DAY.match(str(raw or "").strip())
    if not found:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def parse_clock_time(raw: object) -> time | None:
    """'10:00' (what Input.Time sends) → a time; None when empty or not a time of day."""
    found = _TIME.match(str(raw or "").strip())
    if not found:
        return None
    hour, minute = int(found.group(1)), int(found.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def long_date(day: date) -> str:
    """'Tuesday 10 November 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def check_schedule(
    when: datetime,
    deadline: ReviewDeadline,
    now: datetime,
    late_reason: str,
    *,
    calendar: WorkingCalendar | None = None,
) -> dict[str, str]:
    """Problems with a proposed meeting time, keyed by the card field they belong beside.

    A time past the deadline is allowed only with a reason (it is recorded); a time in the past or on a
    day that is not a working day is not allowed.
    """
    calendar = calendar or default_calendar()
    errors: dict[str, str] = {}
    local = when.astimezone(deadline.ends_at.tzinfo)
    if when <= now:
        errors["meeting_date"] = "Choose a date and time from now on."
    elif not calendar.is_working_day(local.date()):
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


# -- service fee ----------------------------------------------------------------------------------------------


def requirements_met(ratings: Iterable[Rag | None]) -> bool:
    """Minimum service requirements are met when no indicator falls short (amber is short, red more so)."""
    return all(rating in (Rag.GREEN, None) for rating in ratings)


FEE_SIGNED_OFF = "signed_off"
FEE_WITHHELD = "withheld"
FEE_DECISIONS = (FEE_SIGNED_OFF, FEE_WITHHELD)


def fee_problem(decision: str, met: bool, reason: str) -> str | None:
    """Why a service-fee decision cannot be recorded as given, or None when it can.

    Seed 001 §2: meeting the minimum service requirements triggers the service fee. Signing it off
    without them is allowed only with a recorded reason; withholding it always needs one.
    """
    if decision not in FEE_DECISIONS:
        return "Say whether the monthly service fee is signed off."
    if len(reason) > REASON_MAX:
        return f"Keep the reason under {REASON_MAX:,} characters."
    if decision == FEE_SIGNED_OFF and not met and not reason.strip():
        return (
            "The minimum service requirements were not all met, so signing off the fee needs a reason. "
            "It is recorded."
        )
    if decision == FEE_WITHHELD and not reason.strip():
        return "Give the reason the fee is not signed off; it is recorded and the provider sees it."
    return None


def held_problem(held_at: datetime, now: datetime) -> str | None:
    """A meeting can be recorded once it has happened, and not more than a year back."""
    if held_at > now:
        return "A meeting can be recorded once it has been held: this time is still to come."
    if held_at < now - timedelta(days=366):
        return "That is more than a year ago. Check the date."
    return None
