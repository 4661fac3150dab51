"""The quarterly performance framework: each PI month by month with its minimum and RAG, the KPIs, the payment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook

from commissioning.indicators import Rag, rag
from commissioning.periods import Quarter
from commissioning.quarter import KpiStatus, OutcomePayment
from commissioning.workbooks.inputs import ContractHeading, Indicators, MonthCommentary
from commissioning.workbooks.sheets import (
    COUNT,
    DAY,
    HEADER_ROW,
    POUNDS,
    SHARE,
    Block,
    Sheet,
    bar_chart,
    new_workbook,
    number,
    to_bytes,
    value_format,
)

STATUS_WORDS = {
    KpiStatus.LIVE: "Live",
    KpiStatus.BASELINE: "Baseline year",
    KpiStatus.NOT_STARTED: "Not started",
}


@dataclass(frozen=True, slots=True)
class FrameworkInputs:
    """One contract's quarter: its PIs and their values, its KPIs worked out (None: it has no KPIs), commentary."""

    heading: ContractHeading
    quarter: Quarter
    indicators: Indicators
    payment: OutcomePayment | None
    commentary: Sequence[MonthCommentary] = ()


def framework_workbook(inputs: FrameworkInputs) -> bytes:
    """The quarterly performance framework as .xlsx bytes: sheets PIs, KPIs, Payment and Commentary."""
    workbook = new_workbook()
    add_framework_sheets(workbook, inputs)
    return to_bytes(workbook)


def add_framework_sheets(workbook: Workbook, inputs: FrameworkInputs, pis_sheet: str = "PIs") -> None:
    pi_quarter_sheet(workbook, inputs, pis_sheet)
    kpi_sheet(workbook, inputs)
    payment_sheet(workbook, inputs)
    commentary_sheet(workbook, inputs.heading, inputs.commentary, inputs.quarter.label)


def pi_quarter_sheet(workbook: Workbook, inputs: FrameworkInputs, name: str = "PIs") -> Sheet:
    """Each PI: its requirement, and each of the quarter's months: the value and its RAG; how many months met."""
    months = inputs.quarter.months
    sheet = Sheet(
        workbook,
        name,
        f"{inputs.heading.title}: performance framework, {inputs.quarter.label}",
        "Each performance indicator month by month against its minimum service requirement. "
        + inputs.heading.parties,
    )
    headers = ["Code", "Indicator", "Requirement", "Minimum"]
    for month in months:
        headers += [month.label, f"{month.label} RAG"]
    headers += ["Months met", "Months reported"]
    sheet.headers(HEADER_ROW, headers)
    grid = inputs.indicators.grid(months)
    row = HEADER_ROW
    for row, spec in enumerate(inputs.indicators.specs, start=HEADER_ROW + 1):
        fmt = value_format(spec)
        sheet.put(row, 1, spec.code)
        sheet.put(row, 2, spec.name)
        sheet.put(row, 3, spec.describe_requirement())
        sheet.put(row, 4, spec.requirement, fmt)
        met = reported = 0
        for offset, month in enumerate(months):
            value = number(grid.at[spec.code, month.key])
            rating = rag(spec, value)
            sheet.put(row, 5 + 2 * offset, value, fmt)
            sheet.rag(row, 6 + 2 * offset, rating)
            reported += value is not None
            met += rating is Rag.GREEN
        sheet.put(row, 5 + 2 * len(months), met, COUNT)
        sheet.put(row, 6 + 2 * len(months), reported, COUNT)
    block_last = row
    if inputs.indicators.specs:
        met_column = 5 + 2 * len(months)
        bar_chart(
            sheet,
            Block(HEADER_ROW, HEADER_ROW + 1, block_last),
            title=f"Months each PI met its minimum, {inputs.quarter.label}",
            category_column=1,
            value_columns=[met_column],
            anchor=f"B{block_last + 3}",
            y_title="months",
        )
    sheet.finish()
    return sheet


