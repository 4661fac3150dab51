"""Spreadsheet exports built in memory, with every text cell made safe from formula injection."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from commissioning.gonogo import EvaluationResult, as_decimal, format_share

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""Text starting with any of these may be run as a formula by Excel, LibreOffice or Google Sheets.

The first six are OWASP's CSV injection list; the full-width forms are there because some
spreadsheet programs read them as their ASCII twins.
"""
_BAD_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def safe_cell(value: Any) -> Any:
    """A cell value that a spreadsheet shows as text rather than runs.

    Text starting with a formula character gets a leading apostrophe (OWASP CSV injection guidance),
    so "=HYPERLINK(…)" and "-5+1" are shown, not evaluated. Anything that is not text, including
    the number -5, is returned unchanged so it stays a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the frame with safe_cell applied to every cell and every column header."""
    cleaned = frame.map(safe_cell) if not frame.empty else frame.copy()
    return cleaned.rename(columns=safe_cell)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV: UTF-8 with a byte-order mark so Excel reads '£' and names correctly, CRLF lines.

    The index is left out: the frames exported here carry their meaning in columns, and an index
    label would be one more unchecked cell.
    """
    text = safe_frame(frame).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per frame, in the given order, written in memory with openpyxl.

    Characters an xlsx file cannot hold (control characters other than tab, newline and carriage
    return) are removed rather than failing the whole export on one pasted rationale.
    Raises ValueError for a sheet name Excel would refuse.
    """
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    for name in sheets:
        _check_sheet_name(name)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            cleaned = safe_frame(frame)
            cleaned = cleaned.map(_xlsx_text) if not cleaned.empty else cleaned
            cleaned = cleaned.rename(columns=_xlsx_text)
            cleaned.to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def _xlsx_text(value: Any) -> Any:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def safe_xlsx_value(value: Any) -> Any:
    """A value for an openpyxl cell: safe_cell's rule, then the characters an xlsx file cannot hold removed.

    The one rule for every workbook Steward writes cell by cell (the reports, the portfolio template).
    """
    return _xlsx_text(safe_cell(value))


def _check_sheet_name(name: str) -> None:
    if not name or len(name) > 31:
        raise ValueError(f"sheet name {name!r} must be 1 to 31 characters")
    if _BAD_SHEET_NAME.search(name) or name.startswith("'") or name.endswith("'"):
        raise ValueError(f"sheet name {name!r} may not contain [ ] : * ? / \\ or start or end with '")


# --- go/no-go evaluation -------------------------------------------------------------------------


def evaluation_frames(
    result: EvaluationResult,
    assessor_names: Mapping[str, str] | None = None,
    details: Sequence[tuple[str, Any]] = (),
) -> dict[str, pd.DataFrame]:
    """The evaluation as three sheets for to_xlsx_bytes: Summary, Factors and Scores with rationale.

    Scores has a row for every assessor on every factor; a gap shows as "Not scored" with no points,
    so a missing score is visible rather than read as zero.

    `assessor_names` maps the assessor ids in the scores to the names people know them by; an id
    without a name is shown as it is. Numbers are rounded half up for reading (scores to two
    places, shares as a percentage to one place); the exact values stay in the result.
    `details` are (item, value) rows put at the top of Summary, e.g. the evaluation's name and status.
    """
    names = dict(assessor_names or {})
    return {
        "Summary": _summary_frame(result, names, details),
        "Factors": _factors_frame(result),
        "Scores": _scores_frame(result, names),
    }


def _summary_frame(
    result: EvaluationResult, names: dict[str, str], details: Sequence[tuple[str, Any]] = ()
) -> pd.DataFrame:
    factor_set = result.factor_set
    rows: list[tuple[str, Any]] = [
        *details,
        ("Factor set", factor_set.name),
        ("Recommendation", result.recommendation.label),
    ]
    if not result.complete and result.provisional is not None:
        rows.append(("Recommendation on the scored factors", result.provisional.label))
    rows += [
        ("Total", _number(result.total)),
        ("Maximum", _number(result.maximum)),
        ("Share of maximum", format_share(result.share)),
        ("Go at or above", format_share(result.thresholds.go_at_least)),
        ("No-go below", format_share(result.thresholds.no_go_below)),
    ]
    for group in result.groups:
        rows.append(
            (
                group.group.name,
                f"{_number(group.total)} of {_number(group.maximum)} ({format_share(group.share)})",
            )
        )
    rows += [
        ("Assessors", ", ".join(names.get(a, a) for a in result.assessors) or "none"),
        ("Factors nobody has scored", _factor_texts(result, result.unscored) or "none"),
        ("Factors with wide disagreement", _factor_texts(result, result.disagreements) or "none"),
    ]
    for position, driver in enumerate(result.drivers, start=1):
        rows.append(
            (
                f"Driver {position}",
                f"{driver.factor.text} ({driver.direction.value}, {_signed(driver.deviation)} points)",
            )
        )
    return pd.DataFrame(rows, columns=["Item", "Value"], dtype=object)


def _factors_frame(result: EvaluationResult) -> pd.DataFrame:
    group_names = {group.key: group.name for group in result.factor_set.groups}
    rows = [
        {
            "Group": group_names[r.factor.group],
            "Factor": r.factor.text,
            "Key": r.factor.key,
            "Weight": _number(r.factor.weight),
            "Assessors who scored": len(r.scores),
            "Mean score": _number(r.mean),
            "Weighted score": _number(r.weighted_score),
            "Maximum": _number(r.maximum) if r.scored else None,
            "Spread": r.spread,
            "Wide disagreement": "Yes" if r.wide_disagreement else "No",
            "Scored": "Yes" if r.scored else "No, left out of the total",
        }
        for r in result.factors
    ]
    return pd.DataFrame(rows, dtype=object)


def _scores_frame(result: EvaluationResult, names: dict[str, str]) -> pd.DataFrame:
    group_names = {group.key: group.name for group in result.factor_set.groups}
    rows: list[dict[str, Any]] = []
    for r in result.factors:
        by_assessor = {score.assessor: score for score in r.scores}
        for assessor in result.assessors:
            score = by_assessor.get(assessor)
            rows.append(
                {
                    "Group": group_names[r.factor.group],
                    "Factor": r.factor.text,
                    "Assessor": names.get(assessor, assessor),
                    "Score": score.rating.label if score else "Not scored",
                    "Points": score.points if score else None,
                    "Rationale": score.rationale if score else "",
                }
            )
    columns = ["Group", "Factor", "Assessor", "Score", "Points", "Rationale"]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def _factor_texts(result: EvaluationResult, keys: tuple[str, ...]) -> str:
    return "; ".join(result.factor_set.factor(key).text for key in keys)


def _number(value: Fraction | None) -> int | float | None:
    """A whole number stays an int; anything else is rounded half up to two places."""
    if value is None:
        return None
    if value.denominator == 1:
        return int(value)
    return float(as_decimal(value, 2))


def _signed(value: Fraction) -> str:
    number = _number(value)
    return f"+{number}" if value > 0 else f"{number}"
