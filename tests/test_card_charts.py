"""The card schema check knows Teams' chart elements: a well-formed chart passes, a broken one is named."""

from __future__ import annotations

from typing import Any

from dialogs.cards import card
from dialogs.charts import Series, line_chart, table
from tests.cardschema import card_problems


def chart(**changes: Any) -> dict[str, Any]:
    drawn = line_chart(
        "PI2 Contacted",
        [
            Series("Contacted", [("2026-09-01", 91.0), ("2026-10-01", 87.0)]),
            Series("Minimum", [("2026-09-01", 90.0)]),
        ],
        x_title="Month",
        y_title="%",
        fallback=table(["Month", "Value"], [["Sep 2026", "91%"], ["Oct 2026", "87%"]]),
    )
    return {**drawn, **changes}


def test_a_line_chart_with_its_fallback_table_is_a_valid_element() -> None:
    assert card_problems(card([chart()])) == []


def test_the_chart_json_is_teams_line_chart_with_each_series_and_its_points() -> None:
    drawn = chart()
    assert {k: drawn[k] for k in ("type", "title", "xAxisTitle", "yAxisTitle")} == {
        "type": "Chart.Line",
        "title": "PI2 Contacted",
        "xAxisTitle": "Month",
        "yAxisTitle": "%",
    }
    assert drawn["data"][0] == {
        "legend": "Contacted",
        "color": "categoricalBlue",
        "values": [{"x": "2026-09-01", "y": 91.0}, {"x": "2026-10-01", "y": 87.0}],
    }
    assert drawn["fallback"]["type"] == "Table"


def test_a_chart_without_a_fallback_is_refused() -> None:
    without = {k: v for k, v in chart().items() if k != "fallback"}
    assert card_problems(card([without])) == ["body/0: 'fallback' is a required property"]


def test_a_point_that_is_not_a_number_is_refused_where_it_is() -> None:
    broken = chart(data=[{"legend": "Contacted", "values": [{"x": "2026-10-01", "y": "87%"}]}])
    assert card_problems(card([broken])) == ["body/0/data/0/values/0/y: '87%' is not of type 'number'"]


def test_a_colour_teams_does_not_have_is_refused() -> None:
    broken = chart(data=[{"legend": "Contacted", "color": "pink", "values": [{"x": "2026-10-01", "y": 1}]}])
    assert len(card_problems(card([broken]))) == 1


def test_an_error_inside_the_fallback_table_is_found_too() -> None:
    broken = chart(
        fallback={"type": "Table", "rows": [{"type": "TableRow", "cells": [{"type": "Nonsense"}]}]}
    )
    assert card_problems(card([broken]))


def test_a_chart_type_steward_does_not_emit_is_not_taken_on_trust() -> None:
    assert card_problems(card([{"type": "Chart.Pie", "data": []}]))
