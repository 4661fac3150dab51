"""The lead closing the evaluation: what is still missing, then the result worked out and shared once."""

from __future__ import annotations

from dialogs.base import Reply, Turn
from dialogs.gonogo.context import as_lead
from dialogs.gonogo.payloads import EvaluationRef
from dialogs.gonogo.replies import closing_card, result_reply
from storage.statuses import EvaluationStatus


async def close(turn: Turn, payload: EvaluationRef) -> Reply:
    loaded = await as_lead(turn, payload.evaluation_id)
    return Reply(card=await closing_card(loaded), replace=True)


async def close_confirmed(turn: Turn, payload: EvaluationRef) -> Reply:
    loaded = await as_lead(turn, payload.evaluation_id, while_open=False)
    repo, evaluation = loaded.repo, loaded.evaluation
    if (
        evaluation.status == EvaluationStatus.CLOSED
    ):  # a second click: the first one closed it and told everyone
        return await result_reply(turn, loaded)
    result, names = await repo.result(evaluation)
    if not result.complete:
        return Reply(card=await closing_card(loaded), replace=True)
    summary = {
        "recommendation": result.recommendation.value,
        "total": str(result.total),
        "maximum": str(result.maximum),
        "share": str(result.share),
        "assessors": [int(a) for a in result.assessors],
        "disagreements": list(result.disagreements),
        "drivers": [driver.factor.key for driver in result.drivers],
    }
    if not await repo.close(evaluation, by_id=turn.person.id, now=turn.now, result=summary):
        return await result_reply(turn, loaded)
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="evaluation.closed",
        entity="evaluation",
        entity_id=evaluation.id,
        contract_id=evaluation.contract_id,
        before={"status": "open"},
        after={"status": "closed", **summary},
    )
    reply = await result_reply(turn, loaded, result=result, names=names)
    for _, person in await repo.assessors(evaluation.id):
        if person.id == turn.person.id:
            continue  # the lead sees the result in the reply
        await turn.repos.outbox.enqueue(
            key=f"gonogo.result:{evaluation.id}:{person.id}",
            kind="gonogo.result",
            recipient_id=person.id,
            contract_id=evaluation.contract_id,
            now=turn.now,
            payload={
                "card": reply.card,
                "summary": f"Go/no-go result: {evaluation.title}: {result.recommendation.label}",
            },
        )
    reply.notify = True
    return reply
