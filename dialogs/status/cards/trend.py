"""The status card's trend: one indicator's last twelve months against its minimum, as a chart, a table and words."""

from __future__ import annotations

from typing import Any

from commissioning.analytics.chart_data import TrendPoint, months_met, trend_points
from commissioning.indicators import IndicatorKind, IndicatorSpec, format_value
from commissioning.periods import MONTH_NAMES, Month
from dialogs.cards import execute, plain, subtle, text
from dialogs.charts import Series, line_chart, table
from dialogs.common import choice
from dialogs.status.context import ContractStanding

MET_WORDS = {True: "✔ met", False: "✖ not met", None: "–"}


def short_month(key: str) -> str:
    """'2026-10' → 'Oct 2026'."""
    month = Month.parse(key)
    return f"{MONTH_NAMES[month.month - 1][:3]} {month.year}"


def _day(key: str) -> str:
    """The month's first day, so Teams draws the months as a time series."""
    return Month.parse(key).first_day.isoformat()


def _axis(spec: IndicatorSpec) -> str:
    if spec.kind is IndicatorKind.PERCENTAGE:
        return "%"
    if spec.kind is IndicatorKind.YES_NO:
        return "1 = yes, 0 = no"
    return spec.unit or "number"


def _shown(spec: IndicatorSpec, value: float | None, missing: str) -> str:
    return missing if value is None else format_value(spec, value)


def trend_table(spec: IndicatorSpec, points: tuple[TrendPoint, ...]) -> dict[str, Any]:
    """The chart's numbers as a table: month, value, minimum (or maximum), met."""
    limit = "Maximum" if spec.lower_is_better else "Minimum"
    rows = [
        [
            short_month(p.month),
            _shown(spec, p.value, "no return"),
            _shown(spec, p.minimum, "–"),
            MET_WORDS[p.met],
        ]
        for p in points
    ]
    return table(["Month", "Value", limit, "Met"], rows)


def trend_words(spec: IndicatorSpec, points: tuple[TrendPoint, ...]) -> str:
    """The chart in words, for screen readers and anyone who cannot see the colours."""
    met, rated = months_met(points)
    months = "; ".join(
        f"{short_month(p.month)} {_shown(spec, p.value, 'no return')}"
        + (f" ({MET_WORDS[p.met]})" if p.met is not None else "")
        for p in points
    )
    span = f"{short_month(points[0].month)} to {short_month(points[-1].month)}"
    summary = f" Met in {met} of {rated} months with a value." if rated else ""
    return f"{plain(spec.name)}, {span} ({spec.requirement_caption().lower()}): {months}.{summary}"


def trend_chart(spec: IndicatorSpec, points: tuple[TrendPoint, ...]) -> dict[str, Any]:
    """Chart.Line of the value against its minimum; its fallback is the same numbers as a table."""
    values = Series(spec.name, [(_day(p.month), p.value) for p in points if p.value is not None])
    lines = [values]
    if spec.requirement is not None:
        caption = spec.requirement_caption()
        minimum = [(_day(p.month), p.minimum) for p in points if p.minimum is not None]
        lines.append(Series(caption, minimum, color="neutral"))
    return line_chart(
        f"{spec.code} {spec.name}",
        lines,
        x_title="Month",
        y_title=_axis(spec),
        fallback=trend_table(spec, points),
    )


def trend_section(standing: ContractStanding, code: str) -> list[dict[str, Any]]:
    """The trend of `code`, and the choice of another indicator's."""
    by_code = {spec.code: spec for spec in standing.specs}
    spec = by_code[code]
    body: list[dict[str, Any]] = [
        text("Trend: the last twelve months", weight="Bolder", size="Medium", spacing="Large")
    ]
    points = trend_points(standing.trend, standing.contract.key, code)
    if not points:
        body.append(
            text(
                f"{spec.code} {plain(spec.name)}: no return in the twelve months to {standing.trend_last.label}."
            )
        )
    else:
        body.append(trend_chart(spec, points))
        body.append(subtle(trend_words(spec, points)))
    if len(by_code) > 1:
        choices = [(plain(f"{s.code} {s.name}", 80), s.code) for s in standing.specs]
        body.append(choice("indicator", "Show the trend of", choices, code))
        button = execute("Show trend", "status.show", {"contract_id": standing.contract.id})
        body.append({"type": "ActionSet", "actions": [button]})
    return body
