"""Styled terminal text: segments with styles, lines of them, wrapping, and card Markdown made plain."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

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


def width_of(row: Line) -> int:
    return len(plain_text(row))


def wrap_segments(segments: Iterable[Segment], width: int | None, indent: int = 0) -> list[Line]:
    """Greedy word wrap that keeps each word's style; later lines are indented by `indent` spaces."""
    words = [
        Segment(token, segment.style)
        for segment in segments
        for token in re.findall(r"\s+|\S+", segment.text.replace("\n", " "))
    ]
    if width is None:
        return [trim(tuple(words))]
    rows: list[Line] = []
    current: list[Segment] = []
    used = 0

    def has_words() -> bool:
        return any(not segment.text.isspace() for segment in current)

    def break_line() -> None:
        nonlocal current, used
        rows.append(trim(tuple(current)))
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
        rows.append(trim(tuple(current)))
    return rows


def trim(row: Line) -> Line:
    parts = list(row)
    while parts and parts[-1].text.isspace():
        parts.pop()
    if parts:
        last = parts[-1]
        parts[-1] = Segment(last.text.rstrip(), last.style)
    return tuple(parts)


# -- Markdown in card text ----------------------------------------------------------------------------------

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
