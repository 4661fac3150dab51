"""The reviewers' card: every PI rated against its minimum service requirement, and what an amendment changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commissioning.indicators import IndicatorSpec, changed_values, format_value, rag
from commissioning.periods import Month
from dialogs.cards import card, columns, container, execute, facts, heading, plain, rag_badge, subtle, text
from dialogs.meetings import MeetingOffer
from dialogs.monthly_return.payloads import NARRATIVE_MAX
from storage.contracts import indicator_spec
from storage.models import Contract, Indicator, MonthlyReturn


@dataclass(frozen=True)
class ReviewView:
    """One submitted version as its reviewers see it; built once, shown to each reviewer and the channel."""

    contract: Contract
    month: Month
    monthly: MonthlyReturn
    version: int
    indicators: list[Indicator]
    values: dict[str, float]
    narrative: str
    submitted_by: str
    provider: str
    received_local: str
    previous: dict[str, float] | None = None  # an amendment: the values it replaces
    narrative_changed: bool = False


def review_card(
    view: ReviewView, offer: MeetingOffer | None = None, history: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """What a commissioner sees: every PI rated against its minimum service requirement, and what changed.

    `history` is the version history "View return" adds (cards/history.py)."""
    amended = view.previous is not None
    specs = {i.code: indicator_spec(i) for i in view.indicators}
    title = f"{'Amended' if amended else 'Monthly'} return: {view.month.label}"
    body: list[dict[str, Any]] = [
        heading(title),
        text(plain(view.contract.name), weight="Bolder", spacing="None"),
        facts(
            [
                ("Provider", plain(view.provider)),
                ("Submitted by", plain(view.submitted_by)),
                ("Received", view.received_local),
                ("Version", str(view.version)),
            ]
        ),
    ]
    if amended:
        body.append(_what_changed(view, specs))
    body.append(container(_rating_rows(view, specs), spacing="Medium"))
    missed = _missed(view, specs)
    if missed:
        body.append(
            text(
                f"{missed} indicator{'s' if missed != 1 else ''} below the minimum service requirement.",
                color="Attention",
                weight="Bolder",
            )
        )
    body.append(
        container(
            [text("Narrative", weight="Bolder"), text(plain(view.narrative, NARRATIVE_MAX))], spacing="Medium"
        )
    )
    if history:
        body.extend(history)
    buttons = [execute("View return", "return.view", {"return_id": view.monthly.id, "version": view.version})]
    if offer is not None:  # the review meeting's deadline and a proposed time (dialogs/meetings)
        body.extend(offer.elements)
        buttons = offer.buttons + buttons
    return card(body, buttons)


def _what_changed(view: ReviewView, specs: dict[str, IndicatorSpec]) -> dict[str, Any]:
    changes = changed_values(view.previous or {}, view.values)
    lines = [
        f"{plain(specs[c.code].name) if c.code in specs else plain(c.code)}: "
        f"{format_value(specs[c.code], c.before) if c.code in specs else c.before} → "
        f"{format_value(specs[c.code], c.after) if c.code in specs else c.after}"
        for c in changes
    ]
    if view.narrative_changed:
        lines.append("The narrative was rewritten.")
    return container(
        [
            text(f"What changed from version {view.version - 1}", weight="Bolder"),
            *[text("• " + line, spacing="None") for line in lines or ["No values changed."]],
        ],
        style="emphasis",
        spacing="Medium",
    )


def _rating_rows(view: ReviewView, specs: dict[str, IndicatorSpec]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        columns(
            ([text("Indicator", weight="Bolder")], "stretch"),
            ([text("Value", weight="Bolder")], "auto"),
            ([text("Rating", weight="Bolder", horizontalAlignment="Right")], "auto"),
        )
    ]
    for indicator in view.indicators:
        spec = specs[indicator.code]
        value = view.values.get(spec.code)
        rows.append(
            columns(
                (
                    [
                        text(f"{plain(spec.name)}", spacing="None"),
                        subtle(spec.requirement_caption()),
                    ],
                    "stretch",
                ),
                ([text(format_value(spec, value))], "auto"),
                ([rag_badge(rag(spec, value))], "auto"),
            )
        )
    return rows


def _missed(view: ReviewView, specs: dict[str, IndicatorSpec]) -> int:
    """How many indicators are rated red: below the minimum service requirement."""
    ratings = (rag(specs[i.code], view.values.get(i.code)) for i in view.indicators)
    return sum(1 for rating in ratings if rating is not None and rating.value == "red")