def kpi_sheet(workbook: Workbook, inputs: FrameworkInputs) -> Sheet:
    """Each KPI's status, result, target, achievement, weight and share of the payment, with a chart."""
    sheet = Sheet(
        workbook,
        "KPIs",
        f"{inputs.heading.title}: KPIs, {inputs.quarter.label}",
        "Each key performance indicator's quarterly result against its target; achievement is 0 to 100%.",
    )
    headers = [
        "Code",
        "KPI",
        "Measures",
        "Status",
        "Result",
        "Target",
        "Achievement",
        "Weight",
        "Share of payment",
        "Why there is no result",
    ]
    payment = inputs.payment
    if payment is None:
        sheet.headers(HEADER_ROW, headers)
        sheet.put(HEADER_ROW + 1, 1, "This contract has no KPIs in its portfolio file.")
        sheet.finish()
        return sheet
    rows = [
        [
            line.kpi.code,
            line.kpi.name,
            line.kpi.measures,
            STATUS_WORDS[line.status],
            line.result.value,
            line.target,
            line.achievement,
            line.weight,
            line.share,
            line.result.missing or "",
        ]
        for line in payment.lines
    ]
    formats = [None, None, None, None, "#,##0.####", "#,##0.####", SHARE, "#,##0.##", SHARE, None]
    block = sheet.table(headers, rows, formats)
    if not block.empty:
        bar_chart(
            sheet,
            block,
            title=f"KPI achievement, {inputs.quarter.label}",
            category_column=1,
            value_columns=[7],
            anchor=f"B{block.last_row + 3}",
            y_title="achievement",
            y_format="0%",
        )
    sheet.finish()
    return sheet


def payment_sheet(workbook: Workbook, inputs: FrameworkInputs) -> Sheet:
    """The quarter's outcome pot, the weighted achievement and the payment, or why it is not worked out."""
    sheet = Sheet(
        workbook,
        "Payment",
        f"{inputs.heading.title}: outcome payment, {inputs.quarter.label}",
        "The quarter's share of the outcome pot times the weighted achievement of the live KPIs.",
    )
    payment = inputs.payment
    if payment is None:
        sheet.items([("Outcome payment", "No KPIs: there is no outcome payment to work out.", None)])
        sheet.finish()
        return sheet
    pairs: list[tuple[str, object, str | None]] = [
        ("Quarter", inputs.quarter.label, None),
        ("From", inputs.quarter.first_day, DAY),
        ("To", inputs.quarter.last_day, DAY),
        ("Contract year", payment.year, COUNT),
        ("Outcome pot", payment.pot_pence / 100, POUNDS),
        ("Weighted achievement", payment.weighted_achievement, SHARE),
        (
            "Payment",
            None if payment.payment_pence is None else payment.payment_pence / 100,
            POUNDS,
        ),
    ]
    worked_out = "Yes" if payment.payment_pence is not None else "No: see the reasons below"
    pairs.append(("Payment worked out", worked_out, None))
    pairs += [(f"Reason {n}", reason, None) for n, reason in enumerate(payment.reasons, start=1)]
    sheet.items(pairs)
    sheet.finish(minimum_width=14)
    return sheet


def commentary_sheet(
    workbook: Workbook, heading: ContractHeading, commentary: Sequence[MonthCommentary], period: str
) -> Sheet:
    """The narrative of each month's submitted return (its current version), as the provider wrote it."""
    sheet = Sheet(
        workbook,
        "Commentary",
        f"{heading.title}: commentary, {period}",
        "The provider's narrative in each month's return (the current version).",
    )
    rows = [
        [entry.month.label, entry.version, entry.received_on, entry.narrative or "(none given)"]
        for entry in commentary
    ]
    sheet.table(["Month", "Version", "Received", "Narrative"], rows, [None, COUNT, DAY, None])
    sheet.finish()
    sheet.ws.column_dimensions["D"].width = 80
    return sheet
