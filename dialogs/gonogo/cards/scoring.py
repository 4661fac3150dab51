"""An assessor's scoring card: one page of factors, each a rating and a rationale, saved part-way or whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from commissioning.gonogo import (
    MAX_RATIONALE_LENGTH,
    RATING_POINTS,
    Factor,
    FactorSet,
    Rating,
    parse_rating,
)
from dialogs.cards import card, container, error_text, execute, input_choice, input_text, plain, subtle, text
from dialogs.gonogo.cards.parts import points, title_block
from dialogs.gonogo.payloads import RATING_PREFIX, RATIONALE_PREFIX
from storage.evaluation_models import Evaluation

RATING_CHOICES = [(f"{rating.label} ({RATING_POINTS[rating]} points)", rating.value) for rating in Rating]


@dataclass(frozen=True)
class Entry:
    """A factor's score as the card shows it: the rating and rationale as entered, or as last saved."""

    rating: str
    rationale: str


@dataclass(frozen=True)
class ScoreView:
    """What one scoring card shows: a page of the factor set, the entries, and the pages either side."""

    evaluation: Evaluation
    subject: str
    factor_set: FactorSet
    page: Sequence[Factor]
    shown: dict[str, Entry]
    lead_name: str
    scored: int
    errors: dict[str, str]
    note: str | None
    previous: int | None = None
    following: int | None = None
    lead: bool = False  # the person scoring also leads the evaluation


def score_card(view: ScoreView) -> dict[str, Any]:
    """An assessor's scoring form for one page of factors, showing what they entered or last saved."""
    total = len(view.factor_set.factors)
    numbers = {factor.key: n for n, factor in enumerate(view.factor_set.factors, start=1)}
    body = title_block(view.evaluation, view.subject, "Score")
    body.append(
        text(
            "Score each factor Negative (3 points), Neutral (6) or Positive (10) and say why; a Negative "
            f"needs a rationale. Save part-way and come back any time: you can change your scores until "
            f"{plain(view.lead_name)} closes the evaluation."
        )
    )
    page = view.page
    if len(page) < total:
        body.append(subtle(f"Factors {numbers[page[0].key]} to {numbers[page[-1].key]} of {total}"))
    body += _notes(view)
    body += _factor_inputs(view, numbers)
    body.append(subtle(f"You have scored {view.scored} of {total} factors."))
    return card(body, _actions(view, numbers[page[0].key] - 1))


def _notes(view: ScoreView) -> list[dict[str, Any]]:
    """The note on what was saved, how many scores need correcting, and the form's own error."""
    notes: list[dict[str, Any]] = []
    if view.note:
        notes.append(text(view.note, color="Good", size="Small"))
    factor_errors = {key: message for key, message in view.errors.items() if key != "_form"}
    if factor_errors:
        count = len(factor_errors)
        notes.append(
            text(
                f"Please correct {count} score{'s' if count != 1 else ''} below. Nothing has been saved yet.",
                color="Attention",
                weight="Bolder",
            )
        )
    if "_form" in view.errors:
        notes.append(error_text(view.errors["_form"]))
    return notes


def _factor_inputs(view: ScoreView, numbers: dict[str, int]) -> list[dict[str, Any]]:
    """Each factor's rating and rationale, under its group's name where a group begins."""
    group_names = {group.key: group.name for group in view.factor_set.groups}
    body: list[dict[str, Any]] = []
    last_group = None
    for factor in view.page:
        if factor.group != last_group:
            body.append(
                text(plain(group_names[factor.group]), weight="Bolder", size="Medium", separator=True)
            )
            last_group = factor.group
        entry = view.shown.get(factor.key, Entry("", ""))
        weight = f" (weight {points(factor.weight)})" if factor.weight != 1 else ""
        items = [
            input_choice(
                RATING_PREFIX + factor.key,
                f"{numbers[factor.key]}. {plain(factor.text, 400)}{weight}",
                RATING_CHOICES,
                entry.rating if parse_rating(entry.rating) else "",
                placeholder="Choose a score",
            ),
            input_text(
                RATIONALE_PREFIX + factor.key,
                "Rationale (needed for a Negative)",
                entry.rationale,
                multiline=True,
                max_length=MAX_RATIONALE_LENGTH,
            ),
        ]
        if factor.key in view.errors:
            items.append(error_text(view.errors[factor.key]))
        body.append(container(items, spacing="Medium"))
    return body


def _actions(view: ScoreView, start: int) -> list[dict[str, Any]]:
    ref = {"evaluation_id": view.evaluation.id, "start": start}
    actions = [execute("Save scores", "gonogo.save", {**ref, "go_to": start}, style="positive")]
    if view.following is not None:
        actions.append(
            execute("Save and go to the next factors", "gonogo.save", {**ref, "go_to": view.following})
        )
    if view.previous is not None:
        actions.append(execute("Save and go back", "gonogo.save", {**ref, "go_to": view.previous}))
    if view.lead:
        # a lead who scores too is offered the way back to running the evaluation, and to close it
        # once their own scores are complete (the close card still asks first)
        progress = {"evaluation_id": view.evaluation.id}
        actions.append(execute("Back to progress", "gonogo.open", progress))
        if view.scored == len(view.factor_set.factors):
            actions.append(execute("Close and share the result", "gonogo.close", progress))
    return actions
