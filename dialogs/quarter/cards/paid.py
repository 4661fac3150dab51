"""The KPI card's fee for service and payment by results, and what the quarter pays, part by part."""

from __future__ import annotations

from typing import Any

from commissioning.quarter.payment_terms import FeeQuarter, PbrOutcome
from commissioning.quarter.pbr import Measure, MeasureResult, PbrTerms
from commissioning.quarter.summary import QuarterSummary
from dialogs.cards import container, facts, plain, subtle, text
from dialogs.quarter.cards.words import money, number, share

MEASURE_WORDS = {
    Measure.BINARY: "Binary: the share of the cohort who reoffend",
    Measure.FREQUENCY: "Frequency: reoffences per offender",
}


def fee_section(fee: FeeQuarter) -> dict[str, Any]:
    discount = (
        f"less {share(fee.discount)} learning-curve discount ({share(fee.learning_curve)} a year)"
        if fee.year > 1
        else "no learning-curve discount in year 1"
    )
    pairs = [
        ("This quarter", money(fee.fee_pence)),
        (f"Year {fee.year}", f"{money(fee.year_1_fee_pence)} a quarter in year 1, {discount}"),
    ]
    return container(
        [text("Fee for service", weight="Bolder"), facts(pairs)], spacing="Medium", separator=True
    )


def _rate(terms: PbrTerms, value: Any) -> str:
    return share(value) if terms.measure is Measure.BINARY else number(value)


def _measure(terms: PbrTerms, result: MeasureResult | None, missing: str) -> list[dict[str, Any]]:
    pairs = [("Baseline", _rate(terms, terms.baseline))]
    if result is None:
        pairs.append(("This quarter", plain(missing)))
    else:
        pairs.append(("This quarter", "-" if result.rate is None else _rate(terms, result.rate)))
        if result.penalty_pence:
            pairs.append(("Penalty", money(result.penalty_pence)))
        else:
            pairs.append(("Payment", money(result.payment_pence)))
        pairs.append(("Why", plain(result.reason)))
    return [text(MEASURE_WORDS[terms.measure], spacing="Small"), facts(pairs)]


def pbr_section(pbr: PbrOutcome) -> dict[str, Any]:
    items: list[dict[str, Any]] = [text("Payment by results", weight="Bolder")]
    cohort = pbr.cohort
    if cohort is not None:
        items.append(
            subtle(
                f"Cohort: {cohort.offenders:,} offenders, {cohort.reoffenders:,} reoffended, "
                f"{cohort.reoffences:,} reoffences (from the provider's KPI return)."
            )
        )
    results = pbr.results
    items += _measure(pbr.binary, results.binary if results else None, pbr.missing)
    items += _measure(pbr.frequency, results.frequency if results else None, pbr.missing)
    net = pbr.net_pence
    if net is not None:
        words = f"a penalty of {money(-net)}" if net < 0 else money(net)
        items.append(text(f"Payment by results this quarter: {words}", spacing="Small"))
    return container(items, spacing="Medium", separator=True)


def parts_sentence(summary: QuarterSummary, has_kpis: bool) -> str:
    """'Outcome payment £a + fee for service £b + payment by results −£c (a penalty) = £total to pay.'"""
    parts: list[str] = []
    if has_kpis:
        parts.append(f"outcome payment {money(summary.payment_pence)}")
    if summary.fee is not None:
        parts.append(f"fee for service {money(summary.fee.fee_pence)}")
    if summary.pbr is not None:
        net = summary.pbr.net_pence
        shown = (
            "not worked out yet"
            if net is None
            else (f"−{money(-net)} (a penalty)" if net < 0 else money(net))
        )
        parts.append(f"payment by results {shown}")
    total = summary.total_pence
    joined = " + ".join(parts)
    tail = f" = {money(total)} to pay" if total is not None else ": no total until every part is worked out"
    return f"{joined[:1].upper()}{joined[1:]}{tail}."


def paid_sections(summary: QuarterSummary, has_kpis: bool) -> list[dict[str, Any]]:
    """For a contract with a fee or PbR: each part, then what the quarter pays and what it is made of."""
    if summary.fee is None and summary.pbr is None:
        return []
    sections = []
    if summary.fee is not None:
        sections.append(fee_section(summary.fee))
    if summary.pbr is not None:
        sections.append(pbr_section(summary.pbr))
    sections.append(
        container(
            [text("What the quarter pays", weight="Bolder"), text(parts_sentence(summary, has_kpis))],
            spacing="Medium",
            separator=True,
        )
    )
    return sections
