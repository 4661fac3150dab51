"""The demo's past: each contract's monthly returns, held meetings and KPI returns (examples/demo-history.yaml)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from commissioning.deadlines import review_deadline
from commissioning.indicators import rag
from commissioning.meetings import meeting_for_return, requirements_met
from commissioning.periods import Month, Quarter
from commissioning.quarter.approval import EvidenceCheck, EvidenceState
from commissioning.quarter.kpi_return import KpiEvidence
from commissioning.quarter.kpis import KpiStatus
from commissioning.quarter.payment_terms import CohortEntry, check_cohort
from commissioning.quarter.pbr import Cohort
from commissioning.rules import Rules
from dialogs.meetings.steps.recording import reviewed_indicator
from storage.contracts import indicator_spec
from storage.models import Contract, Indicator, Person
from storage.quarter import NewApproval, uses_pbr
from storage.repositories import Repositories
from storage.statuses import MeetingStatus


class HistoryProblem(Exception):
    """The history file does not describe a past the demo portfolio can hold."""


class PastMonth(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    received: datetime
    held: datetime
    values: dict[str, float]
    narrative: str = Field(min_length=10)


class PastEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1)
    evidence: str = ""


class PastCohort(BaseModel):
    """A payment-by-results contract's cohort for the quarter, checked by the KPI return's own rule."""

    model_config = ConfigDict(extra="forbid")

    offenders: int
    reoffenders: int
    reoffences: int

    @model_validator(mode="after")
    def _fits_together(self) -> PastCohort:
        typed = CohortEntry(str(self.offenders), str(self.reoffenders), str(self.reoffences))
        _, errors = check_cohort(typed)
        if errors:
            raise ValueError(" ".join(f"{name}: {problem}" for name, problem in errors.items()))
        return self

    def cohort(self) -> Cohort:
        return Cohort(self.offenders, self.reoffenders, self.reoffences)


class PastKpiReturn(BaseModel):
    """A quarter's KPI return as the provider sent it; `approved`: when the commissioner, at the quarterly
    meeting, marked the evidence checklist complete and approved the payment as computed (none: not yet).
    A contract without reported KPIs (CRS-ACC) gives no `values` or `evidence`, only its `cohort`."""

    model_config = ConfigDict(extra="forbid")

    quarter: str = Field(pattern=r"^\d{4}-?Q[1-4]$")
    received: datetime
    values: dict[str, float] = {}
    evidence: dict[str, PastEvidence] = {}
    cohort: PastCohort | None = None
    approved: datetime | None = None


class ContractHistory(BaseModel):
    """One contract's past: who submitted its returns, who recorded its meetings, its months and quarters."""

    model_config = ConfigDict(extra="forbid")

    contract: str
    submitted_by: str
    recorded_by: str
    months: list[PastMonth]
    kpi_returns: list[PastKpiReturn] = []


class History(BaseModel):
    """The demo's past, a section per contract; a file with one contract's section at the top level (the
    shape before there were several) reads as a list of that one."""

    model_config = ConfigDict(extra="forbid")

    contracts: list[ContractHistory] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _one_contract(cls, data: Any) -> Any:
        if isinstance(data, dict) and "contract" in data:
            return {"contracts": [data]}
        return data


def parse_history(content: str, source: str) -> History:
    try:
        return History.model_validate(yaml.safe_load(content))
    except (yaml.YAMLError, ValidationError) as error:
        raise HistoryProblem(f"{source}: {error}") from error


async def load_history(repos: Repositories, history: History, rules: Rules, now: datetime) -> int:
    """Each contract's past, as far as `now` has reached; the months loaded, all contracts together."""
    loaded = 0
    for section in history.contracts:
        loaded += await _load_contract(repos, section, rules, now)
    return loaded


async def _load_contract(repos: Repositories, history: ContractHistory, rules: Rules, now: datetime) -> int:
    """Submit each month's return and hold its meeting, then the KPI returns, as far as `now` has reached."""
    contract = await _contract(repos, history.contract)
    provider = await repos.people.by_email(history.submitted_by)
    recorder = await repos.people.by_email(history.recorded_by)
    if provider is None or recorder is None:
        raise HistoryProblem(f"{history.submitted_by} and {history.recorded_by} must be in the portfolio")
    indicators = await repos.contracts.indicators(contract.id)
    zone = rules.meetings.zone
    loaded = 0
    for past in history.months:
        received = past.received.replace(tzinfo=zone)
        if received >= now:
            break
        month = Month.parse(past.month)
        monthly = await repos.returns.find_or_create(contract.id, month, received)
        await repos.returns.submit(
            monthly,
            based_on_version=0,
            values=past.values,
            indicators=indicators,
            narrative=past.narrative,
            by_id=provider.id,
            now=received,
        )
        held = past.held.replace(tzinfo=zone)
        if held < now:
            await _hold_meeting(
                repos, contract, monthly.id, month, indicators, past, held, recorder.id, rules
            )
        loaded += 1
    for past_return in history.kpi_returns:
        await _kpi_return(repos, contract, past_return, provider, recorder, rules, now)
    return loaded


