"""The button or input a person names in the terminal: by number, id, whole label or a part only one has."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.console.errors import ChatError
from bot.console.fields import Button, Field


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def find_button(buttons: list[Button], choice: str | int) -> Button:
    """A button by menu number, exact title, or a part of the title only one button has."""
    if isinstance(choice, int):
        for button in buttons:
            if button.number == choice:
                return button
        raise ChatError(f"There is no button {choice}: choose 1 to {len(buttons)}.")
    wanted = _norm(choice)
    exact = [button for button in buttons if _norm(button.title) == wanted]
    if exact:
        return exact[0]
    partial = [button for button in buttons if wanted in _norm(button.title)]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise ChatError(f"{choice!r} could be {_titles(partial)}: give the whole title.")
    raise ChatError(f"The card has no button {choice!r}. Its buttons are {_titles(buttons)}.")


def _titles(buttons: list[Button]) -> str:
    return ", ".join(f"[{b.title}]" for b in buttons)


def find_field(fields: list[Field], name: str) -> Field:
    """An input by id, by its whole label, or by a part of the label only one input has; `Owner #2` is the
    second input labelled Owner, in the order the card shows them."""
    numbered = re.fullmatch(r"(.*?)\s*#(\d+)", name.strip())
    wanted = _norm(numbered.group(1) if numbered else name)
    tests: tuple[Callable[[Field], bool], ...] = (
        lambda f: f.id == name.strip(),
        lambda f: _norm(f.label) == wanted,
        lambda f: _norm(f.id) == wanted,
        lambda f: wanted in _norm(f.label),
    )
    for test in tests:
        found = [f for f in fields if test(f)]
        if numbered and found:
            which = int(numbered.group(2))
            if 1 <= which <= len(found):
                return found[which - 1]
            raise ChatError(f"There are {len(found)} inputs called {numbered.group(1)!r}, not {which}.")
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            if len({_norm(f.label) for f in found}) == 1:
                raise ChatError(
                    f"{len(found)} inputs are called {found[0].label!r}: write '{found[0].label} #1' to "
                    f"'{found[0].label} #{len(found)}' for them in the order the card shows them, or use "
                    f"an id ({', '.join(f.id for f in found)})."
                )
            labels = "; ".join(f.label for f in found)
            raise ChatError(f"{name!r} could be any of: {labels}. Use more of the label.")
    labels = "; ".join(f.label for f in fields)
    raise ChatError(f"The card has no input {name!r}. Its inputs are: {labels}.")
