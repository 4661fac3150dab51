"""The cards sent to people's chats: an invitation to score, a reminder, and the lead's "has finished"."""

from __future__ import annotations

from typing import Any

from commissioning.gonogo import FactorSet
from dialogs.cards import card, execute, facts, heading, plain, text
from dialogs.gonogo.cards.parts import title_block
from storage.evaluation_models import Evaluation


def _score_now(evaluation: Evaluation) -> dict[str, Any]:
    return execute(
        "Score now", "gonogo.score", {"evaluation_id": evaluation.id, "start": 0}, style="positive"
    )


def invitation_card(
    evaluation: Evaluation, subject: str, factor_set: FactorSet, *, lead: str
) -> dict[str, Any]:
    body = title_block(evaluation, subject, "Please score")
    body += [
        text(
            f"{plain(lead)} has invited you to score this go/no-go evaluation: {len(factor_set.factors)} "
            "factors, each Negative (3 points), Neutral (6) or Positive (10). A Negative needs a rationale."
        ),
        text(
            "You can save part-way and come back, and change your scores until the evaluation is closed. "
            "Nobody sees your scores until then."
        ),
        facts([("Factor set", plain(factor_set.name)), ("Lead", plain(lead))]),
    ]
    return card(body, [_score_now(evaluation)])


def reminder_card(
    evaluation: Evaluation, subject: str, scored: int, total: int, *, lead: str
) -> dict[str, Any]:
    body = title_block(evaluation, subject, "Reminder")
    body.append(
        text(
            f"You have scored {scored} of {total} factors. {plain(lead)} would like every assessor's "
            "scores before closing the evaluation."
        )
    )
    return card(body, [_score_now(evaluation)])


def finished_card(evaluation: Evaluation, who: str, finished: int, invited: int) -> dict[str, Any]:
    body = [
        heading(f"{plain(who)} has scored every factor"),
        text(plain(evaluation.title), weight="Bolder", spacing="None"),
        text(f"{finished} of {invited} assessors have finished."),
    ]
    return card(body, [execute("See progress", "gonogo.open", {"evaluation_id": evaluation.id})])