async def _kpi_return(
    repos: Repositories,
    contract: Contract,
    past: PastKpiReturn,
    provider: Person,
    recorder: Person,
    rules: Rules,
    now: datetime,
) -> None:
    """The quarter's KPI return as received; at its meeting, the checklist complete and the payment approved."""
    zone = rules.meetings.zone
    received = past.received.replace(tzinfo=zone)
    if received >= now:
        return
    quarter = Quarter.parse(past.quarter.replace("-", ""), contract.year_start_month)
    if (past.cohort is not None) != uses_pbr(contract):
        wanted = "asks for the cohort" if uses_pbr(contract) else "takes no cohort (no payment by results)"
        raise HistoryProblem(f"{contract.key} {quarter.label}: the KPI return {wanted}")
    kpi_return = await repos.quarter.find_or_create_return(contract.id, quarter, received)
    evidence = {code: KpiEvidence(item.source, item.evidence) for code, item in past.evidence.items()}
    await repos.quarter.submit_return(
        kpi_return,
        based_on_version=0,
        values=past.values,
        evidence=evidence,
        by_id=provider.id,
        now=received,
        cohort=None if past.cohort is None else past.cohort.cohort(),
    )
    if past.approved is None or past.approved.replace(tzinfo=zone) >= now:
        return
    approved = past.approved.replace(tzinfo=zone)
    worked = await repos.quarter.work_out(contract, quarter)
    for line in worked.payment.lines:
        if line.status is not KpiStatus.NOT_STARTED:
            complete = EvidenceCheck(EvidenceState.COMPLETE)
            await repos.quarter.set_check(
                contract.id, quarter, line.kpi.code, complete, by_id=recorder.id, now=approved
            )
    computed = worked.summary.total_pence  # what the KPI card approves: the outcome payment, fee and PbR
    if computed is None:
        raise HistoryProblem(
            f"{contract.key} {quarter.label}: Steward cannot work out the payment the history approves"
        )
    await repos.quarter.approve(
        contract.id, quarter, NewApproval(computed, computed, ""), by_id=recorder.id, now=approved
    )


async def _contract(repos: Repositories, key: str) -> Contract:
    for contract in await repos.contracts.contracts():
        if contract.key == key:
            return contract
    raise HistoryProblem(f"the portfolio has no contract {key}")


async def _hold_meeting(
    repos: Repositories,
    contract: Contract,
    return_id: int,
    month: Month,
    indicators: list[Indicator],
    past: PastMonth,
    held: datetime,
    recorder_id: int,
    rules: Rules,
) -> None:
    """The return's review meeting as held on time and recorded by the commissioner, the fee signed off."""
    slot = meeting_for_return(month, contract.year_start_month)
    meeting, _ = await repos.meetings.find_or_create_meeting(
        contract.id, slot.kind, slot.period_start, slot.period_label, held
    )
    deadline = review_deadline(past.received.replace(tzinfo=rules.meetings.zone), rules.meetings)
    ratings = [rag(indicator_spec(i), past.values.get(i.code)) for i in indicators]
    met = requirements_met(ratings)
    review: list[dict[str, Any]] = [reviewed_indicator(i, past.values.get(i.code), "") for i in indicators]
    meeting.return_id = return_id
    meeting.status = MeetingStatus.HELD
    meeting.deadline_on = deadline.last_day
    meeting.deadline_at = deadline.ends_at
    meeting.scheduled_for = held
    meeting.scheduled_by_id = recorder_id
    meeting.scheduled_at = held
    meeting.held_at = held
    meeting.recorded_by_id = recorder_id
    meeting.recorded_at = held
    meeting.return_version = 1
    meeting.pi_review = review
    meeting.requirements_met = met
    meeting.decisions = "Reviewed the return against the minimum service requirements. " + past.narrative
    meeting.fee_decision = "signed_off"
    meeting.fee_reason = "" if met else "The shortfall is explained in the narrative and is being recovered."
    repos.session.add(meeting)
