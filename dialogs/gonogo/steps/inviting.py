"""The lead inviting assessors, each sent a card to score with, and reminding those not finished."""

from __future__ import annotations

from dialogs.base import Refused, Reply, Turn
from dialogs.gonogo.cards.notices import invitation_card, reminder_card
from dialogs.gonogo.context import Loaded, as_lead, chosen_ids, names_text
from dialogs.gonogo.payloads import MAX_ASSESSORS, EvaluationRef
from dialogs.gonogo.replies import progress_reply
from storage.evaluations import factor_set_of
from storage.models import Person


async def invite(turn: Turn, payload: EvaluationRef) -> Reply:
    loaded = await as_lead(turn, payload.evaluation_id)
    repo, evaluation = loaded.repo, loaded.evaluation
    chosen = chosen_ids(turn.raw, "assessors")
    if not chosen:
        return await progress_reply(
            turn, loaded, errors={"assessors": "Choose at least one person to invite."}
        )
    eligible = {person.id: person for person in await repo.organisation_people(evaluation.organisation_id)}
    if any(person_id not in eligible for person_id in chosen):
        raise Refused(
            "Assessors are chosen from the commissioning organisation's people.",
            reason=f"assessor outside organisation:{evaluation.id}",
        )
    already = [person for _, person in await repo.assessors(evaluation.id)]
    invited = {p.id for p in already}
    new = [eligible[i] for i in chosen if i not in invited]
    if len(already) + len(new) > MAX_ASSESSORS:
        errors = {"assessors": f"An evaluation can have at most {MAX_ASSESSORS} assessors."}
        return await progress_reply(turn, loaded, errors=errors)
    await _send_invitations(turn, loaded, new)
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="evaluation.invited",
        entity="evaluation",
        entity_id=evaluation.id,
        contract_id=evaluation.contract_id,
        before={"assessors": [p.id for p in already]},
        after={"assessors": [p.id for p in already] + [p.id for p in new]},
    )
    note = (
        f"Invited {names_text(p.name for p in new)}. Each has been sent a card to score with."
        if new
        else "Everyone you chose was already invited."
    )
    return await progress_reply(turn, loaded, note=note, notify=bool(new))


async def _send_invitations(turn: Turn, loaded: Loaded, new: list[Person]) -> None:
    repo, evaluation = loaded.repo, loaded.evaluation
    subject = await repo.subject(evaluation)
    factor_set = factor_set_of(evaluation)
    for person in new:
        await repo.invite(evaluation.id, person.id, by_id=turn.person.id, now=turn.now)
        await turn.repos.outbox.enqueue(
            key=f"gonogo.invited:{evaluation.id}:{person.id}",
            kind="gonogo.invited",
            recipient_id=person.id,
            contract_id=evaluation.contract_id,
            now=turn.now,
            payload={
                "card": invitation_card(evaluation, subject, factor_set, lead=turn.person.name),
                "summary": f"{turn.person.name} invites you to score: {evaluation.title}",
            },
        )


async def remind(turn: Turn, payload: EvaluationRef) -> Reply:
    """Remind assessors who have not scored every factor; at most once a day each (the outbox key)."""
    loaded = await as_lead(turn, payload.evaluation_id)
    repo, evaluation = loaded.repo, loaded.evaluation
    total = len(factor_set_of(evaluation).factors)
    progress = await repo.progress(evaluation.id)
    waiting = [
        (assessor, person)
        for assessor, person in await repo.assessors(evaluation.id)
        if len(progress.get(person.id, set())) < total
    ]
    if not waiting:
        return await progress_reply(turn, loaded, note="Everyone invited has scored every factor.")
    subject = await repo.subject(evaluation)
    today = turn.local_now.date().isoformat()
    sent: list[str] = []
    earlier: list[str] = []
    for assessor, person in waiting:
        scored = len(progress.get(person.id, set()))
        added = await turn.repos.outbox.enqueue(
            key=f"gonogo.reminder:{evaluation.id}:{person.id}:{today}",
            kind="gonogo.reminder",
            recipient_id=person.id,
            contract_id=evaluation.contract_id,
            now=turn.now,
            payload={
                "card": reminder_card(evaluation, subject, scored, total, lead=turn.person.name),
                "summary": f"Reminder: please finish scoring {evaluation.title}",
            },
        )
        if added:
            assessor.reminded_at = turn.now
            turn.repos.session.add(assessor)
            sent.append(person.name)
        else:
            earlier.append(person.name)
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="evaluation.reminded",
        entity="evaluation",
        entity_id=evaluation.id,
        contract_id=evaluation.contract_id,
        after={"reminded": sent, "already_reminded_today": earlier},
    )
    return await progress_reply(turn, loaded, note=_reminded_note(sent, earlier), notify=bool(sent))


def _reminded_note(sent: list[str], earlier: list[str]) -> str:
    parts = []
    if sent:
        parts.append(f"Reminded {names_text(sent)}.")
    if earlier:
        parts.append(
            f"{names_text(earlier)} {'was' if len(earlier) == 1 else 'were'} already reminded today."
        )
    return " ".join(parts)
