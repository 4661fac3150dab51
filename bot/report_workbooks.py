"""The report workbooks from the database: one function per workbook, returning the .xlsx file's bytes.

For the command line (`steward report`) and the download links of the status card and the tab
(`report_workbook`, which builds off the event loop):

- ``await framework_workbook(session, contract, quarter, zone=LONDON)``: the quarterly performance
  framework (each PI month by month with its minimum and RAG, the KPIs, the payment, the commentary).
- ``await monthly_workbook(session, contract, quarter=None, zone=LONDON)``: the cumulative monthly
  framework, every month from the contract's start to the end of `quarter` (None: to the newest month
  with a submitted return), with totals to date and the last twelve months against the minimum.
- ``await pack_workbook(session, contract, quarter, today=None, zone=LONDON)``: the quarterly meeting
  pack (the framework, KPIs and payment, the action log, the deliverables); `today` marks overdue actions.

Days and times are shown in `zone` (pass Steward's configured one, `Settings.zone`). `contract` is a
stored `Contract` (``find_contract(session, "IVWS")`` finds one by key or name) and `quarter` a
`Quarter` of the contract's own years (``parse_quarter("2026-Q3", term)``), both from
`bot.quarter_report`, which raises `QuarterProblem` for anything the person can fix. The caller checks
the person may see the contract. The building itself is pure: `commissioning.workbooks`.
"""

from __future__ import annotations

import asyncio
from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.actions import LEVEL_WORDS, STATUS_WORDS, ActionLevel, ActionStatus, is_overdue
from commissioning.deliverables import REQUIRED_DELIVERABLES, DeliverableStatus
from commissioning.deliverables import STATUS_WORDS as DELIVERABLE_WORDS
from commissioning.download_links import ReportKind
from commissioning.meetings import MeetingType
from commissioning.periods import Month, Quarter
from commissioning.quarter import ContractTerm, OutcomePayment, kpi_from_dict, outcome_payment
from commissioning.workbooks import (
    ActionRow,
    ContractHeading,
    DeliverableRow,
    FrameworkInputs,
    Indicators,
    MonthCommentary,
    MonthlyInputs,
    PackInputs,
)
from commissioning.workbooks import framework_workbook as build_framework
from commissioning.workbooks import monthly_workbook as build_monthly
from commissioning.workbooks import pack_workbook as build_pack
from storage.actions import action_state
from storage.contracts import indicator_spec
from storage.deliverables import DeliverablesRepository
from storage.meeting_models import ActionItem
from storage.meetings import MeetingsRepository
from storage.models import Contract, Person
from storage.repositories import Repositories
from storage.returns import ReturnsRepository

QUARTERLY_MEETING = MeetingType.QUARTERLY_CONTRACT.value
LONDON = ZoneInfo("Europe/London")
"""The zone days and times are shown in unless the caller gives Steward's configured one."""


def term_of(contract: Contract) -> ContractTerm:
    return ContractTerm(contract.starts_on, contract.ends_on, contract.year_start_month)


async def heading(session: AsyncSession, contract: Contract) -> ContractHeading:
    repos = Repositories.on(session)
    commissioner = await repos.contracts.organisation(contract.commissioner_org_id)
    provider = await repos.contracts.organisation(contract.provider_org_id)
    return ContractHeading(
        key=contract.key,
        name=contract.name,
        commissioner=commissioner.name if commissioner else "",
        provider=provider.name if provider else "",
        starts_on=contract.starts_on,
        ends_on=contract.ends_on,
        year_start_month=contract.year_start_month,
    )


async def returns_between(
    session: AsyncSession, contract: Contract, first: Month, last: Month, zone: ZoneInfo = LONDON
) -> tuple[Indicators, list[MonthCommentary]]:
    """The contract's monthly PIs and the current versions of the returns from `first` to `last`; the day
    each was received, in `zone`."""
    rows = await Repositories.on(session).contracts.indicators(contract.id, "monthly")
    versions = await ReturnsRepository(session).current_versions(contract.id, first, last)
    values = pd.DataFrame(
        [(code, month.key, value) for month, _, found in versions for code, value in found.items()],
        columns=["indicator", "month", "value"],
    )
    commentary = [
        MonthCommentary(
            month, version.version, version.received_at.astimezone(zone).date(), version.narrative
        )
        for month, version, _ in versions
    ]
    return Indicators([indicator_spec(row) for row in rows], values), commentary


def payment_for(contract: Contract, quarter: Quarter, indicators: Indicators) -> OutcomePayment | None:
    """The quarter's outcome payment from the stored KPIs and the months' values, as `steward quarter` works
    it out; None for a contract without KPIs."""
    if not contract.kpis:
        return None
    kpis = [kpi_from_dict(entry) for entry in contract.kpis]
    grid = indicators.grid(quarter.months)
    months = {
        month: {str(code): float(v) for code, v in grid[month.key].dropna().items()}
        for month in quarter.months
        if grid[month.key].notna().any()
    }
    return outcome_payment(
        kpis, term_of(contract), contract.value_pence, contract.outcome_share, quarter, months
    )


async def framework_inputs(
    session: AsyncSession, contract: Contract, quarter: Quarter, zone: ZoneInfo = LONDON
) -> FrameworkInputs:
    first, last = quarter.months[0], quarter.months[-1]
    indicators, commentary = await returns_between(session, contract, first, last, zone)
    return FrameworkInputs(
        heading=await heading(session, contract),
        quarter=quarter,
        indicators=indicators,
        payment=payment_for(contract, quarter, indicators),
        commentary=commentary,
    )


