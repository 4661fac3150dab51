"""The lead's card: who has scored how much (never what), invite, remind, close."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commissioning.gonogo import FactorSet
from dialogs.cards import (
    card,
    columns,
    container,
    error_text,
    execute,
    facts,
    input_choice,
    plain,
    subtle,
    text,
)
from dialogs.gonogo.cards.parts import title_block
from dialogs.gonogo.payloads import MAX_ASSESSORS
from storage.evaluation_models import Evaluation, EvaluationAssessor
from storage.models import Person


@dataclass(frozen=True)
class ProgressView:
    """What the lead's card shows: the evaluation, its assessors and how far each has got, who can be invited."""

    evaluation: Evaluation
    subject: str
    factor_set: FactorSet
    lead_name: str
    lead_id: int
    assessors: list[tuple[EvaluationAssessor, Person]]
    progress: dict[int, set[str]]
    candidates: list[Person]
    started: str
    note: str | None
    errors: dict[str, str]

    @property
    def total(self) -> int:
        return len(self.factor_set.factors)

    def scored(self, person: Person) -> int:
        return len(self.progress.get(person.id, set()))

    def unfinished(self) -> int:
        return sum(1 for _, person in self.assessors if self.scored(person) < self.total)

    def named(self, person: Person) -> str:
        return plain(person.name) + (" (you)" if person.id == self.lead_id else "")


def progress_card(view: ProgressView) -> dict[str, Any]:
    """The lead's card: who has scored how much (never what), invite, remind, close."""
    body = title_block(view.evaluation, view.subject, "Go/no-go")
    body.append(
        facts(
            [
                ("Factor set", f"{plain(view.factor_set.name)} ({view.total} factors)"),
                ("Lead", plain(view.lead_name)),
                ("Started", view.started),
                ("Status", "Open: scores can change until you close it"),
            ]
        )
    )
    if view.note:
        body.append(text(view.note, color="Good", size="Small"))
    body.append(text("Assessors", weight="Bolder", size="Medium", separator=True))
    body += _assessor_rows(view)
    may_invite = len(view.assessors) < MAX_ASSESSORS and bool(view.candidates)
    invite_items = _invite_items(view, may_invite)
    if invite_items:
        body.append(container(invite_items, spacing="Large"))
    return card(body, _actions(view, may_invite))


def _assessor_rows(view: ProgressView) -> list[dict[str, Any]]:
    total = view.total
    if not view.assessors:
        return [text("Nobody has been invited yet. Choose assessors below; each gets a card to score with.")]
    rows: list[dict[str, Any]] = []
    for _, person in view.assessors:
        count = view.scored(person)
        if count >= total:
            status = "Finished"
        else:
            status = "Not started" if count == 0 else f"{count} of {total} scored"
        rows.append(
            columns(
                ([text(view.named(person), spacing="None")], "stretch"),
                ([text(status, spacing="None", color="Good" if count >= total else "Default")], "auto"),
            )
        )
    scored_keys = set().union(*view.progress.values()) if view.progress else set()
    nobody = [factor for factor in view.factor_set.factors if factor.key not in scored_keys]
    if nobody:
        rows.append(subtle(f"{len(nobody)} of {total} factors have no score from anyone yet."))
    rows.append(
        subtle("Scores stay hidden until you close the evaluation, so each assessor scores independently.")
    )
    return rows


def _invite_items(view: ProgressView, may_invite: bool) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if may_invite:
        choice = input_choice(
            "assessors",
            "Invite assessors",
            [(view.named(p), str(p.id)) for p in view.candidates],
            expanded=len(view.candidates) <= 10,
        )
        choice["isMultiSelect"] = True
        items.append(choice)
    if "assessors" in view.errors:
        items.append(error_text(view.errors["assessors"]))
    return items


def _actions(view: ProgressView, may_invite: bool) -> list[dict[str, Any]]:
    ref = {"evaluation_id": view.evaluation.id}
    actions: list[dict[str, Any]] = []
    if may_invite:
        actions.append(execute("Invite", "gonogo.invite", ref, style="positive"))
    if any(person.id == view.lead_id for _, person in view.assessors):
        actions.append(execute("Score it yourself", "gonogo.score", {**ref, "start": 0}))
    unfinished = view.unfinished()
    if unfinished:
        actions.append(execute(f"Remind {unfinished} not finished", "gonogo.remind", ref))
    if view.assessors:
        actions.append(execute("Close and share the result", "gonogo.close", ref))
    actions.append(execute("Refresh", "gonogo.open", ref))
    return actions
