"""Helpers for the tab's tests: strict HTML parsing (an offline validator) and what a page says in words."""

from __future__ import annotations

import html
import re

import html5lib

_TAGS = re.compile(r"<[^>]+>")


def parse_strictly(page: str) -> None:
    """Raise html5lib's ParseError at the first thing the HTML standard calls a parse error."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


def words(page: str) -> str:
    """The page's text without tags, whitespace collapsed: what a reader sees, for `in` assertions."""
    return " ".join(html.unescape(_TAGS.sub(" ", page)).split())
