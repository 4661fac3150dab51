"""Leave: who is away on a day, who covers what cannot wait for them, and which working days count for them.

A leave runs from its first day to its last day away, both included. While a person is away their
reminders wait; what cannot wait goes to their delegate on that contract, or when there is none (or
the delegate is away too) to the next person in the contract's chain: provider contact → head of
service; commissioner → programme manager → director.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from commissioning.calendar import WorkingCalendar
from commissioning.roles import Role

MAX_LEAVE_DAYS = 366

# Who is next in a contract's chain after each role.
CHAIN: Mapping[Role, tuple[Role, ...]] = {
    Role.PROVIDER_CONTACT: (Role.HEAD_OF_SERVICE,),
    Role.HEAD_OF_SERVICE: (),
    Role.COMMISSIONER: (Role.PROGRAMME_MANAGER, Role.DIRECTOR),
    Role.PROGRAMME_MANAGER: (Role.DIRECTOR,),
    Role.DIRECTOR: (),
}
CHAIN_ORDER = tuple(Role)


@dataclass(frozen=True, slots=True)
class Leave:
    """A person's leave: first and last day away, and who covers for them on each contract."""

    id: int
    person_id: int
    starts_on: date
    ends_on: date
    delegates: Mapping[int, int] = field(default_factory=dict)  # contract id → person id

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class LeaveError(ValueError):
    """Leave that cannot be recorded; `field` names the input at fault."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


def check_leave(starts_on: date | None, ends_on: date | None, today: date) -> tuple[date, date]:
    """The dates of a leave as recorded, or LeaveError naming the date at fault."""
    if starts_on is None:
        raise LeaveError("starts_on", "Enter the first day of your leave, like 2026-12-21.")
    if ends_on is None:
        raise LeaveError("ends_on", "Enter the last day of your leave, like 2027-01-04.")
    if ends_on < starts_on:
        raise LeaveError("ends_on", "The last day must be on or after the first day.")
    if ends_on < today:
        raise LeaveError("ends_on", "That leave is over already: the last day is in the past.")
    if (ends_on - starts_on).days >= MAX_LEAVE_DAYS:
        raise LeaveError("ends_on", "Leave can be at most a year; record a longer absence as two.")
    return starts_on, ends_on


def away_on(leaves: Iterable[Leave], person_id: int, day: date) -> Leave | None:
    """The person's leave covering `day`, if they are away then."""
    for leave in leaves:
        if leave.person_id == person_id and leave.covers(day):
            return leave
    return None


def stand_in(
    person_id: int,
    contract_id: int,
    roles: Mapping[str, tuple[int, ...]],
    leaves: Iterable[Leave],
    day: date,
) -> int | None:
    """Who gets what cannot wait for an absent person on a contract: their delegate if present, else the
    first present person further up the contract's chain; None when nobody is left."""
    leaves = tuple(leaves)
    leave = away_on(leaves, person_id, day)
    if leave is None:
        return person_id
    delegate = leave.delegates.get(contract_id)
    if delegate is not None and delegate != person_id and away_on(leaves, delegate, day) is None:
        return delegate
    held = [role for role in CHAIN_ORDER if person_id in roles.get(role.value, ())]
    for role in held:
        for higher in CHAIN[role]:
            for candidate in roles.get(higher.value, ()):
                if candidate != person_id and away_on(leaves, candidate, day) is None:
                    return candidate
    return None


def present_working_days_after(
    calendar: WorkingCalendar, start: date, n: int, leaves: Iterable[Leave]
) -> date:
    """The day that is `n` of the person's own working days after `start`: days they were away do not count."""
    own = tuple(leaves)
    day, counted = start, 0
    while counted < n:
        day = calendar.next_working_day(day)
        if not any(leave.covers(day) for leave in own):
            counted += 1
    return day


def back_on(calendar: WorkingCalendar, leave: Leave) -> date:
    """The first working day after the leave: the day they are back."""
    return calendar.next_working_day(leave.ends_on)
