"""Persistent breach (seed 001 §5.2): a plan missed, or the same indicator missed again, with the evidence."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from commissioning.dates import long_date
from commissioning.improvement.flags import Period, PeriodResult
from commissioning.improvement.pips import Pip, PipStatus
from commissioning.periods import Month


class BreachReason(StrEnum):
    PLAN_MISSED = "plan_missed"  # the plan's level not reached by its date, or its remedial action not taken
    MISSED_DURING_PLAN = "missed_during_plan"  # missed again while a plan for it is open
    MISSED_TWICE_RUNNING = "missed_twice_running"  # missed in two periods running (today's rule)


REASON_WORDS = {
    BreachReason.PLAN_MISSED: "the improvement plan was missed",
    BreachReason.MISSED_DURING_PLAN: "missed again while an improvement plan is open",
    BreachReason.MISSED_TWICE_RUNNING: "missed in two periods running",
}


@dataclass(frozen=True, slots=True)
class Breach:
    """A persistent breach for the director: the indicator, why, the results that show it, and the plan."""

    code: str
    name: str
    reasons: tuple[BreachReason, ...]
    evidence: tuple[PeriodResult, ...]  # the periods and values, oldest first
    key: str  # one per indicator and period (or per plan): a caller sends each once
    plan_id: str | None = None
    plan: Pip | None = None


def _during(plan: Pip, period: Period) -> bool:
    """A period falls under an open plan from the first period starting after it was agreed until the
    period before its deadline's; a plan already met no longer counts."""
    return (
        plan.outcome is not PipStatus.MET and plan.agreed_on < period.first_day and period.last_day < plan.by
    )


@lru_cache(maxsize=1024)
def _before(period: Period) -> Period:
    """The period before: asked once per miss of every contract, of the same few months and quarters."""
    return period.previous()


def _plan_for(result: PeriodResult, plans: Iterable[tuple[str, Pip]]) -> str | None:
    for plan_id, plan in plans:
        if plan.code == result.code and _during(plan, result.period):
            return plan_id
    return None


def repeat_misses(results: Iterable[PeriodResult], plans: Mapping[str, Pip] | None = None) -> list[Breach]:
    """Each miss that repeats one in the period before, or falls while a plan for the indicator is open.

    With no plans this is today's rule (commissioning/reminders/breaches.py): the same PI missed in two
    months running, or the same KPI in two quarters running.
    """
    plans = plans or {}
    ordered_plans = sorted(plans.items())
    known = {(r.code, r.period): r for r in results}
    # Only misses can breach, and only a miss before one makes it a repeat: the rest need not be sorted.
    missed = {key: result for key, result in known.items() if result.missed}
    breaches: list[Breach] = []
    for (code, period), result in sorted(missed.items(), key=lambda item: (item[0][0], item[0][1].first_day)):
        reasons: list[BreachReason] = []
        before = missed.get((code, _before(period)))
        if before is not None:
            reasons.append(BreachReason.MISSED_TWICE_RUNNING)
        plan_id = _plan_for(result, ordered_plans)
        if plan_id is not None:
            reasons.append(BreachReason.MISSED_DURING_PLAN)
        if not reasons:
            continue
        evidence = (before, result) if BreachReason.MISSED_TWICE_RUNNING in reasons and before else (result,)
        plan = plans.get(plan_id) if plan_id is not None else None
        breaches.append(
            Breach(code, result.name, tuple(reasons), evidence, f"{code}:{period.key}", plan_id, plan)
        )
    return breaches


def _plan_missed(plan: Pip, window: list[PeriodResult]) -> bool:
    """Missed as recorded, or shown by the results: short in the deadline's period and never at the level."""
    if plan.outcome is not None:
        return plan.outcome is PipStatus.MISSED
    if any(plan.reaches(r.value) for r in window):
        return False
    return any(r.value is not None and r.period.last_day >= plan.by for r in window)


def missed_plans(results: Iterable[PeriodResult], plans: Mapping[str, Pip]) -> list[Breach]:
    """Each plan whose level was not reached by its date; the evidence is the miss that led to it and
    every result for the indicator from its agreement to its deadline."""
    breaches: list[Breach] = []
    if not plans:
        return breaches
    listed = sorted(results, key=lambda r: r.period.first_day)
    for plan_id, plan in sorted(plans.items()):
        mine = [r for r in listed if r.code == plan.code]
        window = [r for r in mine if plan.agreed_on < r.period.first_day <= plan.by]
        if not _plan_missed(plan, window):
            continue
        earlier = [r for r in mine if r.missed and r.period.last_day < plan.agreed_on][-1:]
        breaches.append(
            Breach(
                plan.code,
                plan.name,
                (BreachReason.PLAN_MISSED,),
                (*earlier, *window),
                f"{plan.code}:plan:{plan_id}",
                plan_id,
                plan,
            )
        )
    return breaches


def persistent_breaches(results: Iterable[PeriodResult], plans: Mapping[str, Pip]) -> list[Breach]:
    """Every persistent breach the facts show: plans missed first, then repeated misses, by indicator."""
    listed = list(results)
    return missed_plans(listed, plans) + repeat_misses(listed, plans)


def can_breach(result: PeriodResult, planned: Collection[str]) -> bool:
    """Whether `persistent_breaches` reads `result` at all: a miss, or any result of an indicator under a
    plan (`planned`: the codes of the contract's plans). Leaving out the rest changes nothing, as long as
    no two results share an indicator and a period (a month's PI results never do)."""
    return result.missed or result.code in planned


def months_in_reach(reported: Mapping[Month, date], reach: date) -> set[Month]:
    """The months of a plan-free contract whose PI results can still show in a breach that is not stale.

    `reported`: the day each month's return came in; `reach`: the earliest such day a notice still goes
    out for (today less the contract's stop_chasing_after_days). A repeat is dated by the later of its
    two results, so each month reported on or after `reach` counts, with the month either side of it.
    A contract under a plan needs every result (a missed plan is dated by the window's first late one).
    """
    recent = {month for month, day in reported.items() if day >= reach}
    return recent | {m.previous() for m in recent} | {m.next() for m in recent}


def describe(breach: Breach) -> str:
    """The breach in one line for the director: the indicator, why, and each period's value."""
    why = " and ".join(REASON_WORDS[r] for r in breach.reasons)
    shown = "; ".join(
        f"{r.period.label}: {_number(r.value)} against {_number(r.requirement)}" for r in breach.evidence
    )
    line = f"{breach.name} ({breach.code}): {why}. {shown}"
    if breach.plan is not None:
        line += f". Plan: {_number(breach.plan.level)} by {long_date(breach.plan.by)}"
    return line + "."


def _number(value: float | None) -> str:
    return "no value" if value is None else f"{value:,g}"
