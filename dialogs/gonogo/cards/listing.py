"""The list of evaluations the sender leads or scores, each with where it stands for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogs.cards import card, container, execute, heading, plain, subtle, text
from dialogs.gonogo.cards.parts import action_set
from storage.evaluation_models import Evaluation


@dataclass(frozen=True)
class ListRow:
    """One evaluation on the list: what it is about, and one line on where it stands for the sender."""

    evaluation: Evaluation
    subject: str
    standing: str


def list_card(rows: list[ListRow], *, may_start: bool) -> dict[str, Any]:
    body: list[dict[str, Any]] = [heading("Go/no-go evaluations")]
    if not rows:
        body.append(text("You are not part of any evaluation yet."))
    for row in rows:
        body.append(
            container(
                [
                    text(plain(row.evaluation.title), weight="Bolder"),
                    subtle(plain(row.subject)),
                    subtle(row.standing),
                    action_set(execute("Open", "gonogo.open", {"evaluation_id": row.evaluation.id})),
                ],
                separator=True,
                spacing="Medium",
            )
        )
    actions = [execute("Start a new evaluation", "gonogo.start", style="positive")] if may_start else []
    return card(body, actions)
