"""The Excel portfolio's sheets and columns, and the template (empty, or filled from a portfolio) Steward writes."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from commissioning.export import safe_xlsx_value
from commissioning.indicators import Comparison, IndicatorKind
from commissioning.portfolio import Portfolio
from commissioning.quarter.kpis import Source
from commissioning.roles import Role

TEXT, NUMBER, DATE, YES_NO = "text", "number", "date", "yes/no"
TEMPLATE_YEARS = 5
"""The template has target and weight columns for contract years 1 to 5; add `target year 6` and so on."""
YEAR_COLUMN = re.compile(r"^(target|weight)_year_(\d{1,2})$")
VALIDATION_ROWS = 500


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str = TEXT
    note: str = ""
    choices: tuple[str, ...] = ()


def _choices(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


SHEETS: dict[str, tuple[Column, ...]] = {
    "Organisations": (
        Column("key", note="short unique key, e.g. mopac; people and contracts refer to it"),
        Column("name", note="the organisation's name"),
        Column("kind", note="commissioner or provider", choices=("commissioner", "provider")),
    ),
    "People": (
        Column("email", note="unique; how roles and managers refer to the person"),
        Column("name"),
        Column("organisation", note="an organisation's key"),
        Column("job_title"),
        Column("aad_object_id", note="their Azure AD object id, if known (links them to Teams)"),
        Column("manager", note="their manager's email (escalations go there)"),
        Column("administrator", YES_NO, "yes: may administer Steward", ("yes", "no")),
    ),
    "Contracts": (
        Column("key", note="short unique key, e.g. IVWS"),
        Column("name"),
        Column("service"),
        Column("commissioner", note="the commissioning organisation's key"),
        Column("provider", note="the providing organisation's key"),
        Column("starts_on", DATE, "the first day, a date"),
        Column("ends_on", DATE, "the last day, a date"),
        Column("value", NUMBER, "the contract value in pounds"),
        Column("outcome_share", NUMBER, "the share of the value paid on KPIs, 0 to 1 (0.25 is 25%)"),
        Column("year_start_month", NUMBER, "the month contract years start, 1 to 12 (4: April)"),
        Column(
            "reminders",
            note="this contract's own reminder delays, as YAML, e.g. {monthly_return: {due_working_day: 8}}",
        ),
        Column(
            "payment",
            note="fee for service and payment by results, as YAML, e.g. "
            "{fee_for_service: {year_1_quarterly_fee: 100000, learning_curve: 0.02}} (docs/quarter.md)",
        ),
    ),
    "Roles": (
        Column("contract", note="a contract's key"),
        Column("role", note="the role on that contract", choices=_choices(r.value for r in Role)),
        Column("email", note="the person's email"),
    ),
    "Indicators": (
        Column("contract", note="a contract's key"),
        Column("code", note="unique on the contract, e.g. PI1"),
        Column("name"),
        Column("description"),
        Column("frequency", note="monthly (a PI) or quarterly", choices=("monthly", "quarterly")),
        Column("kind", note="how a value is entered", choices=_choices(k.value for k in IndicatorKind)),
        Column("unit", note="e.g. referrals, hours"),
        Column("minimum", NUMBER, "the lowest value accepted"),
        Column("maximum", NUMBER, "the highest value accepted"),
        Column("requirement", NUMBER, "the minimum service requirement (yes/no: 1 must be yes)"),
        Column("comparison", note=">= at least, <= at most", choices=_choices(c.value for c in Comparison)),
        Column("amber_margin", NUMBER, "how far short of the requirement is still amber"),
    ),
    "KPIs": (
        Column("contract", note="a contract's key"),
        Column("code", note="unique on the contract, e.g. REF"),
        Column("name"),
        Column("measures", note="what it measures, in words"),
        Column("source", note="where the result comes from", choices=_choices(s.value for s in Source)),
        Column("pi", note="for sum, mean, latest: the monthly PI's code"),
        Column("numerator", note="for ratio: the numerator PI's code"),
        Column("denominator", note="for ratio: the denominator PI's code"),
        Column("scale", NUMBER, "for ratio: times this (100 for a percentage)"),
        Column(
            "comparison", note=">= at least, <= no more than", choices=_choices(c.value for c in Comparison)
        ),
        Column("live_from_year", NUMBER, "the contract year it counts from (default 1)"),
        Column("baseline_year", NUMBER, "the contract year it collects a baseline in, if any"),
        *(Column(f"target_year_{y}", NUMBER, f"the target in contract year {y}") for y in range(1, 6)),
        *(Column(f"weight_year_{y}", NUMBER, f"the weight in contract year {y}") for y in range(1, 6)),
        Column("banding_floor", NUMBER, "pro rata from this share of the target (0.8); default 1"),
    ),
    "Seats": (
        Column("organisation", note="an organisation's key: its own seats for its side"),
        Column("contract", note="or a contract's key: the contract's own seats"),
        Column("meeting", note="monthly or quarterly", choices=("monthly", "quarterly")),
        Column("title", note="the seat, e.g. Contract Manager"),
        Column("role", note="filled by the holders of this role", choices=_choices(r.value for r in Role)),
        Column("people", note="and/or these emails, separated by commas"),
    ),
}

NOTES = (
    "Steward portfolio template. Fill in the sheets and run: steward import FILE.xlsx "
    "(add --dry-run to check it without changing anything).",
    "One row per organisation, person, contract, role holder, indicator, KPI and seat. The first row of each "
    "sheet is the column names: keep them; columns may be left empty or in another order.",
    "The import is all or nothing: every problem is listed with its sheet, row and column, and nothing is "
    "changed until there are none. Rows that are entirely empty are skipped.",
    "Roles, Indicators and KPIs name their contract in the contract column. A KPI's targets and weights are by "
    "contract year; a year left empty keeps the previous year's. Add target_year_6 and weight_year_6 columns "
    "for a longer contract.",
    "The same rules as the YAML portfolio file apply (README.md, docs/quarter.md, docs/meetings.md).",
)


def template_workbook(portfolio: Portfolio | None = None) -> bytes:
    """The Excel template as .xlsx bytes: a Notes sheet, then one sheet per kind of row; filled from
    `portfolio` if given (the same portfolio read back from it imports the same)."""
    workbook = Workbook()
    for default in list(workbook.worksheets):
        workbook.remove(default)
    _write_notes(workbook.create_sheet("Notes"))
    rows = _rows(portfolio) if portfolio is not None else {}
    for name, columns in SHEETS.items():
        sheet = workbook.create_sheet(name)
        _write_sheet(sheet, _with_years(name, columns, rows.get(name, [])), rows.get(name, []))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_years(name: str, columns: Sequence[Column], rows: list[dict[str, Any]]) -> tuple[Column, ...]:
    """The KPIs sheet gets target and weight columns for every year the portfolio uses past the fifth."""
    if name != "KPIs":
        return tuple(columns)
    used = {int(m.group(2)) for row in rows for key in row if (m := YEAR_COLUMN.match(key))}
    extra = range(TEMPLATE_YEARS + 1, max(used, default=0) + 1)
    added = [
        Column(f"{word}_year_{y}", NUMBER, f"the {word} in year {y}")
        for word in ("target", "weight")
        for y in extra
    ]
    return (*columns[:-1], *added, columns[-1])


def _write_notes(sheet: Worksheet) -> None:
    sheet.cell(1, 1, "Steward portfolio").font = Font(bold=True, size=14)
    for row, line in enumerate(NOTES, start=3):
        sheet.cell(row, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
    top = len(NOTES) + 4
    for offset, header in enumerate(("Sheet", "Column", "Kind", "What goes in it", "Choices")):
        sheet.cell(top, 1 + offset, header).font = Font(bold=True)
    row = top
    for name, columns in SHEETS.items():
        for column in columns:
            row += 1
            values = (name, column.name, column.kind, column.note, ", ".join(column.choices))
            for offset, value in enumerate(values):
                sheet.cell(row, 1 + offset, safe_xlsx_value(value))
    for letter, width in zip("ABCDE", (14, 18, 9, 70, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["A"].width = 14


def _write_sheet(sheet: Worksheet, columns: Sequence[Column], rows: list[dict[str, Any]]) -> None:
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(1, index, column.name)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(len(column.name) + 4, 40))
        if column.kind == DATE:
            for row in range(2, VALIDATION_ROWS + 2):
                sheet.cell(row, index).number_format = "yyyy-mm-dd"
        if column.choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
            )
            validation.error = f"{column.name}: one of {', '.join(column.choices)}"
            validation.prompt = column.note
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{VALIDATION_ROWS + 1}")
    sheet.freeze_panes = "A2"
    for number, row_values in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            value = row_values.get(column.name)
            if value is not None:
                sheet.cell(number, index, safe_xlsx_value(value))


def _rows(portfolio: Portfolio) -> dict[str, list[dict[str, Any]]]:
    """The portfolio as each sheet's rows: column name → cell value."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SHEETS}
    for org in portfolio.organisations:
        rows["Organisations"].append({"key": org.key, "name": org.name, "kind": org.kind})
        rows["Seats"] += _seat_rows("organisation", org.key, org.seats)
    for person in portfolio.people:
        entry = person.model_dump(exclude_none=True)
        entry["administrator"] = "yes" if person.administrator else "no"
        rows["People"].append(entry)
    for contract in portfolio.contracts:
        entry = contract.model_dump(include={c.name for c in SHEETS["Contracts"]}, exclude_none=True)
        if contract.reminders:
            entry["reminders"] = yaml.safe_dump(contract.reminders, default_flow_style=True).strip()
        if contract.payment:
            entry["payment"] = yaml.safe_dump(contract.payment, default_flow_style=True, width=10_000).strip()
        rows["Contracts"].append(entry)
        for role, emails in contract.roles.items():
            rows["Roles"] += [{"contract": contract.key, "role": role.value, "email": e} for e in emails]
        for indicator in contract.indicators:
            rows["Indicators"].append({"contract": contract.key, **indicator.model_dump(mode="json")})
        rows["KPIs"] += [_kpi_row(contract.key, kpi) for kpi in contract.kpis]
        rows["Seats"] += _seat_rows("contract", contract.key, contract.seats)
    return rows


def _kpi_row(contract: str, kpi: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"contract": contract}
    for key, value in kpi.items():
        if key in ("targets", "weights"):
            row.update({f"{key[:-1]}_year_{year}": amount for year, amount in value.items()})
        elif key == "banding":
            row["banding_floor"] = value.get("floor")
        else:
            row[key] = value
    return row


def _seat_rows(owner: str, key: str, seats: Any) -> list[dict[str, Any]]:
    if seats is None:
        return []
    found = []
    for meeting in ("monthly", "quarterly"):
        for seat in getattr(seats, meeting) or []:
            found.append(
                {
                    owner: key,
                    "meeting": meeting,
                    "title": seat.title,
                    "role": seat.role.value if seat.role else None,
                    "people": ", ".join(seat.people) or None,
                }
            )
    return found
