"""What a contract's status card starts from, read through the repositories: returns, KPIs, meetings, actions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from commissioning.actions import is_overdue
from commissioning.analytics.trends import twelve_month_trend
from commissioning.deadlines import review_deadline
from commissioning.indicators import IndicatorSpec
from commissioning.meetings import meeting_for_return
from commissioning.periods import Month, last_completed_month, last_completed_quarter
from commissioning.quarter import ContractTerm, KpiError, kpis_from_list
from commissioning.return_log import ReturnState
from commissioning.standing import KpiStanding, PiStanding, kpi_standings, pi_standings
from dialogs.base import Turn
from dialogs.common import meeting_title
from dialogs.monthly_return.log import load_log
from storage.actions import action_state
from storage.contracts import indicator_spec
from storage.meeting_models import ActionItem
from storage.models import Contract
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
    improvement_plans: tuple[str, ...]
    trend: pd.DataFrame  # twelve_month_trend: month, value, minimum, met per indicator
    trend_last: Month


def open_improvement_plans(turn: Turn, contract: Contract) -> tuple[str, ...]:
    """The contract's open performance improvement plans: none until the improvement tables provide them."""
    return ()


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
        kpis=_kpis(contract, months, today),
        next_meeting=next_meeting,
        overdue_returns=await _overdue_returns(turn, contract),
        overdue_meetings=late_meetings,
        overdue_actions=tuple(overdue),
        improvement_plans=open_improvement_plans(turn, contract),
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


def _kpis(contract: Contract, months: dict[Month, dict[str, float]], today: date) -> tuple[KpiStanding, ...]:
    if not contract.kpis:
        return ()
    try:
        kpis = kpis_from_list(contract.kpis)
    except KpiError as error:
        log.warning("contract %s: KPIs not shown: %s", contract.key, error)
        return ()
    term = ContractTerm(contract.starts_on, contract.ends_on, contract.year_start_month)
    last = min(last_completed_quarter(today, contract.year_start_month), term.last_quarter)
    return kpi_standings(kpis, term, months, last)


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