async def framework_workbook(
    session: AsyncSession, contract: Contract, quarter: Quarter, *, zone: ZoneInfo = LONDON
) -> bytes:
    """The quarterly performance framework for `contract` and `quarter`, as .xlsx bytes."""
    return build_framework(await framework_inputs(session, contract, quarter, zone))


async def monthly_workbook(
    session: AsyncSession, contract: Contract, quarter: Quarter | None = None, *, zone: ZoneInfo = LONDON
) -> bytes:
    """The cumulative monthly framework from the contract's first month to the end of `quarter` (None: to
    the newest month with a submitted return, or the first month if there is none), as .xlsx bytes."""
    return build_monthly(await monthly_inputs(session, contract, quarter, zone))


async def monthly_inputs(
    session: AsyncSession, contract: Contract, quarter: Quarter | None, zone: ZoneInfo = LONDON
) -> MonthlyInputs:
    first = Month.of(contract.starts_on)
    if quarter is not None:
        last = quarter.months[-1]
    else:
        last = await ReturnsRepository(session).latest_submitted_month(contract.id) or first
    last = min(last, Month.of(contract.ends_on))
    months = [first]
    while months[-1] < last:
        months.append(months[-1].next())
    indicators, commentary = await returns_between(session, contract, first, last, zone)
    return MonthlyInputs(await heading(session, contract), months, indicators, commentary)


async def action_rows(
    session: AsyncSession, contract: Contract, quarter: Quarter, today: date, zone: ZoneInfo = LONDON
) -> list[ActionRow]:
    """Every open action on the contract, and those closed since the quarter began."""
    query = select(ActionItem, col(Person.name)).join(Person, col(Person.id) == col(ActionItem.owner_id))
    query = query.where(col(ActionItem.contract_id) == contract.id).order_by(col(ActionItem.id))
    rows = []
    for item, owner in (await session.execute(query)).all():
        closed = item.closed_at.astimezone(zone).date() if item.closed_at else None
        done = item.status == ActionStatus.DONE.value
        if done and closed is not None and closed < quarter.first_day:
            continue
        rows.append(
            ActionRow(
                number=item.id,
                description=item.description,
                owner=owner,
                due_on=item.due_on,
                status=STATUS_WORDS[ActionStatus(item.status)],
                level=LEVEL_WORDS[ActionLevel(item.level)],
                progress=item.progress,
                closed_on=closed if done else None,
                overdue=is_overdue(action_state(item), today),
            )
        )
    return rows


async def deliverable_rows(
    session: AsyncSession, contract: Contract, quarter: Quarter
) -> list[DeliverableRow]:
    saved = await DeliverablesRepository(session).deliverables(contract.id, quarter.first_day)
    rows = []
    for deliverable in REQUIRED_DELIVERABLES:
        record = saved.get(deliverable.code)
        if record is None:
            rows.append(DeliverableRow(deliverable.title, DELIVERABLE_WORDS[DeliverableStatus.MISSING]))
            continue
        status = DELIVERABLE_WORDS[DeliverableStatus(record.status)]
        rows.append(DeliverableRow(deliverable.title, status, record.location, record.note, record.reason))
    return rows


async def pack_workbook(
    session: AsyncSession,
    contract: Contract,
    quarter: Quarter,
    *,
    today: date | None = None,
    zone: ZoneInfo = LONDON,
) -> bytes:
    """The quarterly meeting pack for `contract` and `quarter`, as .xlsx bytes. An action is overdue when due
    before `today` (default: the quarter's last day); days and the meeting's time are shown in `zone`."""
    return build_pack(await pack_inputs(session, contract, quarter, today or quarter.last_day, zone))


async def pack_inputs(
    session: AsyncSession, contract: Contract, quarter: Quarter, today: date, zone: ZoneInfo = LONDON
) -> PackInputs:
    meeting = await MeetingsRepository(session).find_meeting(
        contract.id, QUARTERLY_MEETING, quarter.first_day
    )
    when = meeting.scheduled_for.astimezone(zone) if meeting and meeting.scheduled_for else None
    return PackInputs(
        framework=await framework_inputs(session, contract, quarter, zone),
        actions=await action_rows(session, contract, quarter, today, zone),
        deliverables=await deliverable_rows(session, contract, quarter),
        meeting_at=when.replace(tzinfo=None) if when is not None else None,
    )


async def report_workbook(
    session: AsyncSession,
    contract: Contract,
    report: ReportKind,
    quarter: Quarter,
    *,
    today: date,
    zone: ZoneInfo,
) -> bytes:
    """One of the three workbooks for a download link: the database read here, the openpyxl build (CPU-heavy)
    on a worker thread so the event loop keeps answering Teams. `monthly` runs to the end of `quarter`."""
    if report == "framework":
        framework = await framework_inputs(session, contract, quarter, zone)
        return await asyncio.to_thread(build_framework, framework)
    if report == "monthly":
        monthly = await monthly_inputs(session, contract, quarter, zone)
        return await asyncio.to_thread(build_monthly, monthly)
    pack = await pack_inputs(session, contract, quarter, today, zone)
    return await asyncio.to_thread(build_pack, pack)
