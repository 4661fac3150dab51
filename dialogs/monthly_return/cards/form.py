"""The return form: each indicator's input with its limits and requirement, the narrative, save or submit."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from commissioning.indicators import IndicatorKind, IndicatorSpec
from commissioning.periods import Month
from dialogs.cards import (
    card,
    container,
    error_text,
    execute,
    heading,
    input_choice,
    input_number,
    input_text,
    plain,
    subtle,
    text,
)
from dialogs.monthly_return.payloads import INPUT_PREFIX, NARRATIVE_MAX, NARRATIVE_MIN
from storage.contracts import indicator_spec
from storage.models import Contract, Indicator, MonthlyReturn


@dataclass(frozen=True)
class FormView:
    """What the form shows: the contract and month, its indicators, and the entries as typed."""

    contract: Contract
    month: Month
    indicators: list[Indicator]
    entries: dict[str, str]
    narrative: str
    monthly: MonthlyReturn | None
    also_open: str = ""  # the other months the provider may open, in words (cards/months.py)


def resumed_note(saved_at: datetime, zone: ZoneInfo) -> str:
    return "Your saved draft from " + saved_at.astimezone(zone).strftime("%H:%M on %d %B") + "."


def narrative_hint() -> str:
    return f"At least {NARRATIVE_MIN} characters: what went well, what didn't, and why."


def narrative_empty_error() -> str:
    return (
        f"Add a short narrative of at least {NARRATIVE_MIN} characters: what went well, what didn't, and why."
    )


def narrative_short_error(length: int) -> str:
    return f"Write at least {NARRATIVE_MIN} characters (it has {length})."


def draft_saved_note(saved_at: str) -> str:
    return f"Draft saved at {saved_at}. You can come back to it any time."


def conflict_error(version: int) -> dict[str, str]:
    """The form's error when someone else submitted first: the entries are kept for an amendment."""
    return {
        "_form": f"This return was changed since you opened it (it is now version {version}). "
        "Your entries are kept below: check them and submit again to amend it."
    }


def form_card(
    view: FormView,
    *,
    errors: dict[str, str] | None = None,
    note: str | None = None,
    based_on_version: int | None = None,
) -> dict[str, Any]:
    errors = errors or {}
    monthly = view.monthly
    version = (
        based_on_version if based_on_version is not None else (monthly.current_version if monthly else 0)
    )
    body = _top(view, version, note, errors)
    for indicator in view.indicators:
        spec = indicator_spec(indicator)
        body.extend(_indicator_input(spec, view.entries.get(spec.code, ""), errors.get(spec.code)))
    body.append(_narrative_input(view.narrative, errors.get("narrative")))
    data = {"contract_id": view.contract.id, "month": view.month.key, "based_on_version": version}
    actions = [
        execute(
            "Submit return" if not version else "Submit amendment", "return.submit", data, style="positive"
        ),
        execute("Save draft", "return.save", data),
        execute("Another month", "return.months", {"contract_id": view.contract.id}),
    ]
    return card(body, actions)


def _top(view: FormView, version: int, note: str | None, errors: dict[str, str]) -> list[dict[str, Any]]:
    """The heading, what is being amended, the note, and how many entries need correcting."""
    body: list[dict[str, Any]] = [
        heading(f"Monthly return: {view.month.label}"),
        text(plain(view.contract.name), weight="Bolder", spacing="None"),
    ]
    if version:
        body.append(subtle(f"Amending submitted version {version}; the earlier version will be kept."))
    if view.also_open:
        body.append(subtle(view.also_open))
    if note:
        body.append(text(note, color="Good", size="Small"))
    if errors:
        count = len(errors)
        body.append(
            text(
                f"Please correct {count} {'entry' if count == 1 else 'entries'} below. Nothing has been "
                "saved yet.",
                color="Attention",
                weight="Bolder",
            )
        )
        if "_form" in errors:
            body.append(error_text(errors["_form"]))
    return body


def _narrative_input(narrative: str, error: str | None) -> dict[str, Any]:
    return container(
        [
            input_text(
                "narrative",
                "Narrative",
                narrative,
                multiline=True,
                max_length=NARRATIVE_MAX,
                placeholder="What went well, what didn't, and why",
            ),
            subtle(narrative_hint()),
            *([error_text(error)] if error is not None else []),
        ],
        spacing="Large",
    )


def _indicator_input(spec: IndicatorSpec, value: str, error: str | None) -> list[dict[str, Any]]:
    input_id = INPUT_PREFIX + spec.code
    unit = "%" if spec.kind is IndicatorKind.PERCENTAGE else spec.unit
    label = f"{spec.code}  {spec.name}" + (f" ({unit})" if unit else "")
    hint = f"{spec.describe_limits().capitalize()}. {spec.requirement_sentence()}."
    if spec.kind is IndicatorKind.YES_NO:
        element = input_choice(
            input_id, label, [("Yes", "yes"), ("No", "no")], value.lower(), placeholder="Choose"
        )
    else:
        number = _as_number(value)
        if value.strip() and number is None:
            element = input_text(
                input_id, label, value
            )  # keep exactly what was typed, so it can be corrected
        else:
            element = input_number(
                input_id, label, number, minimum=spec.lower_limit, maximum=spec.upper_limit
            )
    items = [element, subtle(hint)]
    if error:
        items.append(error_text(error))
    return [container(items, spacing="Medium")]


def _as_number(value: str) -> float | None:
    """The entry as a number for an Input.Number, or None (then it is kept as typed in an Input.Text)."""
    try:
        number = float(value.replace(",", "").removesuffix("%")) if value.strip() else None
    except ValueError:
        return None
    if number is not None and not math.isfinite(number):
        return None  # 'nan', 'inf' and '1e999' are kept as text: a card cannot carry them as numbers
    if number is not None and number.is_integer():
        return int(number)
    return number
