"""A missed PI or KPI is flagged to the next quarterly contract meeting's agenda (seed 001 §5.2)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from commissioning.indicators import Comparison
from commissioning.meetings import MeetingSlot, meeting_for_return, quarterly_slot
from commissioning.periods import Month, Quarter

Period = Month | Quarter  # a month for a PI, a contract quarter for a KPI


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """One indicator's result for one period, beside its requirement (None: not given, or nothing set)."""

    code: str
    name: str
    period: Period
    value: float | None
    requirement: float | None
    comparison: Comparison = Comparison.AT_LEAST

    @property
    def missed(self) -> bool:
        """Short of the requirement by any amount (amber is short too); no value or no requirement is not a miss."""
        return short_of(self.value, self.requirement, self.comparison)


def short_of(value: float | None, requirement: float | None, comparison: Comparison) -> bool:
    """`PeriodResult.missed` before there is a result: for a reader that keeps only the misses."""
    if value is None or requirement is None:
        return False
    if comparison is Comparison.AT_LEAST:
        return value < requirement
    return value > requirement


@dataclass(frozen=True, slots=True)
class Flag:
    """A miss, and the quarterly contract meeting whose agenda it goes on."""

    result: PeriodResult
    meeting: MeetingSlot
    quarter: Quarter


def meeting_quarter(period: Period, start_month: int = 4) -> Quarter:
    """The quarter whose quarterly meeting first follows a miss in `period`.

    A PI missed in any month of a quarter goes to that quarter's meeting, held after the quarter closes
    (for its last month this is the meeting that reviews the return, seed 001 §3.6). A KPI missed in a
    quarter goes to that quarter's own meeting: the first one after the quarter, where its result is reviewed.
    """
    if isinstance(period, Quarter):
        return period
    slot = meeting_for_return(period, start_month)
    return Quarter.containing(Month.of(slot.period_start), start_month)


def flag_misses(
    results: Iterable[PeriodResult], start_month: int = 4, held: Collection[Quarter] = ()
) -> list[Flag]:
    """Every missed result, flagged to the next quarterly meeting not yet held.

    `held` are the quarters whose quarterly meeting is already over: a miss that comes to light after
    its meeting (a late or amended return) goes to the next one, never to a meeting in the past.
    """
    flags: list[Flag] = []
    for result in results:
        if not result.missed:
            continue
        quarter = meeting_quarter(result.period, start_month)
        while quarter in held:
            quarter = quarter.next()
        flags.append(Flag(result, quarterly_slot(quarter), quarter))
    return sorted(flags, key=lambda f: (f.quarter, f.result.code, f.result.period.first_day))


def agenda_flags(flags: Iterable[Flag], quarter: Quarter) -> list[Flag]:
    """The flags on one quarterly meeting's agenda."""
    return [flag for flag in flags if flag.quarter == quarter]
