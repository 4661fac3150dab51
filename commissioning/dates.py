"""Dates and times as people type and read them: what Input.Date and Input.Time send, and a date in words."""

from __future__ import annotations

import re
from datetime import date, time

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")


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
