"""Meeting rules: when a return's review meeting is due, which meeting it is, and who attends."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from enum import StrEnum
from types import MappingProxyType
from typing import Literal, NamedTuple, get_args
from zoneinfo import ZoneInfo

from commissioning.calendar import WorkingCalendar, default_calendar
from commissioning.periods import Month, Quarter

LONDON = ZoneInfo("Europe/London")
CLOSE_OF_BUSINESS = time(17, 30)
REVIEW_WORKING_DAYS = 5


def _require_aware(moment: datetime, what: str) -> None:
    """Stored times are UTC and people are in London: a time without a zone could mean either."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must carry a time zone, got naive {moment.isoformat()}")


def effective_receipt_day(
    received_at: datetime,
    calendar: WorkingCalendar | None = None,
    zone: tzinfo = LONDON,
    close_of_business: time = CLOSE_OF_BUSINESS,
) -> date:
    """The working day a return counts as received on, which is the day the clock starts after.

    The time is read on the clock in `zone` (London), so a UTC time is right on both sides of the
    clock change. A return received at or after the close of business, or on a weekend, bank holiday
    or closure day, counts as received on the next working day. Exactly at close of business is
    after it: the commissioner's day has ended.
    """
    _require_aware(received_at, "received_at")
    if calendar is None:
        calendar = default_calendar()
    local = received_at.astimezone(zone)
    day = local.date()
    if calendar.is_working_day(day) and local.time() < close_of_business:
        return day
    return calendar.next_working_day(day)


def review_meeting_deadline(
    received_at: datetime,
    calendar: WorkingCalendar | None = None,
    zone: tzinfo = LONDON,
    close_of_business: time = CLOSE_OF_BUSINESS,
    working_days: int = REVIEW_WORKING_DAYS,
) -> date:
    """The last day the review meeting may be held: five working days after the day of receipt.

    Seed 001 §3.3: the meeting convenes "within five working days" of the commissioner receiving the
    return; the day of receipt does not count.
    """
    if calendar is None:
        calendar = default_calendar()
    receipt_day = effective_receipt_day(received_at, calendar, zone, close_of_business)
    return calendar.working_days_after(receipt_day, working_days)


def deadline_end(
    received_at: datetime,
    calendar: WorkingCalendar | None = None,
    zone: tzinfo = LONDON,
    close_of_business: time = CLOSE_OF_BUSINESS,
    working_days: int = REVIEW_WORKING_DAYS,
) -> datetime:
    """The moment the meeting deadline passes: close of business on the last day, in `zone`."""
    last_day = review_meeting_deadline(received_at, calendar, zone, close_of_business, working_days)
    return datetime.combine(last_day, close_of_business, tzinfo=zone)


class Amendment(NamedTuple):
    """An amended return: when it arrived, and whether the commissioner said it restarts the clock."""

    received_at: datetime
    restarts_clock: bool


def clock_start(first_received_at: datetime, amendments: Iterable[tuple[datetime, bool]] = ()) -> datetime:
    """The receipt time the meeting clock runs from.

    An amendment does not restart the clock unless the commissioner says so; when several do, the
    latest counts. Without one, the clock runs from the first receipt.
    """
    _require_aware(first_received_at, "first_received_at")
    start = first_received_at
    for received_at, restarts_clock in amendments:
        _require_aware(received_at, "amendment received_at")
        if received_at < first_received_at:
            raise ValueError(
                f"amendment received {received_at.isoformat()} before the return {first_received_at.isoformat()}"
            )
        if restarts_clock and received_at > start:
            start = received_at
    return start


class MeetingType(StrEnum):
    """The two meetings of seed 001: the monthly performance review and the quarterly contract meeting."""

    MONTHLY_REVIEW = "monthly_review"
    QUARTERLY_CONTRACT = "quarterly_contract"


def meeting_type_for(return_month: Month, start_month: int = 4) -> MeetingType:
    """Which meeting reviews the return for `return_month`.

    A return's meeting falls in the month after the return month (within five working days of
    receipt). The quarterly contract meeting is held after the quarter closes, so also in the month
    after the quarter's last month. Seed 001 §3.6: in a month that has a quarterly meeting it takes
    the monthly meeting's place, so the return for the last month of a contract quarter (June,
    September, December and March when contract years start in April) goes to the quarterly meeting.
    """
    quarter = Quarter.containing(return_month, start_month)
    if return_month == quarter.months[-1]:
        return MeetingType.QUARTERLY_CONTRACT
    return MeetingType.MONTHLY_REVIEW


Side = Literal["commissioner", "provider"]
ContractRole = Literal["provider_contact", "head_of_service", "commissioner", "programme_manager", "director"]
CONTRACT_ROLES: tuple[str, ...] = get_args(ContractRole)
SIDES: tuple[str, ...] = get_args(Side)


@dataclass(frozen=True, slots=True)
class AttendeeRole:
    """A seat at a meeting as seed 001 names it, and the contract role whose holders fill it."""

    side: Side
    title: str
    filled_by: ContractRole

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}, got {self.side!r}")
        if self.filled_by not in CONTRACT_ROLES:
            raise ValueError(f"filled_by must be one of {CONTRACT_ROLES}, got {self.filled_by!r}")


_VICTIMS_PM = AttendeeRole("commissioner", "Victims Programme Manager", "programme_manager")
_VAWG_PM = AttendeeRole("commissioner", "VAWG Programme Manager", "programme_manager")
_RJ_PM = AttendeeRole("commissioner", "Restorative Justice Programme Manager", "programme_manager")
_HEADS_OF_SERVICE = AttendeeRole("provider", "Heads of Service", "head_of_service")

# Seed 001 §3.4 (monthly) and §4.5 (quarterly), in the seed's order. Read-only: it is the rulebook.
ATTENDEE_ROLES: Mapping[MeetingType, tuple[AttendeeRole, ...]] = MappingProxyType(
    {
        MeetingType.MONTHLY_REVIEW: (
            _VICTIMS_PM,
            _VAWG_PM,
            _RJ_PM,
            _HEADS_OF_SERVICE,
            AttendeeRole("provider", "Performance Data Manager", "provider_contact"),
        ),
        MeetingType.QUARTERLY_CONTRACT: (
            AttendeeRole("commissioner", "Director of Criminal Justice & Commissioning", "director"),
            AttendeeRole("commissioner", "Contracts & Innovation Manager", "commissioner"),
            AttendeeRole("commissioner", "Senior Policy & Commissioning Manager", "commissioner"),
            _VICTIMS_PM,
            _VAWG_PM,
            _RJ_PM,
            AttendeeRole("provider", "Service Director", "head_of_service"),
            _HEADS_OF_SERVICE,
        ),
    }
)


def contract_roles_to_invite(meeting_type: MeetingType) -> tuple[str, ...]:
    """The contract roles whose holders are invited to `meeting_type`, each once, in seat order."""
    return tuple(dict.fromkeys(role.filled_by for role in ATTENDEE_ROLES[meeting_type]))
