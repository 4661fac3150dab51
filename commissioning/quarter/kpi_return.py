"""The provider's quarterly KPI return: which KPIs it asks for, and its entries checked (value, data source, evidence)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from commissioning.quarter.kpis import Kpi, KpiStatus, Source

VALUE_MAX = 1_000_000_000
SOURCE_MAX = 300
EVIDENCE_MAX = 500


@dataclass(frozen=True, slots=True)
class KpiEvidence:
    """Where a reported KPI's figure comes from, and the evidence supplied with it (a link, a document name)."""

    source: str
    evidence: str = ""

    def as_json(self) -> dict[str, str]:
        return {"source": self.source, "evidence": self.evidence}


@dataclass(frozen=True, slots=True)
class KpiEntry:
    """One KPI's entries on the form, as typed."""

    value: str
    source: str = ""
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class CheckedReturn:
    """The return's entries checked: the values and evidence to store, or what is wrong (by KPI code and field)."""

    values: dict[str, float]
    evidence: dict[str, KpiEvidence]
    errors: dict[str, dict[str, str]] = field(default_factory=dict)


def reported_kpis(kpis: Sequence[Kpi], year: int) -> tuple[Kpi, ...]:
    """The KPIs the provider reports for a quarter in contract `year`: source `reported`, in baseline or live."""
    return tuple(
        kpi for kpi in kpis if kpi.source is Source.REPORTED and kpi.status(year) is not KpiStatus.NOT_STARTED
    )


def parse_value(typed: str) -> float | None:
    """A typed figure as a number: '1,250' -> 1250, '78.5%' -> 78.5; None when it is not one."""
    cleaned = typed.strip().replace(",", "").removesuffix("%").strip()
    if not cleaned:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def check_return(kpis: Sequence[Kpi], entries: Mapping[str, KpiEntry]) -> CheckedReturn:
    """Every KPI needs a value (a number from 0) and its data source; the evidence may be left for a gap.

    A missing or unreadable value, or no data source, is an error beside that field: nothing is stored.
    """
    values: dict[str, float] = {}
    evidence: dict[str, KpiEvidence] = {}
    errors: dict[str, dict[str, str]] = {}
    for kpi in kpis:
        entry = entries.get(kpi.code, KpiEntry(""))
        problems = _entry_problems(entry)
        if problems:
            errors[kpi.code] = problems
            continue
        number = parse_value(entry.value)
        assert number is not None
        values[kpi.code] = number
        evidence[kpi.code] = KpiEvidence(entry.source.strip(), entry.evidence.strip())
    return CheckedReturn(values, evidence, errors)


def _entry_problems(entry: KpiEntry) -> dict[str, str]:
    problems: dict[str, str] = {}
    number = parse_value(entry.value)
    if not entry.value.strip():
        problems["value"] = "Enter the quarter's result."
    elif number is None:
        problems["value"] = f"Enter a number, like 78 or 78.5 (not {entry.value.strip()[:40]!r})."
    elif not 0 <= number <= VALUE_MAX:
        problems["value"] = f"Enter a result from 0 to {VALUE_MAX:,}."
    source = entry.source.strip()
    if not source:
        problems["source"] = "Say where the figure comes from (the data source)."
    elif len(source) > SOURCE_MAX:
        problems["source"] = f"Keep the data source under {SOURCE_MAX} characters (it has {len(source)})."
    if len(entry.evidence.strip()) > EVIDENCE_MAX:
        problems["evidence"] = (
            f"Keep the evidence under {EVIDENCE_MAX} characters (it has {len(entry.evidence.strip())})."
        )
    return problems
