"""Adaptive Cards as terminal text: text, facts, rows and tables; inputs as fields and buttons as a menu.

Pure functions, no I/O. A rendered card is a list of styled lines plus the fields and buttons found in it,
numbered in the order they appear, so the chat can prompt for the fields and offer the buttons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.console.fields import Button, Field, read_field
from bot.console.text import (
    Line,
    Segment,
    line,
    plain_text,
    styled,
    trim,
    unmarkdown,
    width_of,
    wrap_segments,
)


@dataclass
class CardView:
    lines: list[Line]
    fields: list[Field]
    buttons: list[Button]

    def text(self) -> str:
        return "\n".join(plain_text(row) for row in self.lines)


# -- the renderer ----------------------------------------------------------------------------------------------

_COLOURS = {"attention": "attention", "good": "good", "warning": "warning", "accent": "accent"}
_GAP = 2
_BLANK_BEFORE = {"medium", "large", "extralarge", "padding"}


def render_card(
    card: Mapping[str, Any],
    *,
    width: int = 100,
    values: Mapping[str, str] | None = None,
    visibility: Mapping[str, bool] | None = None,
) -> CardView:
    """Lay the card out in `width` columns. `values` are entries typed since it arrived (by input id);
    `visibility` overrides isVisible for elements a ToggleVisibility button changed."""
    renderer = _Renderer(dict(values or {}), dict(visibility or {}))
    lines = renderer.items(_list(card.get("body")), width)
    actions = renderer.action_line(_list(card.get("actions")), width)
    if actions:
        lines.extend([(), *actions])
    return CardView(lines, renderer.fields, renderer.buttons)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class _Renderer:
    def __init__(
        self,
        values: dict[str, str],
        visibility: dict[str, bool],
        *,
        collect: bool = True,
        first_number: int = 1,
    ) -> None:
        self.values = values
        self.visibility = visibility
        self.collect = collect
        self.next_number = first_number
        self.fields: list[Field] = []
        self.buttons: list[Button] = []

    def measurer(self) -> _Renderer:
        """A renderer for measuring natural widths: same values, registers nothing."""
        return _Renderer(self.values, self.visibility, collect=False, first_number=self.next_number)

    def visible(self, element: Any) -> bool:
        if not isinstance(element, dict):
            return False
        element_id = element.get("id")
        if isinstance(element_id, str) and element_id in self.visibility:
            return self.visibility[element_id]
        return element.get("isVisible", True) is not False

    # -- lists of elements, with spacing, error/hint attachment and aligned rows ---------------------------

    def items(self, elements: list[Any], width: int | None) -> list[Line]:
        out: list[Line] = []
        visible = [element for element in elements if self.visible(element)]
        open_field: Field | None = None
        index = 0
        while index < len(visible):
            element = visible[index]
            kind = element.get("type")
            if kind == "ColumnSet":
                run = [element]
                count = len(self._columns(element))
                while (
                    index + len(run) < len(visible)
                    and visible[index + len(run)].get("type") == "ColumnSet"
                    and len(self._columns(visible[index + len(run)])) == count
                ):
                    run.append(visible[index + len(run)])
                rendered = self.column_sets(run, width)
                index += len(run)
                open_field = None
            elif kind == "TextBlock" and open_field is not None:
                # text right after an input is about that input: its hint, or the bot's error beside it
                words = unmarkdown(str(element.get("text", "")))
                if str(element.get("color", "")).lower() == "attention":
                    open_field.errors.append(words)
                elif element.get("isSubtle"):
                    open_field.hints.append(words)
                rendered = [(Segment("  "), *row) for row in self.element(element, _narrower(width, 2))]
                index += 1
            else:
                rendered = self.element(element, width)
                index += 1
                if str(kind).startswith("Input.") and self.fields and self.collect:
                    open_field = self.fields[-1]
                else:
                    open_field = None
            if not rendered:
                continue
            if out and _blank_before(element):
                out.append(())
            out.extend(rendered)
        return out

    def element(self, element: dict[str, Any], width: int | None) -> list[Line]:
        kind = element.get("type")
        if kind == "TextBlock":
            return self.text_block(element, width)
        if kind == "RichTextBlock":
            runs = [
                run if isinstance(run, str) else str(run.get("text", ""))
                for run in _list(element.get("inlines"))
                if isinstance(run, str | dict)
            ]
            return wrap_segments([Segment(unmarkdown("".join(runs)))], width)
        if kind == "FactSet":
            return self.fact_set(element, width)
        if kind in ("Container", "Column"):
            inner = self.items(
                _list(element.get("items")), _narrower(width, 2) if _styled(element) else width
            )
            if _styled(element):
                return [(Segment("  "), *row) if row else row for row in inner]
            return inner
        if kind == "Table":
            return self.table(element, width)
        if kind == "Image":
            return [line(styled(_image(element), "subtle"))]
        if kind == "ImageSet":
            return [line(styled(" ".join(_image(i) for i in _list(element.get("images"))), "subtle"))]
        if kind == "Media":
            return [line(styled(f"[media: {element.get('altText') or 'video'}]", "subtle"))]
        if kind == "ActionSet":
            return self.action_line(_list(element.get("actions")), width)
        if isinstance(kind, str) and kind.startswith("Input."):
            return self.input(element, width)
        fallback = element.get("fallback")
        if isinstance(fallback, dict):
            return self.element(fallback, width)
        if fallback == "drop":
            return []
        return [line(styled(f"[{kind or 'element'} not shown in the console]", "subtle"))]

    def text_block(self, element: dict[str, Any], width: int | None) -> list[Line]:
        words = unmarkdown(str(element.get("text", "")))
        size = str(element.get("size", "")).lower()
        heading = element.get("style") == "heading" or size in ("large", "extralarge")
        styles = set()
        if heading or str(element.get("weight", "")).lower() == "bolder":
            styles.add("bold")
        colour = _COLOURS.get(str(element.get("color", "")).lower())
        if colour:
            styles.add(colour)
        if element.get("isSubtle"):
            styles.add("subtle")
        prefix = "! " if colour == "attention" else ""
        rows: list[Line] = []
        for paragraph in words.split("\n"):
            wrapped = wrap_segments(
                [Segment(prefix + paragraph, frozenset(styles))], _narrower(width, 0), indent=len(prefix)
            )
            rows.extend(wrapped)
            prefix = " " * len(prefix)
        if heading and rows:
            rows.append(line(styled("=" * max(width_of(r) for r in rows), *styles)))
        alignment = str(element.get("horizontalAlignment", "")).lower()
        if width is not None and alignment in ("right", "center"):
            rows = [_align(row, width, alignment) for row in rows]
        return rows

    def fact_set(self, element: dict[str, Any], width: int | None) -> list[Line]:
        facts = [
            (unmarkdown(str(f.get("title", ""))) + ":", unmarkdown(str(f.get("value", ""))))
            for f in _list(element.get("facts"))
            if isinstance(f, dict)
        ]
        if not facts:
            return []
        column = max(len(title) for title, _ in facts)
        if width is not None:
            column = min(column, max(width // 2, 8))
        rows: list[Line] = []
        for title, value in facts:
            if len(title) > column:  # a title too long for the column gets a line of its own
                rows.extend(wrap_segments([styled(title, "bold")], width))
                rows.extend(wrap_segments([Segment("    " + value)], width, indent=4))
                continue
            head = styled(title.ljust(column) + " ", "bold")
            rows.extend(wrap_segments([head, Segment(value)], width, indent=column + 1))
        return rows

    # -- rows and tables -----------------------------------------------------------------------------------

    @staticmethod
    def _columns(column_set: dict[str, Any]) -> list[dict[str, Any]]:
        return [c for c in _list(column_set.get("columns")) if isinstance(c, dict)]

    def column_sets(self, run: list[dict[str, Any]], width: int | None) -> list[Line]:
        """Consecutive ColumnSets with the same number of columns, aligned as the rows of one table."""
        specs = [str(column.get("width", "stretch")) for column in self._columns(run[0])]
        rows = [
            [
                _list(column.get("items")) if self.visible(column) else []
                for column in self._columns(column_set)
            ]
            for column_set in run
        ]
        spaced = [_blank_before(column_set) for column_set in run]
        return self.grid(rows, specs, width, spaced=spaced)

    def table(self, element: dict[str, Any], width: int | None) -> list[Line]:
        columns = [c for c in _list(element.get("columns")) if isinstance(c, dict)]
        rows = [
            [_list(cell.get("items")) for cell in _list(row.get("cells")) if isinstance(cell, dict)]
            for row in _list(element.get("rows"))
            if isinstance(row, dict)
        ]
        if not rows:
            return []
        count = max(len(columns), *(len(row) for row in rows))
        rows = [row + [[]] * (count - len(row)) for row in rows]
        specs = [str(c.get("width", "stretch")) for c in columns] + ["stretch"] * (count - len(columns))
        header = element.get("firstRowAsHeader", True) is not False
        return self.grid(rows, specs, width, header=header)

    def grid(
        self,
        rows: list[list[list[Any]]],
        specs: list[str],
        width: int | None,
        *,
        header: bool = False,
        spaced: list[bool] | None = None,
    ) -> list[Line]:
        count = len(specs)
        measure = self.measurer()
        natural = [0] * count
        for row in rows:
            for j, items in enumerate(row[:count]):
                natural[j] = max(natural[j], *(width_of(r) for r in measure.items(items, None)), 0)
        widths = _column_widths(natural, specs, width)
        out: list[Line] = []
        for number, row in enumerate(rows):
            cells = [self.items(items, widths[j]) for j, items in enumerate(row[:count])]
            height = max((len(cell) for cell in cells), default=0)
            if spaced and spaced[number] and out:
                out.append(())
            for k in range(height):
                parts: list[Segment] = []
                for j, cell in enumerate(cells):
                    row_line = cell[k] if k < len(cell) else ()
                    parts.extend(row_line)
                    if j < count - 1:
                        parts.append(Segment(" " * (widths[j] - width_of(row_line) + _GAP)))
                out.append(trim(tuple(parts)))
            if header and number == 0:
                out.append(
                    line(styled("-" * min(sum(widths) + _GAP * (count - 1), width or 10**6), "subtle"))
                )
        return out

    # -- inputs and buttons --------------------------------------------------------------------------------

    def input(self, element: dict[str, Any], width: int | None) -> list[Line]:
        found = read_field(element, self.values)
        if found is None:
            return []
        if self.collect:
            self.fields.append(found)
        shown = found.shown() or (f"(empty: {found.placeholder})" if found.placeholder else "(empty)")
        parts = [
            Segment("▸ "),
            styled(found.label, "bold"),
            Segment(": "),
            styled(shown, "accent") if found.shown() else styled(shown, "subtle"),
            styled(f"   ({found.limits()})", "subtle"),
        ]
        rows = wrap_segments(parts, width, indent=4)
        if found.kind == "choice" and found.choices:
            choices = "   ".join(f"{n}. {title}" for n, (title, _) in enumerate(found.choices, 1))
            rows.extend(wrap_segments([Segment("    "), styled(choices, "subtle")], width, indent=4))
        return rows

    def action_line(self, actions: list[Any], width: int | None) -> list[Line]:
        """The buttons side by side, a whole button to the next line when it does not fit."""
        rows: list[list[Segment]] = []
        for action in actions:
            button = self.button(action)
            if button is None:
                continue
            styles = {"bold"}
            if button.style == "positive":
                styles.add("good")
            elif button.style == "destructive":
                styles.add("attention")
            label = button.title + {"Action.ShowCard": " ▾", "Action.OpenUrl": " ↗"}.get(button.kind, "")
            part = styled(f"[{button.number}] {label}", *styles)
            if rows and (width is None or width_of(tuple(rows[-1])) + 3 + len(part.text) <= width):
                rows[-1].extend([Segment("   "), part])
            else:
                rows.append([part])
        return [row for parts in rows for row in wrap_segments(parts, width, indent=4)]

    def button(self, action: Any) -> Button | None:
        if not isinstance(action, dict) or not self.visible(action):
            return None
        kind = str(action.get("type", ""))
        data = action.get("data")
        targets = tuple(
            t if isinstance(t, str) else str(t.get("elementId", ""))
            for t in _list(action.get("targetElements"))
            if isinstance(t, str | dict)
        )
        button = Button(
            number=self.next_number,
            title=unmarkdown(str(action.get("title") or action.get("verb") or kind)),
            kind=kind,
            verb=action.get("verb") if isinstance(action.get("verb"), str) else None,
            data=data if isinstance(data, dict) else {},
            sends_inputs=str(action.get("associatedInputs", "auto")).lower() != "none",
            url=action.get("url") if isinstance(action.get("url"), str) else None,
            card=action.get("card") if isinstance(action.get("card"), dict) else None,
            targets=targets,
            style=action.get("style") if isinstance(action.get("style"), str) else None,
        )
        self.next_number += 1
        if self.collect:
            self.buttons.append(button)
        return button


def _image(element: Any) -> str:
    alt = element.get("altText") if isinstance(element, dict) else None
    return f"[image: {alt}]" if alt else "[image]"


def _styled(element: dict[str, Any]) -> bool:
    return str(element.get("style", "default")).lower() not in ("default", "")


def _blank_before(element: dict[str, Any]) -> bool:
    return bool(element.get("separator")) or str(element.get("spacing", "")).lower() in _BLANK_BEFORE


def _narrower(width: int | None, by: int) -> int | None:
    return None if width is None else max(width - by, 10)


def _align(row: Line, width: int, alignment: str) -> Line:
    room = width - width_of(row)
    if room <= 0:
        return row
    pad = room if alignment == "right" else room // 2
    return (Segment(" " * pad), *row)


def _column_widths(natural: list[int], specs: list[str], width: int | None) -> list[int]:
    """Columns at their natural widths, stretch columns widened to fill the line; when they do not fit,
    'auto' columns keep theirs and the stretch (and weighted) columns share what is left."""
    count = len(natural)
    if width is None:
        return natural
    room = width - _GAP * (count - 1)
    if sum(natural) <= room:
        # as in Teams, 'stretch' columns take the room left, so the others line up on the right
        stretching = [j for j, spec in enumerate(specs) if spec.lower() == "stretch"]
        widths = list(natural)
        for position, j in enumerate(stretching):
            share = (room - sum(natural)) // len(stretching)
            extra = (
                room - sum(natural) - share * (len(stretching) - 1)
                if position == len(stretching) - 1
                else share
            )
            widths[j] += extra
        return widths
    stretch = [
        j for j, spec in enumerate(specs) if spec.lower() != "auto" and not spec.lower().endswith("px")
    ]
    fixed = sum(natural[j] for j in range(count) if j not in stretch)
    left = room - fixed
    if not stretch or left < 8 * len(stretch):
        even = max(room // count, 4)
        return [min(n, even) if n else 0 for n in natural]
    widths = list(natural)
    share = left // len(stretch)
    for position, j in enumerate(stretch):
        widths[j] = left - share * (len(stretch) - 1) if position == len(stretch) - 1 else share
    return widths
