"""The cumulative monthly framework: every month of the contract so far, each PI, totals to date, trends."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook

from commissioning.analytics.trends import twelve_month_trend
from commissioning.indicators import IndicatorKind, IndicatorSpec, Rag, rag
from commissioning.periods import Month
from commissioning.workbooks.framework import commentary_sheet
from commissioning.workbooks.inputs import ContractHeading, Indicators, MonthCommentary
from commissioning.workbooks.sheets import (
    COUNT,
    HEADER_ROW,
    RAG_FILLS,
    Block,
    Sheet,
    line_chart,
    new_workbook,
    number,
    to_bytes,
    value_format,
)

TREND_ROWS = 12
_BLOCK_HEIGHT = TREND_ROWS + 4  # the PI's name, its headers, twelve months, two blank rows


@dataclass(frozen=True, slots=True)
class MonthlyInputs:
    """A contract's months so far (oldest first), its PIs and their values, and each month's commentary."""

    heading: ContractHeading
    months: Sequence[Month]
    indicators: Indicators
    commentary: Sequence[MonthCommentary] = ()

    def __post_init__(self) -> None:
        if not self.months:
            raise ValueError("the monthly framework covers at least one month")


def totals_to_date(spec: IndicatorSpec) -> bool:
    """Counts add up month on month; anything else (a percentage, an average, yes/no) is a mean to date."""
    return spec.kind is IndicatorKind.COUNT


def cumulative(indicators: Indicators, months: Sequence[Month]) -> pd.DataFrame:
    """Month by month (rows, month keys) and PI by PI (columns): the running total of a count, the mean to
    date of anything else. A month without a value carries the figure to date forward."""
    by_month = indicators.grid(months).T
    columns = {}
    for spec in indicators.specs:
        values = by_month[spec.code]
        if totals_to_date(spec):
            columns[spec.code] = values.cumsum().ffill()
        else:
            columns[spec.code] = values.expanding(min_periods=1).mean()
    return pd.DataFrame(columns, index=by_month.index)


def monthly_workbook(inputs: MonthlyInputs) -> bytes:
    """The cumulative monthly framework as .xlsx bytes: Monthly framework, RAG, Cumulative, Trends, Commentary."""
    workbook = new_workbook()
    framework_grid_sheet(workbook, inputs)
    rag_sheet(workbook, inputs)
    cumulative_sheet(workbook, inputs)
    trends_sheet(workbook, inputs.heading, inputs.indicators, inputs.months[-1])
    commentary_sheet(workbook, inputs.heading, inputs.commentary, _period(inputs))
    return to_bytes(workbook)


def _period(inputs: MonthlyInputs) -> str:
    return f"{inputs.months[0].label} to {inputs.months[-1].label}"


def framework_grid_sheet(workbook: Workbook, inputs: MonthlyInputs) -> Sheet:
    """PIs down, months across, then the figure to date, the months met and the months reported."""
    sheet = Sheet(
        workbook,
        "Monthly framework",
        f"{inputs.heading.title}: cumulative monthly framework, {_period(inputs)}",
        "Each PI every month of the contract so far; the cell colour is its RAG (words on the RAG sheet). "
        "To date: the total of a count, the mean of anything else.",
    )
    months = inputs.months
    headers = ["Code", "Indicator", "Requirement", "Minimum", *(m.label for m in months)]
    headers += ["To date", "To date is", "Months met", "Months reported"]
    sheet.headers(HEADER_ROW, headers)
    grid = inputs.indicators.grid(months)
    to_date = cumulative(inputs.indicators, months).iloc[-1] if inputs.indicators.specs else None
    after = 5 + len(months)
    for row, spec in enumerate(inputs.indicators.specs, start=HEADER_ROW + 1):
        fmt = value_format(spec)
        sheet.put(row, 1, spec.code)
        sheet.put(row, 2, spec.name)
        sheet.put(row, 3, spec.describe_requirement())
        sheet.put(row, 4, spec.requirement, fmt)
        values = [number(v) for v in grid.loc[spec.code]]
        ratings = [rag(spec, value) for value in values]
        for offset, (value, rating) in enumerate(zip(values, ratings, strict=True)):
            sheet.put(row, 5 + offset, value, fmt)
            if rating is not None:
                sheet.ws.cell(row, 5 + offset).fill = RAG_FILLS[rating]
        sheet.put(row, after, None if to_date is None else to_date[spec.code], fmt)
        sheet.put(row, after + 1, "total" if totals_to_date(spec) else "mean")
        sheet.put(row, after + 2, sum(r is Rag.GREEN for r in ratings), COUNT)
        sheet.put(row, after + 3, sum(value is not None for value in values), COUNT)
    sheet.finish()
    return sheet


def rag_sheet(workbook: Workbook, inputs: MonthlyInputs) -> Sheet:
    """The same grid as words: Green, Amber, Red, or Not rated where there was no value or no requirement."""
    sheet = Sheet(
        workbook,
        "RAG",
        f"{inputs.heading.title}: RAG by month, {_period(inputs)}",
        "Red, amber or green against the minimum service requirement; Not rated where there is no value or no requirement.",
    )
    months = inputs.months
    sheet.headers(HEADER_ROW, ["Code", "Indicator", *(m.label for m in months)])
    grid = inputs.indicators.grid(months)
    for row, spec in enumerate(inputs.indicators.specs, start=HEADER_ROW + 1):
        sheet.put(row, 1, spec.code)
        sheet.put(row, 2, spec.name)
        for offset, value in enumerate(grid.loc[spec.code]):
            sheet.rag(row, 3 + offset, rag(spec, number(value)))
    sheet.finish()
    return sheet


def cumulative_sheet(workbook: Workbook, inputs: MonthlyInputs) -> Sheet:
    """Months down, each PI's figure to date across: a count's running total, otherwise the mean to date."""
    sheet = Sheet(
        workbook,
        "Cumulative",
        f"{inputs.heading.title}: totals to date, {_period(inputs)}",
        "A count's running total; for a percentage, an average or yes/no, the mean of the months so far.",
    )
    specs = inputs.indicators.specs
    headers = ["Month"] + [
        f"{spec.code} {'total' if totals_to_date(spec) else 'mean'} to date" for spec in specs
    ]
    sheet.headers(HEADER_ROW, headers)
    frame = cumulative(inputs.indicators, inputs.months) if specs else None
    for row, month in enumerate(inputs.months, start=HEADER_ROW + 1):
        sheet.put(row, 1, month.label)
        for offset, spec in enumerate(specs):
            value = None if frame is None else frame.at[month.key, spec.code]
            sheet.put(row, 2 + offset, value, value_format(spec))
    sheet.finish()
    return sheet


def trends_sheet(workbook: Workbook, heading: ContractHeading, indicators: Indicators, last: Month) -> Sheet:
    """Each PI over the twelve months ending with `last` (none before the contract began) against its minimum:
    a table and a line chart each."""
    first = Month.of(heading.starts_on)
    sheet = Sheet(
        workbook,
        "Trends",
        f"{heading.title}: the last twelve months against the minimum, to {last.label}",
        "Each PI's value month by month beside its minimum service requirement (a ceiling where lower is "
        "better); Met is Yes, No, or empty where there is no value.",
    )
    specs = list(indicators.specs)
    values = indicators.values.assign(contract=heading.key)
    values = values[values["indicator"].isin([spec.code for spec in specs])]
    # Every PI gets its block, reported or not: a PI with no values still shows its empty twelve months.
    placeholders = pd.DataFrame(
        {"contract": heading.key, "indicator": [s.code for s in specs], "month": last.key, "value": math.nan}
    )
    missing = placeholders[~placeholders["indicator"].isin(values["indicator"].astype(str))]
    with_all = pd.concat([values[["contract", "indicator", "month", "value"]], missing], ignore_index=True)
    if specs:
        trend = twelve_month_trend(with_all, specs, last)
        for index, spec in enumerate(specs):
            rows = trend[(trend["indicator"] == spec.code) & (trend["month"] >= first.key)]
            _trend_block(sheet, spec, rows, HEADER_ROW + index * _BLOCK_HEIGHT)
    sheet.ws.freeze_panes = f"A{HEADER_ROW}"  # the title rows stay; each block has its headers
    sheet.finish()
    return sheet


def _trend_block(sheet: Sheet, spec: IndicatorSpec, rows: pd.DataFrame, top: int) -> None:
    fmt = value_format(spec)
    sheet.put(top, 1, f"{spec.code}: {spec.name}")
    label = "Maximum" if spec.lower_is_better else "Minimum"
    block = sheet.table(
        ["Month", "Value", label, "Met"],
        [
            [
                Month.parse(str(r.month)).label,
                r.value,
                r.minimum,
                None if r.met is pd.NA else bool(r.met),
            ]
            for r in rows.itertuples()
        ],
        [None, fmt, fmt, None],
        header_row=top + 1,
    )
    line_chart(
        sheet,
        Block(block.header_row, block.first_row, block.last_row),
        title=f"{spec.code} against its {label.lower()}",
        category_column=1,
        value_columns=[2, 3],
        anchor=f"F{top}",
    )
