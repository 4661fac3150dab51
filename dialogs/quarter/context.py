"""What every KPI card step starts from: the contract and quarter checked, and the quarter worked out."""

from __future__ import annotations

from dataclasses import dataclass, field

from commissioning.periods import Quarter, last_completed_quarter
from commissioning.quarter.approval import EvidenceCheck, checklist_gaps
from commissioning.quarter.kpis import KpiStatus
from commissioning.roles import Permission
from dialogs.base import Refused, Turn
from dialogs.cards import plain
from dialogs.common import contract_for
from storage.models import Contract
from storage.quarter import QuarterRepository, WorkedQuarter, contract_term, has_quarter
from storage.quarter_models import KpiEvidenceCheck

SEE = Permission.VIEW_RETURN  # anyone on the contract: see the card (the provider, to answer a rating)
VIEW = Permission.REVIEW_RETURN  # commissioner, programme manager, director: keep the checklist
APPROVE = Permission.APPROVE_PAYMENT  # the contract's commissioner: approve the payment
ANSWER = Permission.SUBMIT_RETURN  # the provider contact or head of service: answer a red or amber KPI


def default_quarter(turn: Turn, contract: Contract) -> Quarter:
    return last_completed_quarter(turn.local_now.date(), contract.year_start_month)


def contract_and_quarter(
    turn: Turn, contract_id: int, key: str | None, permission: Permission = VIEW
) -> tuple[Contract, Quarter]:
    """The contract, if the sender may do this on it, and the quarter: started, within the contract."""
    contract = contract_for(turn, contract_id, permission)
    if not has_quarter(contract):
        raise Refused(
            f"{plain(contract.name)} has no KPIs and no fee or payment by results, so it has no quarterly "
            "payment to work out.",
            reason="no kpis",
        )
    quarter = Quarter.parse(key, contract.year_start_month) if key else default_quarter(turn, contract)
    if quarter.first_day > turn.local_now.date():
        raise Refused(f"{quarter.label} has not started yet.", reason="future quarter")
    if not contract_term(contract).covers(quarter):
        raise Refused(f"{plain(contract.name)} did not run in {quarter.label}.", reason="outside contract")
    return contract, quarter


@dataclass(frozen=True)
class KpiCardView:
    """The quarter worked out, the evidence checklist as kept, and what the sender may do on the card."""

    worked: WorkedQuarter
    checks: dict[str, KpiEvidenceCheck]
    names: dict[int, str]  # who checked or approved, by person id
    may_approve: bool
    entries: dict[str, str] = field(default_factory=dict)  # the card's inputs as typed, kept on a re-render
    may_check: bool = True  # may keep the evidence checklist (the commissioning team)
    may_answer: bool = False  # may answer a red or amber KPI (the provider)

    @property
    def contract(self) -> Contract:
        return self.worked.contract

    @property
    def quarter(self) -> Quarter:
        return self.worked.quarter

    @property
    def to_check(self) -> list[str]:
        """The KPIs the checklist covers: every KPI with a result to show this quarter (baseline or live)."""
        return [
            line.kpi.code for line in self.worked.payment.lines if line.status is not KpiStatus.NOT_STARTED
        ]

    @property
    def gaps(self) -> list[str]:
        kept = {code: QuarterRepository.as_check(row) for code, row in self.checks.items()}
        return checklist_gaps(self.to_check, kept)

    def check(self, code: str) -> EvidenceCheck | None:
        row = self.checks.get(code)
        return QuarterRepository.as_check(row) if row is not None else None


async def load_view(
    turn: Turn, contract: Contract, quarter: Quarter, entries: dict[str, str] | None = None
) -> KpiCardView:
    worked = await turn.repos.quarter.work_out(contract, quarter)
    checks = await turn.repos.quarter.checks(contract.id, quarter)
    ids = [row.by_id for row in checks.values()]
    if worked.approval is not None:
        ids.append(worked.approval.approved_by_id)
    people = await turn.repos.people.by_ids(ids)
    names = {person_id: person.name for person_id, person in people.items()}
    return KpiCardView(
        worked,
        checks,
        names,
        turn.may(contract.id, APPROVE),
        entries or {},
        may_check=turn.may(contract.id, VIEW),
        may_answer=turn.may(contract.id, ANSWER),
    )
