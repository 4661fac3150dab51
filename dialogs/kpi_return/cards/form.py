"""The KPI return form: each reported KPI's result with this year's target, its data source and its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commissioning.periods import Quarter
from commissioning.quarter.kpi_return import EVIDENCE_MAX, SOURCE_MAX, KpiEntry, parse_value
from commissioning.quarter.kpis import Kpi, KpiStatus
from commissioning.quarter.payment_terms import COHORT_FIELDS, CohortEntry
from dialogs.cards import (
    card,
    container,
    error_text,
    execute,
    heading,
    input_number,
    input_text,
    plain,
    subtle,
    text,
)
from dialogs.kpi_return.payloads import COHORT_PREFIX, EVIDENCE_PREFIX, SOURCE_PREFIX, VALUE_PREFIX
from storage.models import Contract


@dataclass(frozen=True)
class KpiFormView:
    """What the form shows: the contract and quarter, the KPIs asked for, and the entries as typed."""

    contract: Contract
    quarter: Quarter
    year: int  # the contract year the quarter falls in
    kpis: tuple[Kpi, ...]
    entries: dict[str, KpiEntry]
    version: int  # the version this form amends; 0 for a first return
    cohort: CohortEntry | None = None  # the PbR cohort as typed; None: the contract does not pay by results


COHORT = "_cohort"  # where the cohort's errors are, by field
COHORT_LABELS = {
    "offenders": "Offenders in the cohort",
    "reoffenders": "Of them, how many reoffended",
    "reoffences": "Reoffences by the cohort, in all",
}


def target_sentence(kpi: Kpi, year: int) -> str:
    """'Target in year 2: at least 75.' or 'Year 1 is its baseline year: no target yet.'"""
    if kpi.status(year) is KpiStatus.BASELINE:
        return f"Year {year} is its baseline year: the result is collected, with no target yet."
    target = kpi.target_for(year)
    words = "no more than" if kpi.lower_is_better else "at least"
    return f"Target in year {year}: {words} {target:g}." if target is not None else ""


def _purpose(view: KpiFormView) -> str:
    kpis = (
        "the quarter's results for the KPIs not worked out from the monthly returns, "
        "each with where the figure comes from and the evidence for it"
    )
    cohort = "the payment-by-results cohort"
    if view.kpis and view.cohort is not None:
        return f"The return gives {kpis}; and {cohort}."
    return f"The return gives {kpis if view.kpis else cohort}."


def conflict_error(version: int) -> dict[str, dict[str, str]]:
    return {
        "_form": {
            "_form": f"This KPI return was changed since you opened it (it is now version {version}). "
            "Your entries are kept below: check them and submit again to amend it."
        }
    }


def kpi_form_card(view: KpiFormView, *, errors: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    errors = errors or {}
    body: list[dict[str, Any]] = [
        heading(f"KPI return: {view.quarter.label}"),
        text(plain(view.contract.name), weight="Bolder", spacing="None"),
        subtle(_purpose(view)),
    ]
    if view.version:
        body.append(subtle(f"Amending submitted version {view.version}; the earlier version will be kept."))
    if errors:
        count = sum(len(fields) for code, fields in errors.items() if code != "_form")
        if count:
            noun = "entry" if count == 1 else "entries"
            body.append(
                text(
                    f"Please correct {count} {noun} below. Nothing has been saved yet.",
                    color="Attention",
                    weight="Bolder",
                )
            )
        if "_form" in errors:
            body.append(error_text(errors["_form"]["_form"]))
    for kpi in view.kpis:
        body.append(
            _kpi_inputs(kpi, view.year, view.entries.get(kpi.code, KpiEntry("")), errors.get(kpi.code, {}))
        )
    if view.cohort is not None:
        body.append(_cohort_inputs(view.cohort, errors.get(COHORT, {})))
    data = {"contract_id": view.contract.id, "quarter": view.quarter.key, "based_on_version": view.version}
    title = "Submit amendment" if view.version else "Submit KPI return"
    return card(body, [execute(title, "kpi_return.submit", data, style="positive")])


def _kpi_inputs(kpi: Kpi, year: int, entry: KpiEntry, errors: dict[str, str]) -> dict[str, Any]:
    label = f"{kpi.code}  {plain(kpi.name)}"
    number = parse_value(entry.value)
    value_input = (
        input_text(VALUE_PREFIX + kpi.code, label, entry.value)  # kept as typed, so it can be corrected
        if entry.value.strip() and number is None
        else input_number(VALUE_PREFIX + kpi.code, label, _shown(number))
    )
    items: list[dict[str, Any]] = [value_input]
    hints = [plain(kpi.measures)] if kpi.measures else []
    hints.append(target_sentence(kpi, year))
    items.append(subtle(" ".join(hint for hint in hints if hint)))
    if "value" in errors:
        items.append(error_text(errors["value"]))
    items.append(
        input_text(
            SOURCE_PREFIX + kpi.code,
            "Data source",
            entry.source,
            max_length=SOURCE_MAX,
            placeholder="Where the figure comes from, e.g. the exit survey",
        )
    )
    if "source" in errors:
        items.append(error_text(errors["source"]))
    items.append(
        input_text(
            EVIDENCE_PREFIX + kpi.code,
            "Evidence supplied",
            entry.evidence,
            max_length=EVIDENCE_MAX,
            placeholder="A link or a document name",
        )
    )
    if "evidence" in errors:
        items.append(error_text(errors["evidence"]))
    return container(items, spacing="Large", separator=True)


def _cohort_inputs(cohort: CohortEntry, errors: dict[str, str]) -> dict[str, Any]:
    """Payment by results: the cohort's offenders, how many reoffended and how often, each checked beside it."""
    items: list[dict[str, Any]] = [
        text("Payment by results: the cohort", weight="Bolder"),
        subtle(
            "The offenders the quarter's reoffending is measured on, and what they did in the follow-up "
            "period: whole numbers."
        ),
    ]
    for name in COHORT_FIELDS:
        typed = getattr(cohort, name).strip()
        number = parse_value(typed)
        whole = int(number) if number is not None and number.is_integer() and number >= 0 else None
        items.append(
            input_text(COHORT_PREFIX + name, COHORT_LABELS[name], typed)  # kept as typed, to be corrected
            if typed and whole is None
            else input_number(COHORT_PREFIX + name, COHORT_LABELS[name], whole, minimum=0)
        )
        if name in errors:
            items.append(error_text(errors[name]))
    return container(items, spacing="Large", separator=True)


def _shown(number: float | None) -> float | None:
    if number is not None and number.is_integer():
        return int(number)
    return number
