"""Working hours: when a notification that is not urgent may go out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from commissioning.calendar import WorkingCalendar
from commissioning.deadlines import LONDON
from commissioning.reminder_policy import ReminderPolicy


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """When non-urgent notifications may go out: working days, between start and end, on the zone's clock.

    Times are read in `zone`, so 09:00 means 09:00 in London in summer (08:00 UTC) and in winter
    (09:00 UTC), whichever side of a clock change the moment falls.
    """

    start: time = time(9, 0)
    end: time = time(17, 30)
    zone: tzinfo = LONDON
    calendar: WorkingCalendar = field(kw_only=True)

    @classmethod
    def of(cls, policy: ReminderPolicy, zone: tzinfo, calendar: WorkingCalendar) -> WorkingHours:
        return cls(policy.working_hours.start, policy.working_hours.end, zone, calendar=calendar)

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return self.calendar.is_working_day(local.date()) and self.start <= local.time() < self.end

    def next_open(self, moment: datetime) -> datetime:
        """`moment` itself when inside working hours, else the start of the next working period."""
        if self.is_open(moment):
            return moment
        local = moment.astimezone(self.zone)
        day = local.date()
        if not (self.calendar.is_working_day(day) and local.time() < self.start):
            day = self.calendar.next_working_day(day)
        return datetime.combine(day, self.start, tzinfo=self.zone).astimezone(moment.tzinfo)

    def next_working_morning(self, moment: datetime) -> datetime:
        """The start of working hours on the next working day after `moment`'s day: where a snooze ends."""
        day = self.calendar.next_working_day(moment.astimezone(self.zone).date())
        return datetime.combine(day, self.start, tzinfo=self.zone).astimezone(moment.tzinfo)


def working_days_before(calendar: WorkingCalendar, day: date, n: int) -> date:
    """The working day `n` working days before `day` (`day` itself never counts); n=0 gives `day`."""
    found = day
    for _ in range(n):
        found -= timedelta(days=1)
        while not calendar.is_working_day(found):
            found -= timedelta(days=1)
    return found
