"""Reading an Excel portfolio into the structure the YAML file has, checked by the same rules, problems by cell."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from commissioning.export import FORMULA_STARTS
from commissioning.portfolio import Portfolio, PortfolioError, Problem, check_portfolio, field_name
from commissioning.portfolio_sheets import SHEETS, TEXT, YEAR_COLUMN, Column
from commissioning.quarter.kpis import Kpi

Loc = tuple[Any, ...]
_SPLIT = re.compile(r"[,;\s]+")
_FRIENDLY = {
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "decimal_parsing": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "date_parsing": "must be a date, like 2026-04-01",
    "date_type": "must be a date, like 2026-04-01",
    "date_from_datetime_inexact": "must be a date without a time",
    "date_from_datetime_parsing": "must be a date, like 2026-04-01",
    "bool_parsing": "must be yes or no",
    "bool_type": "must be yes or no",
    "missing": "is required",
}


@dataclass
class _Reading:
    """The structure being built, where each part of it came from, and the problems found on the way."""

    source: str
    data: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"organisations": [], "people": [], "contracts": []}
    )
    cells: dict[Loc, tuple[str, str]] = field(default_factory=dict)  # loc -> (cell, column name)
    problems: list[Problem] = field(default_factory=list)

    def place(self, loc: Loc, message: str, kind: str | None) -> Problem:
        """Where a problem at `loc` is: its cell if known, else its row's, else the workbook."""
        for length in range(len(loc), 0, -1):
            found = self.cells.get(tuple(loc[:length]))
            if found is None:
                continue
            cell, column = found
            rest = field_name(tuple(loc[length:]))
            if rest == "file":
                name = column
            else:
                name = f"{column}{'' if rest.startswith('[') else '.'}{rest}" if column else rest
            friendly = _FRIENDLY.get(kind or "")
            if friendly and name:
                return (cell, "", f"{name} {friendly}")
            if message.startswith("Input should be ") and name:
                return (cell, "", f"{name} should be {message.removeprefix('Input should be ')}")
            return (cell, name, message)
        return (None, field_name(loc), message)


def parse_portfolio_workbook(content: bytes, source: str = "portfolio.xlsx") -> Portfolio:
    """Read and check a whole Excel portfolio; raise PortfolioError naming each problem's sheet, row and column
    (e.g. 'Indicators!J7: requirement must be a number'). Nothing is half-read: it is all checked or refused."""
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise PortfolioError(source, [(None, "", "not an Excel workbook (.xlsx)")]) from None
    reading = _Reading(source)
    known = [name for name in SHEETS if name in workbook.sheetnames]
    if not known:
        raise PortfolioError(source, [(None, "", f"no portfolio sheets; expected {', '.join(SHEETS)}")])
    contracts: dict[str, int] = {}
    orgs: dict[str, int] = {}
    for name in known:
        for row, values in _rows(workbook[name], reading):
            _take(reading, name, row, values, contracts, orgs)
    try:
        portfolio = check_portfolio(dict(reading.data), source, reading.place)
    except PortfolioError as error:
        raise PortfolioError(source, reading.problems + error.problems) from None
    if reading.problems:
        raise PortfolioError(source, reading.problems)
    return portfolio


Row = dict[str, tuple[Any, str]]  # column name -> (value, cell)


def _rows(sheet: Worksheet, reading: _Reading) -> list[tuple[int, Row]]:
    """Each row with anything in it: its number and its cells by column name (row 1 holds the names)."""
    columns = {column.name: column for column in SHEETS[sheet.title]}
    names: dict[int, str] = {}
    for cell in sheet[1]:
        if cell.value is None or not str(cell.value).strip():
            continue
        header = str(cell.value).strip().lower().replace(" ", "_")
        if header not in columns and not YEAR_COLUMN.match(header if sheet.title == "KPIs" else ""):
            reading.problems.append((f"{sheet.title}!{cell.coordinate}", "", f"unknown column {header!r}"))
            continue
        names[cell.column] = header
    found = []
    for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
        row: Row = {}
        for cell in cells:
            if cell.column in names:
                column = columns.get(names[cell.column], Column(names[cell.column], "number"))
                row[names[cell.column]] = (_value(cell.value, column), f"{sheet.title}!{cell.coordinate}")
        if any(value is not None for value, _ in row.values()):
            for index, header in names.items():  # every column's cell is known, so a missing value has one
                row.setdefault(header, (None, f"{sheet.title}!{get_column_letter(index)}{number}"))
            found.append((number, row))
    return found


def _value(value: Any, column: Column) -> Any:
    """A cell's value as the YAML file would hold it: text stripped (empty is absent), whole dates as dates."""
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
            value = value[
                1:
            ]  # written safe by Steward's template: the text itself begins after the apostrophe
        return value or None
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if column.kind == TEXT and isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def _take(
    reading: _Reading, sheet: str, row: int, values: Row, contracts: dict[str, int], orgs: dict[str, int]
) -> None:
    """One row into the structure, remembering each value's cell."""
    fields = {name: value for name, (value, _) in values.items() if value is not None}
    if sheet == "Organisations":
        _add(reading, ("organisations",), fields, values, sheet, row)
        orgs.setdefault(str(fields.get("key")), len(reading.data["organisations"]) - 1)
    elif sheet == "People":
        _add(reading, ("people",), fields, values, sheet, row)
    elif sheet == "Contracts":
        for name in ("reminders", "payment"):
            if name in fields:
                fields[name] = _yaml(reading, values[name][1], fields[name], name)
        _add(reading, ("contracts",), fields, values, sheet, row)
        contracts.setdefault(str(fields.get("key")), len(reading.data["contracts"]) - 1)
    elif sheet == "Seats":
        _seat(reading, row, fields, values, orgs, contracts)
    else:
        index = _owner(reading, values, "contract", contracts, "Contracts")
        if index is None:
            return
        del fields["contract"]
        contract = reading.data["contracts"][index]
        if sheet == "Roles":
            _role(reading, index, contract, fields, values)
        elif sheet == "Indicators":
            _add(reading, ("contracts", index, "indicators"), fields, values, sheet, row, contract)
        else:
            _add(reading, ("contracts", index, "kpis"), _kpi(fields), values, sheet, row, contract)
            _check_kpi(reading, index, contract)


