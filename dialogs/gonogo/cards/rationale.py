"""One factor's scores with every rationale, once the evaluation is closed; paged factor by factor."""

from __future__ import annotations

from typing import Any

from commissioning.gonogo import EvaluationResult
from dialogs.cards import card, container, execute, heading, plain, subtle, text
from dialogs.gonogo.cards.parts import points
from dialogs.gonogo.paging import CARD_BUDGET, card_bytes
from storage.evaluation_models import Evaluation

RATIONALE_SHOWN = 800


def rationale_card(
    evaluation: Evaluation, result: EvaluationResult, names: dict[str, str], index: int
) -> dict[str, Any]:
    """One factor's scores with every rationale, shortened only as far as Teams' size limit needs."""
    for shown in (RATIONALE_SHOWN, 400, 200, 80):
        built = _rationale_card(evaluation, result, names, index, shown)
        if card_bytes(built) <= CARD_BUDGET:
            break
    return built


def _rationale_card(
    evaluation: Evaluation, result: EvaluationResult, names: dict[str, str], index: int, shown: int
) -> dict[str, Any]:
    factor_result = result.factors[index]
    factor = factor_result.factor
    group = result.factor_set.group(factor.group)
    count = len(result.factors)
    body: list[dict[str, Any]] = [
        heading(f"Rationales: factor {index + 1} of {count}"),
        text(plain(evaluation.title), isSubtle=True, spacing="None"),
        text(plain(factor.text), weight="Bolder"),
        subtle(f"{plain(group.name)}. Mean {points(factor_result.mean)}"),
    ]
    for score in factor_result.scores:
        body.append(
            container(
                [
                    text(
                        f"{plain(names.get(score.assessor, score.assessor))}: {score.rating.label}",
                        weight="Bolder",
                    ),
                    text(plain(score.rationale, shown), spacing="None")
                    if score.rationale
                    else subtle("No rationale given."),
                ],
                spacing="Medium",
            )
        )
    if not factor_result.scores:
        body.append(text("Nobody scored this factor."))
    if any(len(score.rationale) > shown for score in factor_result.scores):
        body.append(subtle("Long rationales are shortened here; the export has every one in full."))
    ref = {"evaluation_id": evaluation.id}
    actions = []
    if index > 0:
        actions.append(execute("Previous factor", "gonogo.rationales", {**ref, "index": index - 1}))
    if index + 1 < count:
        actions.append(execute("Next factor", "gonogo.rationales", {**ref, "index": index + 1}))
    actions.append(execute("Back to the result", "gonogo.open", ref))
    return card(body, actions)
