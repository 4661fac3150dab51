"""The meetings of seed 001: which meeting reviews a return, who sits at it, and the service-fee sign-off."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

from commissioning.deadlines import REASON_MAX
from commissioning.indicators import Rag
from commissioning.periods import Month, Quarter, last_completed_quarter
from commissioning.roles import Role, Side


class MeetingType(StrEnum):
    """The two meetings of seed 001: the monthly performance review and the quarterly contract meeting."""

    MONTHLY_REVIEW = "monthly_review"
    QUARTERLY_CONTRACT = "quarterly_contract"


MEETING_NAMES = {
    MeetingType.MONTHLY_REVIEW: "Monthly performance review",
    MeetingType.QUARTERLY_CONTRACT: "Quarterly contract meeting",
}


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


@dataclass(frozen=True, slots=True)
class MeetingSlot:
    """The meeting that reviews a return: its type, the period it covers and its title."""

    kind: MeetingType
    period_start: date
    period_label: str

    @property
    def title(self) -> str:
        return f"{MEETING_NAMES[self.kind]}: {self.period_label}"


@lru_cache(maxsize=4096)
def meeting_for_return(month: Month, start_month: int = 4) -> MeetingSlot:
    """A return's review meeting; the return for a quarter's last month goes to the quarterly meeting (§3.6)."""
    kind = meeting_type_for(month, start_month)
    if kind is MeetingType.QUARTERLY_CONTRACT:
        quarter = Quarter.containing(month, start_month)
        return MeetingSlot(kind, quarter.first_day, quarter.label)
    return MeetingSlot(kind, month.first_day, month.label)


def quarterly_slot(quarter: Quarter) -> MeetingSlot:
    return MeetingSlot(MeetingType.QUARTERLY_CONTRACT, quarter.first_day, quarter.label)


def quarterly_meeting_due(
    today: date, start_month: int = 4, *, last_quarters_is_over: bool = False
) -> Quarter:
    """The quarter whose quarterly meeting is the next one due: an action carried there is never sent back.

    The quarterly meeting for a quarter follows the return for its last month, which is due the month
    after the quarter closes; a late return can push it into the month after that. So the last closed
    quarter's meeting is still to come until the end of the second month after the quarter, unless it
    is over already (held, or its scheduled time has gone by). After that the next meeting due is the
    current quarter's. Carried on 8 December 2026 with no Q2 meeting held: Q3 2026/27, never Q2.
    """
    last = last_completed_quarter(today, start_month)
    still_to_come = today <= last.months[-1].next().next().last_day
    return last if still_to_come and not last_quarters_is_over else last.next()


# -- who attends ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttendeeRole:
    """A seat at a meeting, by its title, and who fills it: holders of a contract role, named people, or both."""

    side: Side | None  # None for a contract's own seat filled only by named people
    title: str
    filled_by: Role | None  # the contract role whose holders fill it; None when only named people do
    people: tuple[str, ...] = ()  # the people (by email) who fill it, as the portfolio file names them


_VICTIMS_PM = AttendeeRole(Side.COMMISSIONER, "Victims Programme Manager", Role.PROGRAMME_MANAGER)
_VAWG_PM = AttendeeRole(Side.COMMISSIONER, "VAWG Programme Manager", Role.PROGRAMME_MANAGER)
_RJ_PM = AttendeeRole(Side.COMMISSIONER, "Restorative Justice Programme Manager", Role.PROGRAMME_MANAGER)
_HEADS_OF_SERVICE = AttendeeRole(Side.PROVIDER, "Heads of Service", Role.HEAD_OF_SERVICE)

# Seed 001 §3.4 (monthly) and §4.5 (quarterly), in the seed's order: the default when the portfolio file
# gives an organisation or contract no seats of its own (commissioning/seats.py). Read-only.
ATTENDEE_ROLES: Mapping[MeetingType, tuple[AttendeeRole, ...]] = MappingProxyType(
    {
        MeetingType.MONTHLY_REVIEW: (
            _VICTIMS_PM,
            _VAWG_PM,
            _RJ_PM,
            _HEADS_OF_SERVICE,
            AttendeeRole(Side.PROVIDER, "Performance Data Manager", Role.PROVIDER_CONTACT),
        ),
        MeetingType.QUARTERLY_CONTRACT: (
            AttendeeRole(Side.COMMISSIONER, "Director of Criminal Justice & Commissioning", Role.DIRECTOR),
            AttendeeRole(Side.COMMISSIONER, "Contracts & Innovation Manager", Role.COMMISSIONER),
            AttendeeRole(Side.COMMISSIONER, "Senior Policy & Commissioning Manager", Role.COMMISSIONER),
            _VICTIMS_PM,
            _VAWG_PM,
            _RJ_PM,
            AttendeeRole(Side.PROVIDER, "Service Director", Role.HEAD_OF_SERVICE),
            _HEADS_OF_SERVICE,
        ),
    }
)


# -- held, and the service fee --------------------------------------------------------------------------------


def held_problem(held_at: datetime, now: datetime) -> str | None:
    """A meeting can be recorded once it has happened, and not more than a year back."""
    if held_at > now:
        return "A meeting can be recorded once it has been held: this time is still to come."
    if held_at < now - timedelta(days=366):
        return "That is more than a year ago. Check the date."
    return None


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
