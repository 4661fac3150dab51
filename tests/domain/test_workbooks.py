"""The report workbooks, built from plain data and opened back with openpyxl: sheets, cells, formats, charts."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from commissioning.indicators import Comparison, IndicatorKind, IndicatorSpec
from commissioning.periods import Month, Quarter
from commissioning.quarter import ContractTerm, kpi_from_dict, outcome_payment
from commissioning.workbooks import (
    ActionRow,
    ContractHeading,
    DeliverableRow,
    FrameworkInputs,
    Indicators,
    MonthCommentary,
    MonthlyInputs,
    PackInputs,
    framework_workbook,
    monthly_workbook,
    pack_workbook,
)

HEADING = ContractHeading(
    "VS", "Victim service", "Example OPCC", "Example Charity", date(2026, 4, 1), date(2029, 3, 31)
)
Q1 = Quarter(2026, 1)
SPECS = [
    IndicatorSpec("PI1", "Referrals", IndicatorKind.COUNT, requirement=300, amber_margin=20),
    IndicatorSpec("PI2", "Contacted in two days", IndicatorKind.PERCENTAGE, requirement=90, amber_margin=5),
    IndicatorSpec(
        "PI3", "Waiting days", IndicatorKind.WHOLE_NUMBER, requirement=10, comparison=Comparison.AT_MOST
    ),
]
# April: 310 (green), 88% (amber); May: 290 (amber), 92% (green); June: PI1 missing, 80% (red). PI3 only in May.
VALUES = pd.DataFrame(
    [
        ("PI1", "2026-04", 310),
        ("PI1", "2026-05", 290),
        ("PI2", "2026-04", 88),
        ("PI2", "2026-05", 92),
        ("PI2", "2026-06", 80),
        ("PI3", "2026-05", 12),
    ],
    columns=["indicator", "month", "value"],
)
INDICATORS = Indicators(SPECS, VALUES)
KPIS = [
    kpi_from_dict(
        {
            "code": "REF",
            "name": "Referrals",
            "source": "sum",
            "pi": "PI1",
            "targets": {1: 900},
            "weights": {1: 1},
        }
    )
]
TERM = ContractTerm(date(2026, 4, 1), date(2029, 3, 31))
# 310 + 290 with June missing: no result, so no payment.
PAYMENT = outcome_payment(
    KPIS, TERM, 4_800_000_00, 0.25, Q1, {Month(2026, 4): {"PI1": 310}, Month(2026, 5): {"PI1": 290}}
)
FULL_PAYMENT = outcome_payment(
    KPIS,
    TERM,
    4_800_000_00,
    0.25,
    Q1,
    {Month(2026, 4): {"PI1": 300}, Month(2026, 5): {"PI1": 310}, Month(2026, 6): {"PI1": 245}},
)
HOSTILE = '=HYPERLINK("http://evil.example","click")'
COMMENTARY = [
    MonthCommentary(Month(2026, 4), 1, date(2026, 5, 6), HOSTILE),
    MonthCommentary(Month(2026, 5), 2, date(2026, 6, 5), "Two staff off sick."),
]


def opened(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def framework(payment=FULL_PAYMENT) -> Workbook:  # type: ignore[no-untyped-def]
    return opened(framework_workbook(FrameworkInputs(HEADING, Q1, INDICATORS, payment, COMMENTARY)))


def row(sheet, number: int) -> list[object]:  # type: ignore[no-untyped-def]
    return [cell.value for cell in sheet[number]]


def test_the_framework_has_one_sheet_per_view() -> None:
    assert framework().sheetnames == ["PIs", "KPIs", "Payment", "Commentary"]


def test_the_pis_sheet_shows_each_month_with_its_rag_and_the_months_met() -> None:
    sheet = framework()["PIs"]
    assert sheet["A1"].value == "VS: Victim service: performance framework, Q1 2026/27"
    assert row(sheet, 3) == [
        "Code",
        "Indicator",
        "Requirement",
        "Minimum",
        "April 2026",
        "April 2026 RAG",
        "May 2026",
        "May 2026 RAG",
        "June 2026",
        "June 2026 RAG",
        "Months met",
        "Months reported",
    ]
    assert row(sheet, 4) == [
        "PI1",
        "Referrals",
        "at least 300",
        300,
        310,
        "Green",
        290,
        "Amber",
        None,
        "Not rated",
        1,
        2,
    ]
    assert row(sheet, 5) == [
        "PI2",
        "Contacted in two days",
        "at least 90%",
        90,
        88,
        "Amber",
        92,
        "Green",
        80,
        "Red",
        1,
        3,
    ]
    assert row(sheet, 6)[:8] == ["PI3", "Waiting days", "at most 10", 10, None, "Not rated", 12, "Red"]


def test_numbers_are_numbers_with_formats_and_the_header_is_frozen() -> None:
    sheet = framework()["PIs"]
    assert sheet.freeze_panes == "A4"
    assert sheet["E4"].data_type == "n" and sheet["E4"].number_format == "#,##0"
    assert sheet["E5"].number_format == '0.0"%"'
    assert sheet["F4"].fill.fgColor.rgb == "00C6EFCE"
    assert sheet.column_dimensions["B"].width >= len("Contacted in two days")


def test_the_pis_sheet_has_a_bar_chart_of_the_months_met() -> None:
    (chart,) = framework()["PIs"]._charts
    assert chart.series[0].val.numRef.f == "'PIs'!$K$4:$K$6"
    assert chart.series[0].cat.numRef.f == "'PIs'!$A$4:$A$6"


def test_the_kpis_sheet_gives_result_target_achievement_weight_and_share() -> None:
    sheet = framework()["KPIs"]
    assert row(sheet, 3)[:9] == [
        "Code",
        "KPI",
        "Measures",
        "Status",
        "Result",
        "Target",
        "Achievement",
        "Weight",
        "Share of payment",
    ]
    # 855 of 900 with the default all-or-nothing banding: no achievement.
    assert row(sheet, 4)[:9] == ["REF", "Referrals", None, "Live", 855, 900, 0, 1, 1]
    assert sheet["G4"].number_format == "0.0%"
    (chart,) = sheet._charts
    assert chart.series[0].val.numRef.f == "'KPIs'!$G$4"


def test_the_payment_sheet_gives_the_pot_and_the_payment_in_pounds() -> None:
    sheet = framework()["Payment"]
    items = {r[0]: r[1] for r in sheet.iter_rows(min_row=4, values_only=True)}
    # £4.8m × 25% over the contract's 12 quarters: £100,000 a quarter.
    assert items["Outcome pot"] == 100000
    assert items["Payment"] == 0
    assert items["Contract year"] == 1
    assert sheet["B8"].number_format == '"£"#,##0.00'


def test_a_payment_that_cannot_be_worked_out_says_why() -> None:
    sheet = framework(PAYMENT)["Payment"]
    items = {r[0]: r[1] for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert items["Payment"] is None
    assert items["Payment worked out"] == "No: see the reasons below"
    assert items["Reason 1"] == "REF has no result: no data: June 2026 has no return"


def test_a_contract_without_kpis_says_so() -> None:
    workbook = framework(None)
    assert workbook["KPIs"]["A4"].value == "This contract has no KPIs in its portfolio file."
    assert workbook["KPIs"]._charts == []


def test_a_narrative_beginning_with_equals_is_stored_as_text_not_a_formula() -> None:
    sheet = framework()["Commentary"]
    assert row(sheet, 4) == ["April 2026", 1, sheet["C4"].value, "'" + HOSTILE]
    assert sheet["D4"].data_type == "s"
    assert sheet["C4"].value.date() == date(2026, 5, 6)
    assert sheet["D5"].value == "Two staff off sick."


def monthly() -> Workbook:
    months = [Month(2026, 4), Month(2026, 5), Month(2026, 6)]
    return opened(monthly_workbook(MonthlyInputs(HEADING, months, INDICATORS, COMMENTARY)))


def test_the_monthly_framework_has_its_sheets() -> None:
    assert monthly().sheetnames == ["Monthly framework", "RAG", "Cumulative", "Trends", "Commentary"]


def test_the_monthly_framework_shows_every_month_and_the_figure_to_date() -> None:
    sheet = monthly()["Monthly framework"]
    assert row(sheet, 3)[4:] == [
        "April 2026",
        "May 2026",
        "June 2026",
        "To date",
        "To date is",
        "Months met",
        "Months reported",
    ]
    assert row(sheet, 4)[4:] == [310, 290, None, 600, "total", 1, 2]
    assert row(sheet, 5)[4:] == [88, 92, 80, 260 / 3, "mean", 1, 3]


def test_the_rag_sheet_gives_the_words() -> None:
    sheet = monthly()["RAG"]
    assert row(sheet, 4) == ["PI1", "Referrals", "Green", "Amber", "Not rated"]
    assert row(sheet, 6) == ["PI3", "Waiting days", "Not rated", "Red", "Not rated"]


def test_cumulative_runs_a_count_total_and_a_percentage_mean_month_by_month() -> None:
    sheet = monthly()["Cumulative"]
    assert row(sheet, 3) == ["Month", "PI1 total to date", "PI2 mean to date", "PI3 mean to date"]
    assert row(sheet, 4) == ["April 2026", 310, 88, None]
    assert row(sheet, 5) == ["May 2026", 600, 90, 12]
    assert row(sheet, 6) == ["June 2026", 600, 260 / 3, 12]


def test_trends_has_a_line_chart_per_pi_of_its_months_against_its_minimum() -> None:
    sheet = monthly()["Trends"]
    assert sheet["A3"].value == "PI1: Referrals"
    assert row(sheet, 4) == ["Month", "Value", "Minimum", "Met"]
    # The contract began in April 2026: no months before it.
    assert row(sheet, 5) == ["April 2026", 310, 300, "Yes"]
    assert row(sheet, 6) == ["May 2026", 290, 300, "No"]
    assert row(sheet, 7) == ["June 2026", None, 300, None]
    charts = sheet._charts
    assert len(charts) == 3
    values, minimum = charts[0].series
    assert values.val.numRef.f == "'Trends'!$B$5:$B$7"
    assert minimum.val.numRef.f == "'Trends'!$C$5:$C$7"
    assert values.cat.numRef.f == "'Trends'!$A$5:$A$7"
    assert sheet["A35"].value == "PI3: Waiting days"
    assert sheet["C36"].value == "Maximum"


def test_twelve_months_of_trend_after_a_year() -> None:
    months = [Month(2026, 4)]
    while len(months) < 15:
        months.append(months[-1].next())
    values = pd.DataFrame(
        [("PI1", m.key, 300 + n) for n, m in enumerate(months)], columns=["indicator", "month", "value"]
    )
    workbook = opened(monthly_workbook(MonthlyInputs(HEADING, months, Indicators(SPECS[:1], values))))
    sheet = workbook["Trends"]
    assert sheet["A5"].value == "July 2026" and sheet["A16"].value == "June 2027"
    assert sheet._charts[0].series[0].val.numRef.f == "'Trends'!$B$5:$B$16"


def test_the_pack_adds_the_cover_the_actions_and_the_deliverables() -> None:
    actions = [
        ActionRow(
            7,
            "=cmd|' /C calc'!A0",
            "Bob",
            date(2026, 7, 1),
            "Open",
            "monthly performance review",
            overdue=True,
        ),
        ActionRow(
            3,
            "Send the risk register",
            "Ann",
            date(2026, 6, 1),
            "Done",
            "quarterly contract meeting",
            "Sent",
            date(2026, 6, 2),
        ),
    ]
    deliverables = [
        DeliverableRow("Action log", "Supplied", "https://sharepoint.example/log.xlsx"),
        DeliverableRow("Updated Transition Plan", "Not applicable", reason="Transition finished"),
        DeliverableRow("Risk Register", "Missing"),
    ]
    inputs = PackInputs(
        FrameworkInputs(HEADING, Q1, INDICATORS, FULL_PAYMENT, COMMENTARY), actions, deliverables
    )
    workbook = opened(pack_workbook(inputs))
    assert workbook.sheetnames == [
        "Cover",
        "Framework",
        "KPIs",
        "Payment",
        "Commentary",
        "Actions",
        "Deliverables",
    ]
    cover = {r[0]: r[1] for r in workbook["Cover"].iter_rows(min_row=4, values_only=True)}
    assert cover["Meeting"] == "not scheduled yet"
    assert cover["Quarter"] == "Q1 2026/27"
    sheet = workbook["Actions"]
    assert row(sheet, 3)[:9] == [
        "Number",
        "Action",
        "Owner",
        "Due",
        "Status",
        "Overdue",
        "Held at",
        "Progress",
        "Closed",
    ]
    assert row(sheet, 4)[:7] == [
        7,
        "'=cmd|' /C calc'!A0",
        "Bob",
        sheet["D4"].value,
        "Open",
        "Yes",
        "monthly performance review",
    ]
    assert sheet["D4"].number_format == "dd/mm/yyyy"
    assert row(sheet, 5)[:2] == [3, "Send the risk register"]
    assert [c.value for c in sheet["K"][7:10]] == ["Status", "Open", "Done"]
    assert sheet._charts[0].series[0].val.numRef.f == "'Actions'!$L$9:$L$10"
    assert row(workbook["Deliverables"], 5) == [
        "Updated Transition Plan",
        "Not applicable",
        None,
        None,
        "Transition finished",
    ]
