"""What every KPI return step starts from: the contract and quarter checked, the KPIs asked for, the entries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from commissioning.periods import Quarter, last_completed_quarter
from commissioning.quarter.kpi_return import EVIDENCE_MAX, SOURCE_MAX, KpiEntry, reported_kpis
from commissioning.quarter.kpis import Kpi
from commissioning.quarter.payment_terms import COHORT_FIELDS, CohortEntry
from dialogs.base import Refused, Turn
from dialogs.cards import plain
from dialogs.inputs import input_text
from dialogs.kpi_return.payloads import COHORT_PREFIX, EVIDENCE_PREFIX, SOURCE_PREFIX, VALUE_PREFIX
from storage.models import Contract
from storage.quarter import contract_kpis, contract_term, uses_pbr

VALUE_READ_MAX = 100


def default_quarter(turn: Turn, contract: Contract) -> Quarter:
    """The last closed quarter of the contract's own year."""
    return last_completed_quarter(turn.local_now.date(), contract.year_start_month)


def quarter_of(turn: Turn, contract: Contract, key: str) -> Quarter:
    """The quarter in the contract's own year; it must have closed and fall within the contract."""
    quarter = Quarter.parse(key, contract.year_start_month)
    if quarter.last_day >= turn.local_now.date():
        raise Refused(
            f"The {quarter.label} KPI return can be made once the quarter has closed.", reason="open quarter"
        )
    if not contract_term(contract).covers(quarter):
        raise Refused(f"{plain(contract.name)} did not run in {quarter.label}.", reason="outside contract")
    return quarter


def kpis_asked(contract: Contract, quarter: Quarter) -> tuple[Kpi, ...]:
    """The KPIs the provider reports this quarter; refused when there are none and no PbR cohort either."""
    year = contract_term(contract).year_of(quarter)
    asked = reported_kpis(contract_kpis(contract), year)
    if not asked and not uses_pbr(contract):
        raise Refused(
            f"{plain(contract.name)} has no KPIs reported by the provider in {quarter.label}: "
            "its KPIs are worked out from the monthly returns.",
            reason="no reported kpis",
        )
    return asked


def cohort_asked(contract: Contract) -> CohortEntry | None:
    """An empty cohort to fill in when the contract pays by results; None when it does not."""
    return CohortEntry() if uses_pbr(contract) else None


def read_cohort(raw: Mapping[str, Any], contract: Contract) -> CohortEntry | None:
    """The cohort's figures as typed, for a contract with PbR terms."""
    if not uses_pbr(contract):
        return None
    typed = {name: input_text(raw, COHORT_PREFIX + name, VALUE_READ_MAX) for name in COHORT_FIELDS}
    return CohortEntry(**typed)


def stored_cohort(contract: Contract, stored: Mapping[str, Any] | None) -> CohortEntry | None:
    """A stored version's cohort as the form's entries, to amend it."""
    if not uses_pbr(contract):
        return None
    if not stored:
        return CohortEntry()
    return CohortEntry(*(str(stored.get(name, "")) for name in COHORT_FIELDS))


def read_entries(raw: Mapping[str, Any], kpis: tuple[Kpi, ...]) -> dict[str, KpiEntry]:
    """The card's inputs for these KPIs, as typed; anything else in the payload is ignored."""
    return {
        kpi.code: KpiEntry(
            input_text(raw, VALUE_PREFIX + kpi.code, VALUE_READ_MAX),
            input_text(raw, SOURCE_PREFIX + kpi.code, SOURCE_MAX),
            input_text(raw, EVIDENCE_PREFIX + kpi.code, EVIDENCE_MAX),
        )
        for kpi in kpis
    }


def value_text(value: float) -> str:
    """A stored value as the form shows it: whole numbers without '.0'."""
    return str(int(value)) if float(value).is_integer() else str(value)


def stored_entries(values: Mapping[str, Any], evidence: Mapping[str, Any]) -> dict[str, KpiEntry]:
    """A stored version as the form's entries, to amend it."""
    entries = {}
    for code, value in values.items():
        given = evidence.get(code) or {}
        entries[code] = KpiEntry(value_text(float(value)), given.get("source", ""), given.get("evidence", ""))
    return entries
