"""Teams' Adaptive Card charts (Chart.Line) built with microsoft-teams-cards' typed models, and the table a
client that cannot draw them shows instead.

Teams renders `Chart.*` elements natively; every other client renders the chart's `fallback`, which here
is always a Table of the same numbers. Cards also carry a text alternative beside each chart, so the
numbers can be read aloud and colour is never the only signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from microsoft_teams.cards import ChartColor, LineChart, LineChartData, LineChartValue

from dialogs.cards import text


@dataclass(frozen=True)
class Series:
    """One line: its legend, its points as (x, y) and its colour. x is a date ('2026-04-01') or a label."""

    legend: str
    points: Sequence[tuple[str, float]]
    color: ChartColor = "categoricalBlue"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> dict[str, Any]:
    """An Adaptive Card Table: a header row, then one row per entry, every cell a wrapped TextBlock."""

    def row(cells: Sequence[str], *, bold: bool = False) -> dict[str, Any]:
        style = {"weight": "Bolder"} if bold else {}
        return {
            "type": "TableRow",
            "cells": [{"type": "TableCell", "items": [text(cell, **style)]} for cell in cells],
        }

    return {
        "type": "Table",
        "columns": [{"width": 1} for _ in headers],
        "firstRowAsHeader": True,
        "rows": [row(headers, bold=True), *(row(cells) for cells in rows)],
    }


def line_chart(
    title: str,
    series: Sequence[Series],
    *,
    x_title: str,
    y_title: str,
    fallback: dict[str, Any],
) -> dict[str, Any]:
    """A Chart.Line element; `fallback` (a Table of the same numbers) is what other clients show."""
    chart = LineChart(
        title=title,
        show_title=True,
        show_legend=True,
        x_axis_title=x_title,
        y_axis_title=y_title,
        data=[
            LineChartData(
                legend=line.legend,
                color=line.color,
                values=[LineChartValue(x=x, y=y) for x, y in line.points],
            )
            for line in series
        ],
    )
    return {**chart.model_dump(exclude_none=True), "fallback": fallback}
