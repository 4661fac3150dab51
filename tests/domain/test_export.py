"""Spreadsheet exports: formula neutralisation, CSV bytes, xlsx round trip and the evaluation sheets."""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook

from commissioning.export import evaluation_frames, safe_cell, to_csv_bytes, to_xlsx_bytes
from commissioning.gonogo import AssessorScore, EvaluationResult, Rating, evaluate, load_factor_sets

SMALL_YAML = """
factor_sets:
  small:
    name: Small test set
    groups:
      - key: resources
        name: Time and resource factors
        factors:
          - key: money
            text: Value for money
            weight: 2
          - key: quality
            text: Quality of service
      - key: wider
        name: Wider factors
        factors:
          - key: fit
            text: Strategic fit
"""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-5+1", "'-5+1"),
        ("-5", "'-5"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("＝1+1", "'＝1+1"),
        ('=HYPERLINK("http://example.test","click")', '\'=HYPERLINK("http://example.test","click")'),
        ("Value for money", "Value for money"),
        ("a=b", "a=b"),
        (" =1+1", " =1+1"),
        ("", ""),
    ],
)
def test_safe_cell_neutralises_text_that_starts_like_a_formula(value: str, expected: str) -> None:
    assert safe_cell(value) == expected


@pytest.mark.parametrize("value", [5, -5, -5.5, 0, Decimal("-1.25"), True, None])
def test_safe_cell_leaves_numbers_and_other_values_alone(value: object) -> None:
    result = safe_cell(value)
    assert result is value


def risky_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "=Name": ["=cmd|' /C calc'!A0", "-5+1", "Plain, with comma"],
            "Value": [-5, 3.5, 10],
        }
    )


def test_to_csv_bytes_neutralises_cells_and_headers_and_keeps_numbers() -> None:
    data = to_csv_bytes(risky_frame())
    lines = [
        "'=Name,Value",
        "'=cmd|' /C calc'!A0,-5.0",
        "'-5+1,3.5",
        '"Plain, with comma",10.0',
    ]
    assert data == b"\xef\xbb\xbf" + "".join(line + "\r\n" for line in lines).encode()
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["'=Name", "Value"]
    assert back["Value"].tolist() == [-5.0, 3.5, 10.0]


def test_to_csv_bytes_keeps_integers_whole() -> None:
    assert to_csv_bytes(pd.DataFrame({"Points": [3, -5]})) == b"\xef\xbb\xbfPoints\r\n3\r\n-5\r\n"


def test_to_csv_does_not_change_the_frame_given() -> None:
    frame = risky_frame()
    to_csv_bytes(frame)
    assert frame.columns[0] == "=Name"
    assert frame.iloc[0, 0] == "=cmd|' /C calc'!A0"


def test_xlsx_round_trip() -> None:
    other = pd.DataFrame({"Note": ["@risk", "fine"]})
    data = to_xlsx_bytes({"Risky": risky_frame(), "Other": other})
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Risky", "Other"]
    rows = [[(cell.value, cell.data_type) for cell in row] for row in workbook["Risky"].iter_rows()]
    assert rows == [
        [("'=Name", "s"), ("Value", "s")],
        [("'=cmd|' /C calc'!A0", "s"), (-5, "n")],
        [("'-5+1", "s"), (3.5, "n")],
        [("Plain, with comma", "s"), (10, "n")],
    ]
    assert [c.value for c in workbook["Other"]["A"]] == ["Note", "'@risk", "fine"]
    formulas = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_xlsx_drops_characters_a_workbook_cannot_hold() -> None:
    data = to_xlsx_bytes({"Notes": pd.DataFrame({"Note": ["pasted\x01 text\x0b"]})})
    assert load_workbook(io.BytesIO(data))["Notes"]["A2"].value == "pasted text"


@pytest.mark.parametrize("name", ["", "Scores/2024", "Q1:Q2", "x" * 32, "'quoted'", "[draft]"])
def test_xlsx_refuses_sheet_names_excel_would_refuse(name: str) -> None:
    with pytest.raises(ValueError, match="sheet name"):
        to_xlsx_bytes({name: pd.DataFrame({"A": [1]})})


def test_xlsx_needs_a_sheet() -> None:
    with pytest.raises(ValueError, match="at least one sheet"):
        to_xlsx_bytes({})


