"""Closing: what is still unscored or unfinished, and the confirmation that shares the result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogs.cards import card, error_text, execute, plain, text
from dialogs.gonogo.cards.parts import title_block
from storage.evaluation_models import Evaluation


@dataclass(frozen=True)
class Unfinished:
    """An assessor who has not scored every factor, and how many they left."""

    name: str
    count: int


def close_card(
    evaluation: Evaluation,
    subject: str,
    *,
    unscored: list[str],
    unfinished: list[Unfinished],
    assessors: int,
) -> dict[str, Any]:
    ref = {"evaluation_id": evaluation.id}
    body = title_block(evaluation, subject, "Close")
    if unscored:
        body.append(
            error_text(
                "It cannot be closed yet: these factors have no score from anyone, so there would be no "
                "recommendation."
            )
        )
        body += [text("• " + plain(factor), spacing="None") for factor in unscored]
        return card(body, [execute("Back to progress", "gonogo.open", ref)])
    body.append(
        text(
            "Closing works out the result and sends it to everyone involved. After that nobody can change "
            "a score: the evaluation is kept as the record of the decision."
        )
    )
    if unfinished:
        body.append(
            text(
                f"{len(unfinished)} of {assessors} assessors have not scored every factor; their missing "
                "scores are left out (each factor's mean is over those who scored it):",
                color="Warning",
            )
        )
        body += [
            text(
                f"• {plain(gap.name)}: {gap.count} factor{'s' if gap.count != 1 else ''} not scored",
                spacing="None",
            )
            for gap in unfinished
        ]
    else:
        body.append(text(f"All {assessors} assessors have scored every factor."))
    return card(
        body,
        [
            execute("Close and share the result", "gonogo.close.confirm", ref, style="destructive"),
            execute("Not yet", "gonogo.open", ref),
        ],
    )
