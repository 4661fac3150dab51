"""Adaptive Cards as terminal text: text, facts, rows and tables; inputs as fields and buttons as a menu.

Pure functions, no I/O. A rendered card is a list of styled lines plus the fields and buttons found in it,
numbered in the order they appear, so the chat can prompt for the fields and offer the buttons.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# -- styled text ---------------------------------------------------------------------------------------------

Style = frozenset[str]
PLAIN: Style = frozenset()
STYLES = ("bold", "subtle", "attention", "good", "warning", "accent")


@dataclass(frozen=True)
class Segment:
    text: str
    style: Style = PLAIN


Line = tuple[Segment, ...]


def line(*parts: str | Segment) -> Line:
    return tuple(part if isinstance(part, Segment) else Segment(part) for part in parts if part)


def styled(text: str, *styles: str) -> Segment:
    return Segment(text, frozenset(styles))


def plain_text(row: Line) -> str:
    return "".join(segment.text for segment in row)


def _width_of(row: Line) -> int:
    return len(plain_text(row))


def wrap_segments(segments: Iterable[Segment], width: int | None, indent: int = 0) -> list[Line]:
    """Greedy word wrap that keeps each word's style; later lines are indented by `indent` spaces."""
    words = [
        Segment(token, segment.style)
        for segment in segments
        for token in re.findall(r"\s+|\S+", segment.text.replace("\n", " "))
    ]
    if width is None:
        return [_trim(tuple(words))]
    rows: list[Line] = []
    current: list[Segment] = []
    used = 0

    def has_words() -> bool:
        return any(not segment.text.isspace() for segment in current)

    def break_line() -> None:
        nonlocal current, used
        rows.append(_trim(tuple(current)))
        current, used = ([Segment(" " * indent)] if indent else []), indent

    for word in words:
        if word.text.isspace():
            if has_words() or not rows:  # spaces between words, or the first line's own indentation
                current.append(word)
                used += len(word.text)
            continue
        text = word.text
        if used + len(text) > width and has_words():
            break_line()
        while used + len(text) > width and width - used > 0:  # longer than a whole line: cut it
            current.append(Segment(text[: width - used], word.style))
            text = text[width - used :]
            break_line()
        if text:
            current.append(Segment(text, word.style))
            used += len(text)
    if has_words() or not rows:
        rows.append(_trim(tuple(current)))
    return rows


def _trim(row: Line) -> Line:
    parts = list(row)
    while parts and parts[-1].text.isspace():
        parts.pop()
    if parts:
        last = parts[-1]
        parts[-1] = Segment(last.text.rstrip(), last.style)
    return tuple(parts)


# -- Markdown in card text -----------------------------------------------------------------------------------

_MARKDOWN = re.compile(
    r"\\(?P<escaped>[\\`*_~\[\]<>|\-+#.)(!{}])"
    r"|\*\*(?P<bold>(?:\\.|[^*])+?)\*\*"
    r"|\[(?P<title>(?:\\.|[^\]\\])+)\]\((?P<url>[^)\s]+)\)"
)


def unmarkdown(text: str) -> str:
    """Card Markdown as it reads: escapes undone (dialogs.cards.plain adds them), **bold** unwrapped, links
    shown as 'title (url)', and the word joiner plain() puts after 'https:' removed."""

    def replace(match: re.Match[str]) -> str:
        if match.group("escaped") is not None:
            return match.group("escaped")
        if match.group("bold") is not None:
            return unmarkdown(match.group("bold"))
        return f"{unmarkdown(match.group('title'))} ({match.group('url')})"

    return _MARKDOWN.sub(replace, text).replace("\u2060", "")


# -- what a card offers --------------------------------------------------------------------------------------


