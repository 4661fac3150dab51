"""Charts as SVG drawn on the server by pygal (no network), one palette per Teams theme, shown by <img>."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pygal
from pygal.style import Style

from tab.figures import Trend

THEMES = ("default", "dark", "contrast")


@dataclass(frozen=True, slots=True)
class Palette:
    background: str
    text: str
    guide: str
    value: str
    minimum: str


PALETTES = {
    "default": Palette("#ffffff", "#242424", "#d1d1d1", "#0f6e6e", "#a4262c"),
    "dark": Palette("#1f1f1f", "#ffffff", "#5c5c5c", "#6ad8d8", "#ff99a4"),
    "contrast": Palette("#000000", "#ffffff", "#ffffff", "#ffff00", "#3ff23f"),
}


def _style(palette: Palette) -> Style:
    return Style(
        background=palette.background,
        plot_background=palette.background,
        foreground=palette.text,
        foreground_strong=palette.text,
        foreground_subtle=palette.guide,
        colors=(palette.value, palette.minimum),
        font_family="Segoe UI, system-ui, sans-serif",
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=13,
        value_font_size=12,
        opacity="1",
        opacity_hover="1",
        stroke_width=3,
    )


@functools.lru_cache(maxsize=256)
def trend_svg(trend: Trend, theme: str) -> bytes:
    """The indicator's twelve months as a line, its minimum as a dashed line; gaps where nothing came in."""
    palette = PALETTES.get(theme, PALETTES["default"])
    chart = pygal.Line(
        style=_style(palette),
        width=560,
        height=240,
        js=[],  # pygal's default loads a script from the internet for tooltips: none here
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=3,
        allow_interruptions=True,
        dots_size=4,
        margin=8,
        truncate_legend=-1,
        truncate_label=-1,
        no_data_text="No returns yet",
    )
    chart.x_labels = [point.month.label[:3] + " " + str(point.month.year)[2:] for point in trend.points]
    chart.add("Value", [point.value for point in trend.points])
    if trend.minimum is not None:
        label = "Maximum" if trend.at_most else "Minimum"
        chart.add(
            label, [trend.minimum] * len(trend.points), show_dots=False, stroke_style={"dasharray": "8, 5"}
        )
    return bytes(chart.render())
