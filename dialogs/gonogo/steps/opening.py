"""Opening an evaluation: the lead's progress, an assessor's scoring card, the result and its rationales."""

from __future__ import annotations

from dialogs.base import Refused, Reply, Turn
from dialogs.cards import plain
from dialogs.gonogo.cards.rationale import rationale_card
from dialogs.gonogo.context import access, load, refuse_outsider
from dialogs.gonogo.payloads import EvaluationRef, FactorView
from dialogs.gonogo.replies import form_reply, progress_reply, result_reply
from storage.statuses import EvaluationStatus


async def open_evaluation(turn: Turn, payload: EvaluationRef) -> Reply:
    loaded = await load(turn, payload.evaluation_id)
    evaluation = loaded.evaluation
    sender = await access(turn, loaded.repo, evaluation)
    if not sender.may_view:
        raise refuse_outsider(evaluation)
    if evaluation.status == EvaluationStatus.CLOSED:
        return await result_reply(turn, loaded)
    if sender.is_lead:
        return await progress_reply(turn, loaded)
    if sender.assessor is not None:
        return await form_reply(turn, loaded, 0)
    lead = await turn.repos.people.person(evaluation.lead_id)
    raise Refused(
        f"This evaluation is still open. Its result is shared when {plain(lead.name if lead else 'the lead')} "
        "closes it.",
        reason=f"open:{evaluation.id}",
    )


async def rationales(turn: Turn, payload: FactorView) -> Reply:
    loaded = await load(turn, payload.evaluation_id)
    evaluation = loaded.evaluation
    if not (await access(turn, loaded.repo, evaluation)).may_view:
        raise refuse_outsider(evaluation)
    if evaluation.status != EvaluationStatus.CLOSED:
        raise Refused(
            "Scores and their rationales are shown once the lead closes the evaluation, so that each "
            "assessor scores independently.",
            reason=f"open:{evaluation.id}",
        )
    result, names = await loaded.repo.result(evaluation)
    index = min(payload.index, len(result.factors) - 1)
    return Reply(card=rationale_card(evaluation, result, names, index), replace=True)
