"""What improvement brings to a meeting: its agenda's plans, CIP items, changes and answers; its flagged misses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from commissioning.agenda import AnswerLine, Improvement, ItemLine, PlanLine, StepLine
from commissioning.improvement import cip
from commissioning.improvement.changes import ChangeStatus, ChangeTier
from commissioning.improvement.flags import PeriodResult, agenda_flags, flag_misses
from commissioning.improvement.pips import standing
from commissioning.improvement.steps import Step, StepStatus
from commissioning.indicators import IndicatorKind, IndicatorSpec
from commissioning.meetings import MeetingType
from commissioning.periods import Month, Quarter
from commissioning.roles import Permission
from dialogs.base import Turn
from dialogs.cards import plain
from dialogs.improvement.cards.changes import STATUS_WORDS as CHANGE_WORDS
from dialogs.improvement.cards.cip import STATUS_WORDS as CIP_WORDS
from dialogs.improvement.cards.pips import flagged_misses
from dialogs.improvement.cards.ratings import RULING_WORDS
from dialogs.improvement.steps.cip import last_quarterly_on
from storage.contracts import indicator_spec
from storage.improvement import cip_rule, pip_rule
from storage.meeting_models import Meeting
from storage.models import Contract
from storage.statuses import MeetingStatus


def _steps(steps: tuple[Step, ...]) -> tuple[StepLine, ...]:
    return tuple(StepLine(plain(s.what, 200), s.due_on, s.status is StepStatus.DONE) for s in steps)


async def agenda_improvement(turn: Turn, meeting: Meeting, contract: Contract) -> Improvement:
    """The contract's open plans, the CIP items to review, open change requests, and the rating answers
    made since the last meeting was held (a challenge stays until it is ruled on)."""
    repos, today = turn.repos, turn.local_now.date()
    specs = {s.code: s for s in await _specs(turn, contract)}
    plans = []
    for record in await repos.improvement.pips_for([contract.id]):
        plan = pip_rule(record)
        spec = specs.get(record.code) or IndicatorSpec(record.code, record.name, IndicatorKind.WHOLE_NUMBER)
        plans.append(
            PlanLine(plain(standing(plan, spec, today)), plan.by, _steps((*plan.actions, *plan.milestones)))
        )
    records = await repos.improvement.cips_for([contract.id])
    owners = await repos.people.by_ids(r.owner_id for r in records)
    review = set(
        cip.for_review({str(r.id): cip_rule(r) for r in records}, await last_quarterly_on(turn, contract))
    )
    items = [
        ItemLine(
            plain(r.what, 200),
            plain(owners[r.owner_id].name if r.owner_id in owners else ""),
            r.deadline_on,
            CIP_WORDS[cip_rule(r).status].lower(),
            r.done_on is not None,
            _steps(cip_rule(r).milestones),
        )
        for r in records
        if str(r.id) in review
    ]
    changes = [
        f"{plain(c.what, 200)} ({ChangeTier(c.tier).value}, {CHANGE_WORDS[ChangeStatus(c.status)].lower()})"
        for c in await repos.improvement.changes_for([contract.id], open_only=True)
    ]
    return Improvement(plans, items, changes, await _answers(turn, meeting, contract))


async def _answers(turn: Turn, meeting: Meeting, contract: Contract) -> list[AnswerLine]:
    """Answers made since the last meeting held (a challenge stays until ruled on). An answer to a KPI is
    for the quarterly meeting only, so it counts from the last quarterly meeting held."""
    held = await turn.repos.meetings.meetings([contract.id], status=MeetingStatus.HELD)
    quarterly = meeting.kind == MeetingType.QUARTERLY_CONTRACT.value
    since = _last_held(meeting, held, quarterly_only=False)
    since_quarterly = _last_held(meeting, held, quarterly_only=True)
    lines = []
    for answer in await turn.repos.improvement.responses_for([contract.id]):
        on_kpi = answer.quarter is not None
        if on_kpi and not quarterly:
            continue
        after = since_quarterly if on_kpi else since
        awaited = answer.kind == "challenge" and not answer.ruling
        if not awaited and after is not None and answer.at <= after:
            continue
        what = f"KPI {plain(answer.name)}" if on_kpi else plain(answer.name)
        words = f"{what} rated {answer.rating}: {plain(answer.text, 300)}"
        if answer.ruling:
            words += f" (reason: {plain(answer.ruling_reason, 200)})"
        ruling = RULING_WORDS[answer.ruling].split()[-1] if answer.ruling else ""
        lines.append(AnswerLine(words, answer.kind == "challenge", ruling))
    return lines


def _last_held(meeting: Meeting, held: list[Meeting], *, quarterly_only: bool) -> datetime | None:
    """When the last meeting before this one was held (of any kind, or quarterly only)."""
    kinds = {MeetingType.QUARTERLY_CONTRACT.value} if quarterly_only else None
    times = [
        m.held_at
        for m in held
        if m.held_at is not None and m.id != meeting.id and (kinds is None or m.kind in kinds)
    ]
    if meeting.status == MeetingStatus.HELD and meeting.held_at is not None:
        times = [t for t in times if t < meeting.held_at]
    return max(times, default=None)


async def _specs(turn: Turn, contract: Contract) -> list[IndicatorSpec]:
    repos = turn.repos
    rows = [
        *await repos.contracts.indicators(contract.id),
        *await repos.contracts.indicators(contract.id, "quarterly"),
    ]
    return [indicator_spec(r) for r in rows]


async def quarter_results(turn: Turn, contract: Contract, quarter: Quarter) -> list[PeriodResult]:
    """Each PI's result in each month of the quarter, from the returns as last submitted."""
    repos = turn.repos
    indicators = await repos.contracts.indicators(contract.id)
    found: list[PeriodResult] = []
    for month in quarter.months:
        monthly = await repos.returns.find(contract.id, month)
        if monthly is None or not monthly.current_version:
            continue
        latest = await repos.returns.version(monthly.id, monthly.current_version)
        values = latest.values if latest else {}
        for row in indicators:
            spec = indicator_spec(row)
            found.append(
                PeriodResult(
                    row.code, row.name, month, values.get(row.code), spec.requirement, spec.comparison
                )
            )
    return found


async def flagged_buttons(turn: Turn, meeting: Meeting, contract: Contract) -> list[dict[str, Any]]:
    """A quarterly meeting's flagged misses (flags.py: PIs missed in its quarter, and KPIs it found missed),
    each without an open plan, with a button to agree one for the commissioner."""
    if meeting.kind != MeetingType.QUARTERLY_CONTRACT.value:
        return []
    quarter = Quarter.containing(Month.of(meeting.period_start), contract.year_start_month)
    flags = agenda_flags(
        flag_misses(await quarter_results(turn, contract, quarter), contract.year_start_month), quarter
    )
    missed = {f.result.code: f.result.name for f in flags}
    for row in meeting.kpi_review or []:
        if isinstance(row, dict) and row.get("rag") in ("red", "amber"):
            missed.setdefault(str(row.get("code")), str(row.get("name", row.get("code"))))
    open_codes = {p.code for p in await turn.repos.improvement.pips_for([contract.id])}
    listed = [(code, name) for code, name in missed.items() if code not in open_codes]
    return flagged_misses(contract.id, listed, meeting.id, turn.may(contract.id, Permission.RECORD_MEETING))
