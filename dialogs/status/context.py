"""What a contract's status card starts from, read through the repositories: returns, KPIs, meetings, actions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from commissioning.actions import is_overdue
from commissioning.analytics.trends import twelve_month_trend
from commissioning.deadlines import review_deadline
from commissioning.improvement.pips import STATUS_WORDS as PIP_WORDS
from commissioning.indicators import Comparison, IndicatorSpec, format_value
from commissioning.meetings import meeting_for_return
from commissioning.periods import Month, Quarter, last_completed_month, last_completed_quarter
from commissioning.quarter import ContractTerm, KpiError, Source, kpis_from_list
from commissioning.return_log import ReturnState
from commissioning.standing import (
    KpiStanding,
    PiStanding,
    kpi_standings,
    number_text,
    pi_standings,
    quarters_back,
)
from dialogs.base import Turn
from dialogs.common import meeting_title
from dialogs.monthly_return.log import load_log
from storage.actions import action_state
from storage.contracts import indicator_spec
from storage.improvement import pip_rule
from storage.meeting_models import ActionItem
from storage.models import Contract
from storage.quarter import QuarterRepository
from storage.statuses import MeetingStatus

log = logging.getLogger(__name__)
MONTHS_READ = 24
"""The newest months of returns read for a card: the twelve-month trend and two years of KPI quarters."""


@dataclass(frozen=True)
class LatestReturn:
    """The newest month with a submitted return: when it first came in (people's zone) and its version."""

    month: Month
    received: datetime | None
    version: int


@dataclass(frozen=True)
class MeetingDue:
    """A review meeting: when it is scheduled (None: not yet) and the deadline it must meet by."""

    title: str
    when: datetime | None
    deadline: datetime | None


@dataclass(frozen=True)
class OpenPlan:
    """An open performance improvement plan: for which indicator, the level to reach by when, its state, and
    the steps past their due date."""

    pip_id: int
    code: str
    name: str
    level: str  # 'at least 90%', in the indicator's own unit
    by: date
    state: str  # 'Agreed', 'On track'
    overdue_steps: int


@dataclass(frozen=True)
class ContractStanding:
    """Everything the status and portfolio cards show about one contract."""

    contract: Contract
    specs: tuple[IndicatorSpec, ...]
    latest: LatestReturn | None
    pis: tuple[PiStanding, ...]
    kpis: tuple[KpiStanding, ...]
    next_meeting: MeetingDue | None
    overdue_returns: tuple[Month, ...]  # newest first
    overdue_meetings: tuple[MeetingDue, ...]
    overdue_actions: tuple[ActionItem, ...]  # most overdue first
    improvement_plans: tuple[OpenPlan, ...]  # soonest deadline first
    trend: pd.DataFrame  # twelve_month_trend: month, value, minimum, met per indicator
    trend_last: Month


async def open_improvement_plans(
    turn: Turn, contract: Contract, specs: tuple[IndicatorSpec, ...]
) -> tuple[OpenPlan, ...]:
    """The contract's open performance improvement plans (agreed or on track), soonest deadline first."""
    today, units = turn.local_now.date(), {spec.code: spec for spec in specs}
    plans = []
    for record in await turn.repos.improvement.pips_for([contract.id]):
        pip = pip_rule(record)
        spec = units.get(pip.code)
        shown = format_value(spec, pip.level) if spec else number_text(pip.level)
        word = "at least" if pip.comparison is Comparison.AT_LEAST else "at most"
        plans.append(
            OpenPlan(
                record.id,
                pip.code,
                pip.name,
                f"{word} {shown}",
                pip.by,
                PIP_WORDS[pip.status],
                len(pip.overdue_steps(today)),
            )
        )
    return tuple(plans)


async def load_standing(turn: Turn, contract: Contract) -> ContractStanding:
    repos, today = turn.repos, turn.local_now.date()
    specs = tuple(indicator_spec(row) for row in await repos.contracts.indicators(contract.id))
    months, latest = await _returned_months(turn, contract)
    latest_values = months.get(latest.month, {}) if latest else {}
    last = min(last_completed_month(today), Month.of(contract.ends_on))
    overdue = sorted(
        (a for a in await repos.actions.actions_for([contract.id]) if is_overdue(action_state(a), today)),
        key=lambda a: (a.due_on, a.id),
    )
    next_meeting, late_meetings = await _meetings(turn, contract)
    return ContractStanding(
        contract=contract,
        specs=specs,
        latest=latest,
        pis=pi_standings(specs, latest_values),
        kpis=await _kpis(turn, contract, months, today),
        next_meeting=next_meeting,
        overdue_returns=await _overdue_returns(turn, contract),
        overdue_meetings=late_meetings,
        overdue_actions=tuple(overdue),
        improvement_plans=await open_improvement_plans(turn, contract, specs),
        trend=_trend(contract, specs, months, last),
        trend_last=last,
    )


async def _returned_months(
    turn: Turn, contract: Contract
) -> tuple[dict[Month, dict[str, float]], LatestReturn | None]:
    """The current version's values of the newest submitted returns, and the newest of them."""
    returns = turn.repos.returns
    submitted = [(m, month) for m, month in await returns.for_contract(contract.id) if m.current_version >= 1]
    months: dict[Month, dict[str, float]] = {}
    for monthly, month in submitted[:MONTHS_READ]:
        version = await returns.version(monthly.id, monthly.current_version)
        if version is not None:
            months[month] = version.values
    if not submitted:
        return months, None
    newest, month = submitted[0]
    received = newest.received_at.astimezone(turn.zone) if newest.received_at else None
    return months, LatestReturn(month, received, newest.current_version)


async def _kpis(
    turn: Turn, contract: Contract, months: dict[Month, dict[str, float]], today: date
) -> tuple[KpiStanding, ...]:
    """Each KPI in its latest quarter with a result: computed from the months, or from the stored KPI return
    for a reported KPI (the same figures `steward quarter` works out)."""
    if not contract.kpis:
        return ()
    try:
        kpis = kpis_from_list(contract.kpis)
    except KpiError as error:
        log.warning("contract %s: KPIs not shown: %s", contract.key, error)
        return ()
    term = ContractTerm(contract.starts_on, contract.ends_on, contract.year_start_month)
    last = min(last_completed_quarter(today, contract.year_start_month), term.last_quarter)
    reported: dict[Quarter, dict[str, float]] = {}
    if any(kpi.source is Source.REPORTED for kpi in kpis):
        quarters = QuarterRepository(turn.repos.session)
        for quarter in quarters_back(term, last):
            reported[quarter] = await quarters.reported(contract.id, quarter)
    return kpi_standings(kpis, term, months, last, reported)


def _trend(
    contract: Contract, specs: tuple[IndicatorSpec, ...], months: dict[Month, dict[str, float]], last: Month
) -> pd.DataFrame:
    codes = {spec.code for spec in specs}
    rows = [
        (contract.key, code, month.key, value)
        for month, values in months.items()
        for code, value in values.items()
        if code in codes
    ]
    frame = pd.DataFrame(rows, columns=["contract", "indicator", "month", "value"])
    return twelve_month_trend(frame, specs, last)


async def _overdue_returns(turn: Turn, contract: Contract) -> tuple[Month, ...]:
    """The months whose return is past its due date and not in, newest first (the return log's 'missing')."""
    return tuple(m.month for m in await load_log(turn, contract) if m.status.state is ReturnState.MISSING)


async def _meetings(turn: Turn, contract: Contract) -> tuple[MeetingDue | None, tuple[MeetingDue, ...]]:
    """The next review meeting, and the meetings whose five-working-day deadline passed without them."""
    repos, zone = turn.repos, turn.zone
    meetings = await repos.meetings.meetings([contract.id])
    held = {(m.kind, m.period_start) for m in meetings if m.status == MeetingStatus.HELD}
    scheduled = {
        (m.kind, m.period_start): m
        for m in meetings
        if m.status == MeetingStatus.SCHEDULED and m.scheduled_for
    }
    due: list[MeetingDue] = []
    for received in await repos.meetings.received_returns([contract.id]):
        slot = meeting_for_return(Month.of(received.period.starts_on), contract.year_start_month)
        key = (slot.kind.value, slot.period_start)
        started = received.monthly.clock_started_at
        if key in held or started is None:
            continue
        deadline = review_deadline(started, turn.rules.meetings).ends_at
        meeting = scheduled.get(key)
        when = meeting.scheduled_for.astimezone(zone) if meeting and meeting.scheduled_for else None
        due.append(MeetingDue(meeting_title(meeting) if meeting else slot.title, when, deadline))
    late = tuple(m for m in due if m.deadline is not None and m.deadline < turn.now)  # not held in time
    upcoming = sorted(
        (m for m in due if (m.when or m.deadline or turn.now) >= turn.now),
        key=lambda m: (m.when or m.deadline or turn.now, m.title),
    )
    return (upcoming[0] if upcoming else None), late
