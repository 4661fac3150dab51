"""What the deadline sweep reads for improvement: results, plans, CIP items and change requests as plain facts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.improvement.breaches import can_breach, months_in_reach
from commissioning.improvement.changes import ChangeStatus
from commissioning.improvement.flags import PeriodResult, short_of
from commissioning.indicators import IndicatorSpec
from commissioning.meetings import MeetingType
from commissioning.periods import Month, Quarter
from commissioning.reminders.facts import (
    ChangeFacts,
    CipFacts,
    ImprovementFacts,
    PipFacts,
    ResultFacts,
)
from commissioning.roles import Side
from storage.improvement import OPEN_CHANGES, cip_rule, pip_rule
from storage.improvement_models import ChangeRecord, CipRecord, ImprovementEvent, PipRecord
from storage.meeting_models import Meeting
from storage.models import Contract
from storage.received_values import ReceivedValues, received_values
from storage.statuses import MeetingStatus


async def improvement_facts(
    session: AsyncSession,
    ids: list[int],
    since: date,
    zone: tzinfo,
    reach: Mapping[int, date],
    returns: Mapping[int, tuple[int, date, datetime]],
) -> ImprovementFacts:
    """Everything the breach and chasing rules need for these contracts, from `since` on.

    `reach`: per contract, the earliest day a result can have come in and still show in a notice (today
    less its policy's stop_chasing_after_days); older results are read only where they pair with one.
    `returns`: the monthly returns received for months from `since` on, as the sweep read them (return
    id → contract id, first day of its month, when it came in).
    """
    if not ids:
        return ImprovementFacts()
    pips = await _pips(session, ids, zone)
    planned: dict[int, set[str]] = {}
    for pip in pips:
        planned.setdefault(pip.contract_id, set()).add(pip.plan.code)
    came = _came_in(returns, zone)
    received = await received_values(session, ids, _in_reach(came, reach, planned))
    specs = {(contract_id, spec.code): (key, spec) for key, (contract_id, spec) in received.specs.items()}
    return ImprovementFacts(
        results=(*_monthly(received, came, planned), *await _quarterly(session, ids, since, zone, specs)),
        pips=pips,
        items=await _items(session, ids),
        changes=await _changes(session, ids, zone),
    )


# return id → (contract id, its month, the day it came in, in people's zone)
CameIn = dict[int, tuple[int, Month, date]]


def _came_in(returns: Mapping[int, tuple[int, date, datetime]], zone: tzinfo) -> CameIn:
    """Each received return's month and day of receipt, worked out once for choosing and for reading."""
    months: dict[date, Month] = {}
    came: CameIn = {}
    for return_id, (contract_id, starts_on, received_at) in returns.items():
        month = months.get(starts_on) or months.setdefault(starts_on, Month.of(starts_on))
        came[return_id] = (contract_id, month, received_at.astimezone(zone).date())
    return came


def _in_reach(came: CameIn, reach: Mapping[int, date], planned: Mapping[int, set[str]]) -> set[int]:
    """The returns whose values the breach rule can still use: all of a contract under a plan, else
    those of `months_in_reach`."""
    by_contract: dict[int, dict[Month, tuple[int, date]]] = {}
    for return_id, (contract_id, month, day) in came.items():
        by_contract.setdefault(contract_id, {})[month] = (return_id, day)
    wanted: set[int] = set()
    for contract_id, found in by_contract.items():
        earliest = reach.get(contract_id)
        if contract_id in planned or earliest is None:
            wanted.update(return_id for return_id, _ in found.values())
            continue
        keep = months_in_reach({month: day for month, (_, day) in found.items()}, earliest)
        wanted.update(found[month][0] for month in keep if month in found)
    return wanted


def _monthly(received: ReceivedValues, came: CameIn, planned: Mapping[int, set[str]]) -> list[ResultFacts]:
    """Each PI's value in each received month's latest version, with the day the return came in: those
    the breach rule reads (`can_breach`: the misses, and every result of an indicator under a plan)."""
    found = []
    for return_id, indicator_id, value in received.values:
        known = received.specs.get(indicator_id)
        where = came.get(return_id)
        if known is None or where is None:
            continue
        spec = known[1]
        contract_id, month, day = where
        codes = planned.get(contract_id, ())
        if spec.code not in codes and not short_of(value, spec.requirement, spec.comparison):
            continue  # what can_breach leaves out, known before a result is made
        result = PeriodResult(spec.code, spec.name, month, value, spec.requirement, spec.comparison)
        if can_breach(result, codes):
            found.append(ResultFacts(contract_id, result, day, return_id=return_id))
    return found


async def _quarterly(
    session: AsyncSession,
    ids: list[int],
    since: date,
    zone: tzinfo,
    specs: dict[tuple[int, str], tuple[int, IndicatorSpec]],
) -> list[ResultFacts]:
    """Each KPI's result as a held quarterly meeting recorded it, with the day it was held."""
    query = (
        select(Meeting, col(Contract.year_start_month))
        .join(Contract, col(Contract.id) == col(Meeting.contract_id))
        .where(
            col(Meeting.contract_id).in_(ids),
            col(Meeting.kind) == MeetingType.QUARTERLY_CONTRACT.value,
            col(Meeting.status) == MeetingStatus.HELD,
            col(Meeting.period_start) >= since,
        )
    )
    found = []
    for meeting, start_month in (await session.execute(query)).all():
        if meeting.held_at is None:
            continue
        quarter = Quarter.containing(Month.of(meeting.period_start), start_month)
        for row in meeting.kpi_review or []:
            known = specs.get((meeting.contract_id, str(row.get("code")))) if isinstance(row, dict) else None
            if known is None or not isinstance(row.get("value"), int | float):
                continue
            spec = known[1]
            result = PeriodResult(
                spec.code, spec.name, quarter, float(row["value"]), spec.requirement, spec.comparison
            )
            held = meeting.held_at.astimezone(zone).date()
            found.append(ResultFacts(meeting.contract_id, result, held, meeting_id=meeting.id))
    return found


async def _pips(session: AsyncSession, ids: list[int], zone: tzinfo) -> tuple[PipFacts, ...]:
    rows = list(
        (await session.execute(select(PipRecord).where(col(PipRecord.contract_id).in_(ids)))).scalars()
    )
    declared: dict[int, date] = {}
    if rows:
        query = (
            select(ImprovementEvent)
            .where(
                col(ImprovementEvent.subject) == "pip",
                col(ImprovementEvent.state) == "missed",
                col(ImprovementEvent.subject_id).in_([r.id for r in rows]),
            )
            .order_by(col(ImprovementEvent.at))
        )
        for event in (await session.execute(query)).scalars():
            declared.setdefault(event.subject_id, event.at.astimezone(zone).date())
    return tuple(PipFacts(r.id, r.contract_id, pip_rule(r), declared.get(r.id)) for r in rows)


async def _items(session: AsyncSession, ids: list[int]) -> tuple[CipFacts, ...]:
    query = select(CipRecord).where(col(CipRecord.contract_id).in_(ids), col(CipRecord.status) != "done")
    return tuple(
        CipFacts(r.id, r.contract_id, r.owner_id, cip_rule(r))
        for r in (await session.execute(query)).scalars()
    )


async def _changes(session: AsyncSession, ids: list[int], zone: tzinfo) -> tuple[ChangeFacts, ...]:
    query = select(ChangeRecord).where(
        col(ChangeRecord.contract_id).in_(ids), col(ChangeRecord.status).in_(OPEN_CHANGES)
    )
    return tuple(
        ChangeFacts(
            r.id,
            r.contract_id,
            r.what,
            ChangeStatus(r.status),
            Side(r.proposed_by_side),
            r.updated_at.astimezone(zone).date(),
        )
        for r in (await session.execute(query)).scalars()
    )
