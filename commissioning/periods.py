"""Reporting periods: calendar months and contract-year quarters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month, the period of a monthly return."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 9999:
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """'2026-10' → Month(2026, 10). Raises ValueError on anything else."""
        found = _MONTH.match(text.strip())
        if not found:
            raise ValueError(f"expected a month like 2026-10, got {text!r}")
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), 12 if self.month == 1 else self.month - 1)


def last_completed_month(today: date) -> Month:
    """The month a return is normally due for: the one before today's."""
    return Month.of(today).previous()


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    """A quarter of a contract year; contract years start in `start_month` (April by default)."""

    contract_year_start: int
    number: int
    start_month: int = 4

    @classmethod
    def containing(cls, month: Month, start_month: int = 4) -> Quarter:
        offset = (month.month - start_month) % 12
        year = month.year if month.month >= start_month else month.year - 1
        return cls(year, offset // 3 + 1, start_month)

    @property
    def months(self) -> tuple[Month, Month, Month]:
        first = Month(self.contract_year_start, self.start_month)
        for _ in range((self.number - 1) * 3):
            first = first.next()
        second = first.next()
        return first, second, second.next()

    @property
    def label(self) -> str:
        end_year = (self.contract_year_start + 1) % 100
        if self.start_month == 1:
            return f"Q{self.number} {self.contract_year_start}"
        return f"Q{self.number} {self.contract_year_start}/{end_year:02d}"

    @property
    def first_day(self) -> date:
        return self.months[0].first_day

    @property
    def last_day(self) -> date:
        return self.months[2].last_day

    @property
    def key(self) -> str:
        """'2026Q2': the year the contract year starts in, and the quarter's number within it."""
        return f"{self.contract_year_start:04d}Q{self.number}"

    @classmethod
    def parse(cls, text: str, start_month: int = 4) -> Quarter:
        """'2026Q2' → the second quarter of the contract year starting in 2026. Raises ValueError otherwise."""
        found = _QUARTER.match(text.strip().upper())
        if not found:
            raise ValueError(f"expected a quarter like 2026Q2, got {text!r}")
        return cls(int(found.group(1)), int(found.group(2)), start_month)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.contract_year_start + 1, 1, self.start_month)
        return Quarter(self.contract_year_start, self.number + 1, self.start_month)

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.contract_year_start - 1, 4, self.start_month)
        return Quarter(self.contract_year_start, self.number - 1, self.start_month)


def last_completed_quarter(today: date, start_month: int = 4) -> Quarter:
    """The quarter whose quarterly contract meeting comes next: the last one that has closed."""
    return Quarter.containing(Month.of(today), start_month).previous()
