"""The portfolio in Excel: the template Steward writes, and a workbook read by the YAML file's rules, problems by cell."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from commissioning.portfolio import PortfolioError, parse_portfolio
from commissioning.portfolio_excel import parse_portfolio_workbook
from commissioning.portfolio_sheets import template_workbook
from tests.conftest import DEMO

SMALL = """\
organisations:
  - {key: opcc, name: Example OPCC, kind: commissioner}
  - {key: charity, name: Example Charity, kind: provider}
people:
  - {email: ann@opcc.example, name: Ann, organisation: opcc, administrator: true}
  - {email: bob@charity.example, name: "=SUM(A1:A9)", organisation: charity, manager: ann@opcc.example}
contracts:
  - key: VS
    name: Victim service
    commissioner: opcc
    provider: charity
    starts_on: 2026-04-01
    ends_on: 2029-03-31
    value: 4800000
    outcome_share: 0.25
    reminders: {monthly_return: {due_working_day: 8}}
    seats:
      monthly:
        - {title: Contract Manager, role: commissioner}
        - {title: Data lead, people: [bob@charity.example]}
    roles:
      commissioner: [ann@opcc.example]
      provider_contact: [bob@charity.example]
    indicators:
      - {code: PI1, name: Referrals, kind: count, requirement: 300, amber_margin: 20}
      - {code: PI2, name: Contacted in two days, kind: percentage, requirement: 90}
    kpis:
      - {code: REF, name: Referrals, source: sum, pi: PI1, targets: {1: 900, 2: 1000}, weights: {1: 1},
         banding: {floor: 0.8}}