def small_evaluation() -> EvaluationResult:
    factor_set = load_factor_sets(SMALL_YAML)["small"]
    scores = [
        AssessorScore("u1", "money", Rating.POSITIVE, "clear savings"),
        AssessorScore("u2", "money", Rating.NEGATIVE, '=HYPERLINK("http://evil.test","costs")'),
        AssessorScore("u1", "quality", Rating.NEUTRAL),
        AssessorScore("u2", "quality", Rating.POSITIVE, "new model works elsewhere"),
        AssessorScore("u1", "fit", Rating.NEUTRAL),
    ]
    return evaluate(factor_set, scores, assessors=["u1", "u2"])


def test_evaluation_frames() -> None:
    frames = evaluation_frames(small_evaluation(), {"u1": "Ann Patel", "u2": "Bob Jones"})
    assert list(frames) == ["Summary", "Factors", "Scores"]
    summary = dict(zip(frames["Summary"]["Item"], frames["Summary"]["Value"], strict=True))
    # money (10 + 3) / 2 x 2 = 13 of 20, quality 8 of 10, fit 6 of 10: 27 of 40 = 67.5% -> review
    assert summary["Recommendation"] == "Review"
    assert summary["Total"] == 27
    assert summary["Maximum"] == 40
    assert summary["Share of maximum"] == "67.5%"
    assert summary["Go at or above"] == "70%"
    assert summary["No-go below"] == "50%"
    assert summary["Time and resource factors"] == "21 of 30 (70%)"
    assert summary["Wider factors"] == "6 of 10 (60%)"
    assert summary["Assessors"] == "Ann Patel, Bob Jones"
    assert summary["Factors nobody has scored"] == "none"
    assert summary["Factors with wide disagreement"] == "Value for money"
    assert summary["Driver 1"] == "Quality of service (towards go, +2 points)"
    assert summary["Driver 2"] == "Value for money (towards go, +1 points)"

    factors = frames["Factors"]
    assert factors["Key"].tolist() == ["money", "quality", "fit"]
    assert factors["Mean score"].tolist() == [6.5, 8, 6]
    assert factors["Weighted score"].tolist() == [13, 8, 6]
    assert factors["Wide disagreement"].tolist() == ["Yes", "No", "No"]

    scores = frames["Scores"]
    assert scores[["Factor", "Assessor", "Score", "Points"]].values.tolist() == [
        ["Value for money", "Ann Patel", "Positive", 10],
        ["Value for money", "Bob Jones", "Negative", 3],
        ["Quality of service", "Ann Patel", "Neutral", 6],
        ["Quality of service", "Bob Jones", "Positive", 10],
        ["Strategic fit", "Ann Patel", "Neutral", 6],
        ["Strategic fit", "Bob Jones", "Not scored", None],
    ]


def test_incomplete_evaluation_says_so() -> None:
    factor_set = load_factor_sets(SMALL_YAML)["small"]
    result = evaluate(factor_set, [AssessorScore("u1", "quality", Rating.POSITIVE)])
    summary = dict(zip(*evaluation_frames(result)["Summary"].T.values, strict=True))
    assert summary["Recommendation"] == "Incomplete"
    assert summary["Recommendation on the scored factors"] == "Go"
    assert summary["Factors nobody has scored"] == "Value for money; Strategic fit"
    assert summary["Assessors"] == "u1"


def test_evaluation_workbook_round_trip_keeps_rationale_and_neutralises_it() -> None:
    data = to_xlsx_bytes(evaluation_frames(small_evaluation(), {"u1": "Ann Patel", "u2": "@Bob"}))
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Summary", "Factors", "Scores"]
    rows = list(workbook["Scores"].iter_rows(values_only=True))
    assert rows[0] == ("Group", "Factor", "Assessor", "Score", "Points", "Rationale")
    assert rows[2] == (
        "Time and resource factors",
        "Value for money",
        "'@Bob",
        "Negative",
        3,
        '\'=HYPERLINK("http://evil.test","costs")',
    )
    assert rows[6] == ("Wider factors", "Strategic fit", "'@Bob", "Not scored", None, None)
    assert workbook["Summary"]["B4"].value == 27
