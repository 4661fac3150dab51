"""Repository for the quarter: KPI returns and their versions, the evidence checklist, the payment approval."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.periods import Month, Quarter
from commissioning.quarter.approval import EvidenceCheck, EvidenceState
from commissioning.quarter.kpi_return import KpiEvidence, reported_kpis
from commissioning.quarter.kpis import Kpi, kpi_from_dict
from commissioning.quarter.payment import OutcomePayment, outcome_payment
from commissioning.quarter.payment_terms import (
    PaymentTerms,
    cohort_from_json,
    cohort_json,
    fee_quarter,
    payment_terms_from_dict,
    pbr_outcome,
)
from commissioning.quarter.pbr import Cohort
from commissioning.quarter.results import MonthValues
from commissioning.quarter.summary import Approval, QuarterSummary, quarter_summary
from commissioning.quarter.term import ContractTerm
from commissioning.reminders.facts import KpiReturnFacts
from storage.models import Contract, Person
from storage.quarter_models import KpiEvidenceCheck, KpiReturn, KpiReturnVersion, OutcomeApproval
from storage.returns import ReturnsRepository, VersionConflict
from storage.rows import find_or_add


class AlreadyApproved(Exception):
    """The quarter's payment was approved already (a second click, or someone else first)."""


@dataclass(frozen=True, slots=True)
class NewApproval:
    computed_pence: int | None
    amount_pence: int
    reason: str


@dataclass(frozen=True, slots=True)
class WorkedQuarter:
    """A contract's quarter worked out from what is stored: the rules' payment, the summary, the approval."""

    contract: Contract
    quarter: Quarter
    kpis: tuple[Kpi, ...]
    payment: OutcomePayment
    summary: QuarterSummary
    kpi_return: KpiReturnVersion | None
    approval: OutcomeApproval | None


def contract_term(contract: Contract) -> ContractTerm:
    return ContractTerm(contract.starts_on, contract.ends_on, contract.year_start_month)


def contract_kpis(contract: Contract) -> tuple[Kpi, ...]:
    """The contract's KPIs as the portfolio file defined them (checked when it was imported)."""
    return tuple(kpi_from_dict(entry) for entry in contract.kpis or [])


def contract_payment_terms(contract: Contract) -> PaymentTerms | None:
    """The contract's fee for service and PbR terms as the portfolio file gave them (checked on import)."""
    return None if not contract.payment_terms else payment_terms_from_dict(contract.payment_terms)


def uses_pbr(contract: Contract) -> bool:
    """Whether the contract's KPI return asks for the PbR cohort."""
    terms = contract_payment_terms(contract)
    return terms is not None and terms.pbr is not None


def has_quarter(contract: Contract) -> bool:
    """Whether the contract has a quarter to work out: KPIs, a fee for service or payment by results."""
    return bool(contract.kpis) or contract_payment_terms(contract) is not None


async def expected_kpi_returns(
    session: AsyncSession, contracts: Iterable[Contract], since: date, today: date
) -> tuple[KpiReturnFacts, ...]:
    """For the sweep: each closed quarter since `since` whose KPIs ask for a KPI return, and when it came in
    (`contracts`: those the sweep read, running on or after `since`)."""
    received = {
        (row.contract_id, row.quarter): row.received_at
        for row in (await session.execute(select(KpiReturn))).scalars()
    }
    found: list[KpiReturnFacts] = []
    for contract in contracts:
        if not contract.kpis and not uses_pbr(contract):
            continue
        term, kpis, cohort = contract_term(contract), contract_kpis(contract), uses_pbr(contract)
        for quarter in term.quarters:
            if quarter.last_day < since or quarter.last_day >= today:
                continue
            if cohort or reported_kpis(kpis, term.year_of(quarter)):
                found.append(KpiReturnFacts(contract.id, quarter, received.get((contract.id, quarter.key))))
    return tuple(found)


class QuarterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- the provider's KPI return ---------------------------------------------------------------------

    async def find_return(self, contract_id: int, quarter: Quarter) -> KpiReturn | None:
        query = select(KpiReturn).where(
            col(KpiReturn.contract_id) == contract_id, col(KpiReturn.quarter) == quarter.key
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def get_return(self, return_id: int) -> KpiReturn | None:
        return await self.session.get(KpiReturn, return_id)

    async def find_or_create_return(self, contract_id: int, quarter: Quarter, now: datetime) -> KpiReturn:
        kpi_return, _ = await find_or_add(
            self.session,
            lambda: self.find_return(contract_id, quarter),
            lambda: KpiReturn(contract_id=contract_id, quarter=quarter.key, created_at=now),
        )
        return kpi_return

    async def submit_return(
        self,
        kpi_return: KpiReturn,
        *,
        based_on_version: int,
        values: dict[str, float],
        evidence: dict[str, KpiEvidence],
        by_id: int,
        now: datetime,
        cohort: Cohort | None = None,
    ) -> KpiReturnVersion:
        """Store a new version; VersionConflict when the return moved on since `based_on_version`."""
        await self.session.refresh(kpi_return)
        if kpi_return.current_version != based_on_version:
            raise VersionConflict(f"KPI return {kpi_return.id} is at version {kpi_return.current_version}")
        version = KpiReturnVersion(
            return_id=kpi_return.id,
            version=based_on_version + 1,
            values=dict(values),
            evidence={code: item.as_json() for code, item in evidence.items()},
            cohort=None if cohort is None else cohort_json(cohort),
            submitted_by_id=by_id,
            received_at=now,
        )
        try:
            async with self.session.begin_nested():
                self.session.add(version)
                await self.session.flush()
        except IntegrityError as error:
            raise VersionConflict(
                f"version {version.version} of KPI return {kpi_return.id} exists"
            ) from error
        kpi_return.current_version = version.version
        if kpi_return.received_at is None:  # an amendment keeps the first receipt (and the meeting clock)
            kpi_return.received_at = now
        self.session.add(kpi_return)
        await self.session.flush()
        return version

    async def return_version(self, return_id: int, number: int) -> KpiReturnVersion | None:
        query = select(KpiReturnVersion).where(
            col(KpiReturnVersion.return_id) == return_id, col(KpiReturnVersion.version) == number
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def return_versions(self, return_id: int) -> list[KpiReturnVersion]:
        query = (
            select(KpiReturnVersion)
            .where(col(KpiReturnVersion.return_id) == return_id)
            .order_by(col(KpiReturnVersion.version))
        )
        return list((await self.session.execute(query)).scalars())

    async def current(self, contract_id: int, quarter: Quarter) -> KpiReturnVersion | None:
        """The KPI return's current version for the quarter, or None before it is in."""
        found = await self.find_return(contract_id, quarter)
        if found is None or found.current_version < 1:
            return None
        return await self.return_version(found.id, found.current_version)

    async def reported(self, contract_id: int, quarter: Quarter) -> dict[str, float]:
        """The reported KPIs' values in the current version (none before the return is in)."""
        version = await self.current(contract_id, quarter)
        return {code: float(value) for code, value in version.values.items()} if version else {}

    async def month_values(self, contract_id: int, quarter: Quarter) -> MonthValues:
        """The current version's values of each of the quarter's months that has a submitted return."""
        returns = ReturnsRepository(self.session)
        months: dict[Month, dict[str, float]] = {}
        for month in quarter.months:
            monthly = await returns.find(contract_id, month)
            if monthly is None or monthly.current_version < 1:
                continue
            version = await returns.version(monthly.id, monthly.current_version)
            if version is not None:
                months[month] = version.values
        return months

    # -- the evidence checklist ------------------------------------------------------------------------

    async def checks(self, contract_id: int, quarter: Quarter) -> dict[str, KpiEvidenceCheck]:
        query = select(KpiEvidenceCheck).where(
            col(KpiEvidenceCheck.contract_id) == contract_id, col(KpiEvidenceCheck.quarter) == quarter.key
        )
        return {row.kpi_code: row for row in (await self.session.execute(query)).scalars()}

    async def set_check(
        self,
        contract_id: int,
        quarter: Quarter,
        code: str,
        check: EvidenceCheck,
        *,
        by_id: int,
        now: datetime,
    ) -> KpiEvidenceCheck:
        """Record (or change) one KPI's evidence check; the latest word stands, and says who and when."""
        row = (await self.checks(contract_id, quarter)).get(code)
        if row is None:
            row = KpiEvidenceCheck(
                contract_id=contract_id, quarter=quarter.key, kpi_code=code, state="", by_id=by_id, at=now
            )
        row.state, row.reason, row.by_id, row.at = check.state.value, check.reason, by_id, now
        self.session.add(row)
        await self.session.flush()
        return row

    @staticmethod
    def as_check(row: KpiEvidenceCheck) -> EvidenceCheck:
        return EvidenceCheck(EvidenceState(row.state), row.reason)

    # -- the approval ----------------------------------------------------------------------------------

    async def approval(self, contract_id: int, quarter: Quarter) -> OutcomeApproval | None:
        query = select(OutcomeApproval).where(
            col(OutcomeApproval.contract_id) == contract_id, col(OutcomeApproval.quarter) == quarter.key
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def approve(
        self, contract_id: int, quarter: Quarter, decided: NewApproval, *, by_id: int, now: datetime
    ) -> OutcomeApproval:
        """Record the approval once; AlreadyApproved when the quarter has one."""
        if await self.approval(contract_id, quarter) is not None:
            raise AlreadyApproved(quarter.key)
        row = OutcomeApproval(
            contract_id=contract_id,
            quarter=quarter.key,
            computed_pence=decided.computed_pence,
            amount_pence=decided.amount_pence,
            reason=decided.reason,
            approved_by_id=by_id,
            approved_at=now,
        )
        try:
            async with self.session.begin_nested():
                self.session.add(row)
                await self.session.flush()
        except IntegrityError as error:
            raise AlreadyApproved(quarter.key) from error
        return row

    # -- the quarter worked out ------------------------------------------------------------------------

    async def work_out(self, contract: Contract, quarter: Quarter) -> WorkedQuarter:
        """The outcome payment from the monthly returns and the KPI return, with the approval if there is one."""
        kpis = contract_kpis(contract)
        months = await self.month_values(contract.id, quarter)
        kpi_return = await self.current(contract.id, quarter)
        reported = {code: float(value) for code, value in kpi_return.values.items()} if kpi_return else {}
        payment = outcome_payment(
            kpis,
            contract_term(contract),
            contract.value_pence,
            contract.outcome_share,
            quarter,
            months,
            reported,
        )
        row = await self.approval(contract.id, quarter)
        approved = None
        if row is not None:
            person = await self.session.get(Person, row.approved_by_id)
            by = person.email if person is not None else str(row.approved_by_id)
            approved = Approval(by, row.approved_at, row.amount_pence, row.reason)
        terms = contract_payment_terms(contract)
        fee = pbr = None
        if terms is not None and terms.fee_for_service is not None:
            fee = fee_quarter(terms.fee_for_service, payment.year)
        rules = terms.pbr_rules() if terms is not None else None
        if rules is not None:
            pbr = pbr_outcome(
                rules, cohort_from_json(kpi_return.cohort if kpi_return else None), quarter.label
            )
        summary = quarter_summary(contract.key, payment, approved, fee, pbr)
        return WorkedQuarter(contract, quarter, kpis, payment, summary, kpi_return, row)