def _add(
    reading: _Reading,
    at: Loc,
    fields: dict[str, Any],
    values: Row,
    sheet: str,
    row: int,
    parent: dict[str, Any] | None = None,
) -> None:
    """Append `fields` to the list at `at` (in `parent`, or the top level) and note where each came from."""
    holder: dict[str, Any] = parent if parent is not None else reading.data
    items = holder.setdefault(at[-1], [])
    loc = (*at, len(items))
    items.append(fields)
    reading.cells[loc] = (f"{sheet} row {row}", "")
    for name, (_, cell) in values.items():
        match = YEAR_COLUMN.match(name)
        if match:  # target_year_2 is targets[2] in the structure
            reading.cells[(*loc, f"{match.group(1)}s", int(match.group(2)))] = (cell, name)
        elif name == "banding_floor":
            reading.cells[(*loc, "banding", "floor")] = (cell, name)
        else:
            reading.cells[(*loc, name)] = (cell, name)


def _check_kpi(reading: _Reading, index: int, contract: dict[str, Any]) -> None:
    """The KPI just added, checked here so each problem lands on its cell; one with problems is left out so
    the portfolio's checks do not report it again."""
    position = len(contract["kpis"]) - 1
    try:
        Kpi.model_validate(contract["kpis"][position])
    except ValidationError as error:
        loc = ("contracts", index, "kpis", position)
        for item in error.errors():
            message = str(item["msg"]).removeprefix("Value error, ")
            reading.problems.append(reading.place((*loc, *item["loc"]), message, item["type"]))
        contract["kpis"].pop()


def _kpi(fields: dict[str, Any]) -> dict[str, Any]:
    """A KPI row as the YAML file writes it: targets and weights by year, the banding's floor."""
    kpi: dict[str, Any] = {}
    for name, value in fields.items():
        match = YEAR_COLUMN.match(name)
        if match:
            kpi.setdefault(f"{match.group(1)}s", {})[int(match.group(2))] = value
        elif name == "banding_floor":
            kpi["banding"] = {"floor": value}
        else:
            kpi[name] = value
    return kpi


def _owner(reading: _Reading, values: Row, column: str, known: dict[str, int], sheet: str) -> int | None:
    value, cell = values[column] if column in values else (None, "")
    if value is None:
        reading.problems.append((cell or None, "", f"{column} is required"))
        return None
    if str(value) not in known:
        reading.problems.append((cell, "", f"{column}: no {column} {value!r} on the {sheet} sheet"))
        return None
    return known[str(value)]


def _role(
    reading: _Reading, index: int, contract: dict[str, Any], fields: dict[str, Any], values: Row
) -> None:
    role, email = fields.get("role"), fields.get("email")
    if role is None or email is None:
        missing = "role" if role is None else "email"
        reading.problems.append((values[missing][1], "", f"{missing} is required"))
        return
    members = contract.setdefault("roles", {}).setdefault(role, [])
    reading.cells[("contracts", index, "roles", role)] = (values["role"][1], "role")
    reading.cells[("contracts", index, "roles", role, len(members))] = (values["email"][1], "email")
    members.append(email)


def _seat(
    reading: _Reading,
    row: int,
    fields: dict[str, Any],
    values: Row,
    orgs: dict[str, int],
    contracts: dict[str, int],
) -> None:
    if ("organisation" in fields) == ("contract" in fields):
        cell = values.get("organisation", values.get("contract", (None, "Seats")))[1]
        reading.problems.append((cell, "", "give either an organisation or a contract, not both or neither"))
        return
    if "organisation" in fields:
        index, top = _owner(reading, values, "organisation", orgs, "Organisations"), "organisations"
    else:
        index, top = _owner(reading, values, "contract", contracts, "Contracts"), "contracts"
    meeting = fields.get("meeting")
    if index is None or meeting is None:
        if meeting is None:
            reading.problems.append(
                (values["meeting"][1] if "meeting" in values else None, "", "meeting is required")
            )
        return
    owner = reading.data[top][index]
    seats = owner.setdefault("seats", {}).setdefault(str(meeting), [])
    seat = {k: v for k, v in fields.items() if k in ("title", "role")}
    if "people" in fields:
        seat["people"] = [p for p in _SPLIT.split(str(fields["people"])) if p]
    loc = (top, index, "seats", str(meeting), len(seats))
    seats.append(seat)
    reading.cells[(top, index, "seats", str(meeting))] = (values["meeting"][1], "meeting")
    reading.cells[loc] = (f"Seats row {row}", "")
    for name in ("title", "role", "people"):
        if name in values:
            reading.cells[(*loc, name)] = (values[name][1], name)


_YAML_LIKE = {
    "reminders": "{monthly_return: {due_working_day: 8}}",
    "payment": "{fee_for_service: {year_1_quarterly_fee: 100000, learning_curve: 0.02}}",
}


def _yaml(reading: _Reading, cell: str, text: Any, name: str) -> Any:
    try:
        return yaml.safe_load(str(text))
    except yaml.YAMLError:
        reading.problems.append((cell, "", f"{name} must be YAML, like {_YAML_LIKE[name]}"))
        return None