"""


def workbook_of(text: str) -> Workbook:
    return load_workbook(io.BytesIO(template_workbook(parse_portfolio(text))))


def saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column(workbook: Workbook, sheet: str, name: str) -> str:
    """The letter of a column, found by its header."""
    for cell in workbook[sheet][1]:
        if cell.value == name:
            return str(cell.column_letter)
    raise AssertionError(f"{sheet} has no column {name}")


def problems(workbook: Workbook) -> list[str]:
    with pytest.raises(PortfolioError) as raised:
        parse_portfolio_workbook(saved(workbook), "portfolio.xlsx")
    return raised.value.describe().splitlines()[1:]


def test_the_empty_template_has_a_notes_sheet_and_one_sheet_per_kind_of_row() -> None:
    workbook = load_workbook(io.BytesIO(template_workbook()))
    assert workbook.sheetnames == [
        "Notes",
        "Organisations",
        "People",
        "Contracts",
        "Roles",
        "Indicators",
        "KPIs",
        "Seats",
    ]
    assert [c.value for c in workbook["Roles"][1]] == ["contract", "role", "email"]
    assert [c.value for c in workbook["Indicators"][1]][:5] == [
        "contract",
        "code",
        "name",
        "description",
        "frequency",
    ]
    assert workbook["Indicators"].freeze_panes == "A2"
    assert "steward import FILE.xlsx" in workbook["Notes"]["A3"].value
    assert workbook["Indicators"].max_row == 1  # headers only


def test_the_template_offers_the_choices_for_each_enumeration() -> None:
    sheet = load_workbook(io.BytesIO(template_workbook()))["Indicators"]
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["F2:F501"] == '"whole_number,count,percentage,yes_no"'
    assert lists["E2:E501"] == '"monthly,quarterly"'
    assert lists["K2:K501"] == '">=,<="'


def test_the_empty_template_imports_as_an_empty_portfolio() -> None:
    portfolio = parse_portfolio_workbook(template_workbook(), "template.xlsx")
    assert (portfolio.organisations, portfolio.people, portfolio.contracts) == ([], [], [])


def test_the_demo_portfolio_round_trips_through_the_template() -> None:
    portfolio = parse_portfolio(DEMO.read_text(encoding="utf-8"), "demo")
    back = parse_portfolio_workbook(template_workbook(portfolio), "demo.xlsx")
    assert back.model_dump(mode="json") == portfolio.model_dump(mode="json")


def test_a_contracts_seats_reminders_and_kpis_round_trip_too() -> None:
    portfolio = parse_portfolio(SMALL, "small")
    workbook = workbook_of(SMALL)
    assert [c.value for c in workbook["Seats"][3]] == [
        None,
        "VS",
        "monthly",
        "Data lead",
        None,
        "bob@charity.example",
    ]
    back = parse_portfolio_workbook(saved(workbook), "small.xlsx")
    assert back.model_dump(mode="json") == portfolio.model_dump(mode="json")


def test_a_formula_looking_name_is_written_as_text_and_read_back_as_it_was() -> None:
    workbook = workbook_of(SMALL)
    assert workbook["People"]["B3"].value == "'=SUM(A1:A9)"
    assert workbook["People"]["B3"].data_type == "s"
    assert parse_portfolio_workbook(saved(workbook)).people[1].name == "=SUM(A1:A9)"


def test_a_contracts_own_reminders_are_yaml_text_in_their_cell() -> None:
    workbook = workbook_of(SMALL)
    assert workbook["Contracts"]["K2"].value == "{monthly_return: {due_working_day: 8}}"
    assert parse_portfolio_workbook(saved(workbook)).contracts[0].reminders == {
        "monthly_return": {"due_working_day": 8}
    }


def test_kpi_targets_and_weights_come_from_the_year_columns() -> None:
    workbook = workbook_of(SMALL)
    kpis = workbook["KPIs"]
    assert kpis[f"{column(workbook, 'KPIs', 'target_year_2')}2"].value == 1000
    (kpi,) = parse_portfolio_workbook(saved(workbook)).contracts[0].kpi_definitions()
    assert (kpi.target_for(1), kpi.target_for(2), kpi.weight_for(3), kpi.banding.floor) == (
        900,
        1000,
        1,
        Decimal("0.8"),
    )


Edit = Callable[[Workbook], None]


def put(sheet: str, name: str, row: int, value: object) -> Edit:
    def edit(workbook: Workbook) -> None:
        workbook[sheet][f"{column(workbook, sheet, name)}{row}"] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (put("Indicators", "requirement", 3, "lots"), "Indicators!J3: requirement must be a number"),
        (
            put("Contracts", "starts_on", 2, "next spring"),
            "Contracts!F2: starts_on must be a date, like 2026-04-01",
        ),
        (put("Contracts", "name", 2, None), "Contracts!B2: name is required"),
        (put("People", "administrator", 2, "perhaps"), "People!G2: administrator must be yes or no"),
        (
            put("Organisations", "kind", 3, "charity"),
            "Organisations!C3: kind should be 'commissioner' or 'provider'",
        ),
        (
            put("Roles", "contract", 2, "NOPE"),
            "Roles!A2: contract: no contract 'NOPE' on the Contracts sheet",
        ),
        (
            put("Roles", "email", 2, "carol@opcc.example"),
            "Roles!C2: email: no person with email 'carol@opcc.example'",
        ),
        (
            put("People", "organisation", 3, "elsewhere"),
            "People!C3: organisation: no organisation with key 'elsewhere'",
        ),
        (put("Contracts", "ends_on", 2, "2026-03-01"), "Contracts row 2: ends_on must be after starts_on"),
        (
            put("Contracts", "reminders", 2, "{monthly_return: [unclosed"),
            "Contracts!K2: reminders must be YAML, like {monthly_return: {due_working_day: 8}}",
        ),
        (put("KPIs", "target_year_1", 2, "many"), "KPIs!M2: target_year_1 must be a number"),
        (put("KPIs", "scale", 2, 0), "KPIs!I2: scale should be greater than 0"),
    ],
)
def test_a_broken_cell_is_refused_with_its_sheet_row_and_column(edit: Edit, problem: str) -> None:
    workbook = workbook_of(SMALL)
    edit(workbook)
    assert problems(workbook) == [f"  {problem}"]


def test_every_problem_is_listed_and_nothing_is_read() -> None:
    workbook = workbook_of(SMALL)
    put("Indicators", "requirement", 3, "lots")(workbook)
    put("Indicators", "kind", 2, "colour")(workbook)
    workbook["Indicators"]["N1"] = "colour"
    assert problems(workbook) == [
        "  Indicators!N1: unknown column 'colour'",
        "  Indicators!F2: kind should be 'whole_number', 'count', 'percentage' or 'yes_no'",
        "  Indicators!J3: requirement must be a number",
    ]


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(PortfolioError) as raised:
        parse_portfolio_workbook(b"organisations: []", "portfolio.xlsx")
    assert raised.value.describe().splitlines() == [
        "portfolio.xlsx: not imported, 1 problem(s); nothing was changed.",
        "  file: not an Excel workbook (.xlsx)",
    ]