def _number_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Field:
    """One input on the card: what it asks, what it holds now, and what the bot said about it."""

    id: str
    kind: str  # text, number, date, time, choice, toggle
    label: str
    value: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)  # (title, value)
    multiple: bool = False
    minimum: str | None = None
    maximum: str | None = None
    max_length: int | None = None
    multiline: bool = False
    placeholder: str = ""
    required: bool = False
    value_on: str = "true"
    value_off: str = "false"
    hints: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def limits(self) -> str:
        """The field's type and limits in words, e.g. 'number from 0 to 100'."""
        if self.kind == "number":
            if self.minimum is not None and self.maximum is not None:
                words = f"number from {self.minimum} to {self.maximum}"
            elif self.minimum is not None:
                words = f"number, {self.minimum} or more"
            elif self.maximum is not None:
                words = f"number, up to {self.maximum}"
            else:
                words = "number"
        elif self.kind in ("date", "time"):
            words = "date as YYYY-MM-DD" if self.kind == "date" else "time as HH:MM"
            if self.minimum is not None:
                words += f", from {self.minimum}"
            if self.maximum is not None:
                words += f", until {self.maximum}"
        elif self.kind == "choice":
            words = "choose any, separated by commas" if self.multiple else "choose one"
        elif self.kind == "toggle":
            words = "yes or no"
        else:
            words = "text, several lines" if self.multiline else "text"
            if self.max_length:
                words += f", up to {self.max_length:,} characters"
        return ("required, " if self.required else "") + words

    def shown(self) -> str:
        """The value as a person reads it: a choice's title rather than its value."""
        if self.kind == "choice":
            titles = dict((value, title) for title, value in self.choices)
            chosen = [part for part in self.value.split(",") if part] if self.multiple else [self.value]
            return ", ".join(titles.get(part, part) for part in chosen if part)
        if self.kind == "toggle":
            return "yes" if self.value == self.value_on else "no"
        return self.value.replace("\r", "").replace("\n", " ")

    def accept(self, typed: str) -> str:
        """What to send for what was typed; raises ValueError with a message for an impossible choice."""
        typed = typed.strip()
        if self.kind == "toggle":
            lowered = typed.lower()
            if lowered in ("yes", "y", "true", "on", "1", self.value_on.lower()):
                return self.value_on
            if lowered in ("no", "n", "false", "off", "0", self.value_off.lower()):
                return self.value_off
            raise ValueError("Answer yes or no.")
        if self.kind != "choice" or not typed:
            return typed
        parts = [part.strip() for part in typed.split(",")] if self.multiple else [typed]
        return ",".join(self._choice(part) for part in parts if part)

    def _choice(self, typed: str) -> str:
        lowered = typed.lower()
        for title, value in self.choices:
            if typed == value or lowered == title.lower():
                return value
        for _title, value in self.choices:
            if lowered == value.lower():
                return value
        if typed.isdigit() and 1 <= int(typed) <= len(self.choices):
            return self.choices[int(typed) - 1][1]
        starting = [value for title, value in self.choices if title.lower().startswith(lowered)]
        if len(starting) == 1:
            return starting[0]
        names = ", ".join(title for title, _ in self.choices)
        raise ValueError(f"{typed!r} is not one of the choices: {names}.")


@dataclass(frozen=True)
class Button:
    """One action on the card, numbered for the menu."""

    number: int
    title: str
    kind: str
    verb: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    sends_inputs: bool = True
    url: str | None = None
    card: Mapping[str, Any] | None = None  # Action.ShowCard
    targets: tuple[str, ...] = ()  # Action.ToggleVisibility
    style: str | None = None


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
            rows.append(line(styled("=" * max(_width_of(r) for r in rows), *styles)))
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
                natural[j] = max(natural[j], *(_width_of(r) for r in measure.items(items, None)), 0)
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
                        parts.append(Segment(" " * (widths[j] - _width_of(row_line) + _GAP)))
                out.append(_trim(tuple(parts)))
            if header and number == 0:
                out.append(
                    line(styled("-" * min(sum(widths) + _GAP * (count - 1), width or 10**6), "subtle"))
                )
        return out

    # -- inputs and buttons --------------------------------------------------------------------------------

    def input(self, element: dict[str, Any], width: int | None) -> list[Line]:
        found = _field(element, self.values)
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
            if rows and (width is None or _width_of(tuple(rows[-1])) + 3 + len(part.text) <= width):
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


def _field(element: dict[str, Any], values: Mapping[str, str]) -> Field | None:
    input_id = element.get("id")
    if not isinstance(input_id, str) or not input_id:
        return None
    kind = {
        "Input.Text": "text",
        "Input.Number": "number",
        "Input.Date": "date",
        "Input.Time": "time",
        "Input.ChoiceSet": "choice",
        "Input.Toggle": "toggle",
    }.get(str(element.get("type")))
    if kind is None:
        return None
    label = unmarkdown(
        str(element.get("label") or element.get("title") or element.get("placeholder") or input_id)
    )
    value = element.get("value")
    found = Field(
        id=input_id,
        kind=kind,
        label=label,
        value="" if value is None else _number_text(value),
        multiline=bool(element.get("isMultiline")),
        placeholder=unmarkdown(str(element.get("placeholder") or "")),
        required=bool(element.get("isRequired")),
        max_length=element.get("maxLength") if isinstance(element.get("maxLength"), int) else None,
    )
    if kind in ("number", "date", "time"):
        found.minimum = None if element.get("min") is None else _number_text(element["min"])
        found.maximum = None if element.get("max") is None else _number_text(element["max"])
    if kind == "choice":
        found.choices = [
            (unmarkdown(str(c.get("title", c.get("value", "")))), str(c.get("value", "")))
            for c in _list(element.get("choices"))
            if isinstance(c, dict)
        ]
        found.multiple = bool(element.get("isMultiSelect"))
    if kind == "toggle":
        found.value_on = str(element.get("valueOn", "true"))
        found.value_off = str(element.get("valueOff", "false"))
        found.value = found.value or found.value_off
    if input_id in values:
        found.value = values[input_id]
    return found


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
    room = width - _width_of(row)
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
