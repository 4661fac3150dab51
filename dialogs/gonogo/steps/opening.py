"""Opening an evaluation: the lead's progress, an assessor's scoring card, the result, rationales, downloads."""

from __future__ import annotations

from dialogs.base import Refused, Reply, Turn
from dialogs.cards import plain
from dialogs.gonogo.cards.rationale import rationale_card
from dialogs.gonogo.cards.result import DownloadOffer
from dialogs.gonogo.context import access, load, readable, refuse_outsider, when
from dialogs.gonogo.payloads import DownloadRef, EvaluationRef, FactorView
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
    loaded = await readable(turn, payload.evaluation_id)
    evaluation = loaded.evaluation
    result, names = await loaded.repo.result(evaluation)
    index = min(payload.index, len(result.factors) - 1)
    return Reply(card=rationale_card(evaluation, result, names, index), replace=True)


async def download(turn: Turn, payload: DownloadRef) -> Reply:
    """The result card again, with a link to the export made for the sender alone, for a short while."""
    loaded = await readable(turn, payload.evaluation_id)
    links = turn.rules.downloads
    if not links.enabled:
        return await result_reply(
            turn,
            loaded,
            note="Downloads are not set up on this Steward yet: an administrator needs to set PUBLIC_URL.",
        )
    grant = links.grant(loaded.evaluation.id, payload.file_format, turn.person.id, turn.now)
    offer = DownloadOffer(grant.fmt, grant.filename, links.url(grant), when(turn, grant.expires))
    return await result_reply(turn, loaded, download=offer)
