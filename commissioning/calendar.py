"""Working days in England and Wales: weekdays that are neither bank holidays nor configured closures."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

# England and Wales share one list of bank holidays (gov.uk publishes them together); the library's
# ENG and WLS subdivisions are identical, so ENG stands for both.
_COUNTRY = "GB"
_SUBDIVISION = "ENG"
_SATURDAY = 5
_REMEMBERED = 20_000  # answers kept per calendar: a year of sweeps asks far fewer


@lru_cache(maxsize=256)
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in `year`, substitute days included.

    Cached per year: the deadline rules ask about the same few years over and over.
    """
    found = holidays.country_holidays(_COUNTRY, subdiv=_SUBDIVISION, years=year, observed=True)
    return frozenset(day for day in found if day.year == year)


def _weekdays_up_to(day: date) -> int:
    """How many Mondays-to-Fridays fall on or before `day`, counting from 1 January of year 1 (a Monday)."""
    ordinal = day.toordinal()
    return ordinal // 7 * 5 + min(ordinal % 7, 5)


class WorkingCalendar:
    """Monday to Friday, less England and Wales bank holidays and any closure days an administrator set."""

    __slots__ = ("_after", "_between", "_closures")

    def __init__(self, closures: Iterable[date] = ()) -> None:
        self._closures = frozenset(closures)
        # (day, n) → working_days_after(day, n): the calendar never changes, and the deadline rules ask
        # the same few hundred questions for every contract on every sweep.
        self._after: dict[tuple[date, int], date] = {}
        # (start, end) → working_days_between: each escalation the sweep writes asks how late it is.
        self._between: dict[tuple[date, date], int] = {}

    def __repr__(self) -> str:
        return f"WorkingCalendar(closures={sorted(self._closures)!r})"

    @property
    def closures(self) -> frozenset[date]:
        """The extra closure days configured for this calendar."""
        return self._closures

    def is_bank_holiday(self, day: date) -> bool:
        return day in bank_holidays(day.year)

    def is_working_day(self, day: date) -> bool:
        """True on a weekday that is not a bank holiday (or substitute day) and not a closure day."""
        return day.weekday() < _SATURDAY and day not in self._closures and not self.is_bank_holiday(day)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_day_on_or_after(self, day: date) -> date:
        """`day` itself if it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def working_days_after(self, day: date, n: int) -> date:
        """The date `n` working days after `day`; `day` itself never counts, and n=0 gives `day` back."""
        if n < 0:
            raise ValueError(f"working days must be zero or more, got {n}")
        found = self._after.get((day, n))
        if found is None:
            found = day
            for _ in range(n):
                found = self.next_working_day(found)
            if len(self._after) >= _REMEMBERED:
                self._after.clear()
            self._after[(day, n)] = found
        return found

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days d have start < d <= end; negative when `end` is before `start`."""
        if end < start:
            return -self.working_days_between(end, start)
        found = self._between.get((start, end))
        if found is None:
            weekdays = _weekdays_up_to(end) - _weekdays_up_to(start)
            closed = set(self._closures)
            for year in range(start.year, end.year + 1):
                closed |= bank_holidays(year)
            found = weekdays - sum(1 for day in closed if start < day <= end and day.weekday() < _SATURDAY)
            if len(self._between) >= _REMEMBERED:
                self._between.clear()
            self._between[(start, end)] = found
        return found
