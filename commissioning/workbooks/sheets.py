"""Writing one report sheet with openpyxl: a title row, a frozen header, safe text, numbers with formats, charts."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from commissioning.export import safe_xlsx_value
from commissioning.indicators import IndicatorKind, IndicatorSpec, Rag

HEADER_ROW = 3
"""Row 1 holds the sheet's title, row 2 what it shows, row 3 the column headers; data starts on row 4."""

COUNT = "#,##0"
DECIMAL = "#,##0.0###"
PERCENT_VALUE = '0.0"%"'  # an indicator's percentage is kept as 87.5, not 0.875
SHARE = "0.0%"  # achievement and shares are fractions: 0.5 shows as 50.0%
YES_NO = '"Yes";"Yes";"No"'  # 1 shows Yes, 0 shows No; the cell stays the number
POUNDS = '"£"#,##0.00'
DAY = "dd/mm/yyyy"

NOT_RATED = "Not rated"  # no value, or no requirement to rate it against
RAG_WORDS = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}
RAG_FILLS = {
    Rag.GREEN: PatternFill("solid", fgColor="C6EFCE"),
    Rag.AMBER: PatternFill("solid", fgColor="FFEB9C"),
    Rag.RED: PatternFill("solid", fgColor="FFC7CE"),
}
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_MAX_WIDTH = 60


def value_format(spec: IndicatorSpec) -> str:
    """How an indicator's values are shown: counts with separators, percentages with %, yes/no as words."""
    if spec.kind is IndicatorKind.PERCENTAGE:
        return PERCENT_VALUE
    if spec.kind is IndicatorKind.YES_NO:
        return YES_NO
    if spec.kind is IndicatorKind.COUNT:
        return COUNT
    return DECIMAL


def number(value: Any) -> float | None:
    """A figure from a frame as a float, or None where it is missing (NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def cell_value(value: Any) -> Any:
    """A value as a cell holds it: text made formula-safe, exact numbers as floats, NaN as an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Fraction | Decimal):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, int | float | date | datetime):
        return value
    return safe_xlsx_value(str(value))


@dataclass(frozen=True, slots=True)
class Block:
    """Where a table landed: its header row, its first and last data rows, and its first column."""

    header_row: int
    first_row: int
    last_row: int
    first_column: int = 1

    @property
    def empty(self) -> bool:
        return self.last_row < self.first_row


class Sheet:
    """One worksheet being written: title, subtitle, tables; `finish` freezes the header and sizes columns."""

    def __init__(self, workbook: Workbook, name: str, title: str, subtitle: str = "") -> None:
        self.ws: Worksheet = workbook.create_sheet(name)
        self.ws.cell(1, 1, cell_value(title)).font = _TITLE
        if subtitle:
            self.ws.cell(2, 1, cell_value(subtitle))
        self._widths: dict[int, int] = {}
        self._frozen = False

    def put(self, row: int, column: int, value: Any, number_format: str | None = None) -> None:
        cell = self.ws.cell(row, column, cell_value(value))
        if number_format is not None and cell.value is not None and not isinstance(cell.value, str):
            cell.number_format = number_format
        if isinstance(cell.value, str) and len(cell.value) > 40:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        shown = len(str(cell.value)) if cell.value is not None else 0
        self._widths[column] = max(self._widths.get(column, 0), min(shown + 2, _MAX_WIDTH))

    def rag(self, row: int, column: int, rating: Rag | None) -> None:
        """A red/amber/green cell: the word, and its colour beside it (the colour is never the only signal)."""
        if rating is None:
            self.put(row, column, NOT_RATED)
            return
        self.put(row, column, RAG_WORDS[rating])
        self.ws.cell(row, column).fill = RAG_FILLS[rating]

    def headers(self, row: int, headers: Sequence[str], first_column: int = 1) -> None:
        for offset, header in enumerate(headers):
            self.put(row, first_column + offset, header)
            cell = self.ws.cell(row, first_column + offset)
            cell.font = _BOLD
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if not self._frozen and row == HEADER_ROW:
            self.ws.freeze_panes = f"A{HEADER_ROW + 1}"
            self._frozen = True

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        formats: Sequence[str | None] = (),
        *,
        header_row: int = HEADER_ROW,
        first_column: int = 1,
    ) -> Block:
        """Headers on `header_row`, the rows below; `formats[i]` is column i's number format."""
        self.headers(header_row, headers, first_column)
        for r, row in enumerate(rows, start=header_row + 1):
            for c, value in enumerate(row):
                fmt = formats[c] if c < len(formats) else None
                self.put(r, first_column + c, value, fmt)
        return Block(header_row, header_row + 1, header_row + len(rows), first_column)

    def items(self, pairs: Sequence[tuple[str, Any, str | None]], header_row: int = HEADER_ROW) -> Block:
        """A two-column Item / Value table, each value with its own number format."""
        self.headers(header_row, ["Item", "Value"])
        for r, (item, value, fmt) in enumerate(pairs, start=header_row + 1):
            self.put(r, 1, item)
            self.ws.cell(r, 1).font = _BOLD
            self.put(r, 2, value, fmt)
        return Block(header_row, header_row + 1, header_row + len(pairs))

    def finish(self, minimum_width: int = 8) -> Worksheet:
        for column, width in self._widths.items():
            self.ws.column_dimensions[get_column_letter(column)].width = max(width, minimum_width)
        return self.ws


def bar_chart(
    sheet: Sheet,
    block: Block,
    *,
    title: str,
    category_column: int,
    value_columns: Sequence[int],
    anchor: str,
    y_title: str = "",
    y_format: str | None = None,
) -> BarChart:
    """A clustered bar chart of `value_columns` (headers as series names) against `category_column`."""
    chart = BarChart()
    chart.type = "col"
    _fill(chart, sheet, block, title, category_column, value_columns, y_title, y_format)
    sheet.ws.add_chart(chart, anchor)
    return chart


def line_chart(
    sheet: Sheet,
    block: Block,
    *,
    title: str,
    category_column: int,
    value_columns: Sequence[int],
    anchor: str,
    y_title: str = "",
    y_format: str | None = None,
) -> LineChart:
    """A line chart of `value_columns` (headers as series names) over `category_column` (e.g. months)."""
    chart = LineChart()
    _fill(chart, sheet, block, title, category_column, value_columns, y_title, y_format)
    sheet.ws.add_chart(chart, anchor)
    return chart


def _fill(
    chart: BarChart | LineChart,
    sheet: Sheet,
    block: Block,
    title: str,
    category_column: int,
    value_columns: Sequence[int],
    y_title: str,
    y_format: str | None,
) -> None:
    chart.title = title
    chart.height, chart.width = 8, 16
    chart.y_axis.title = y_title or None
    if y_format:
        chart.y_axis.number_format = y_format
    # openpyxl hides both axes unless told otherwise, which Excel then draws as a chart without scales.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    for column in value_columns:
        data = Reference(sheet.ws, min_col=column, min_row=block.header_row, max_row=block.last_row)
        chart.add_data(data, titles_from_data=True)
    categories = Reference(sheet.ws, min_col=category_column, min_row=block.first_row, max_row=block.last_row)
    chart.set_categories(categories)


def to_bytes(workbook: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file, written in memory."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def new_workbook() -> Workbook:
    """An empty workbook: openpyxl's default sheet removed, so the report's sheets come in their own order."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    return workbook
