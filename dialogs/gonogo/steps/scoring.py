"""An assessor scoring: opening the scoring card, and saving a page of scores part-way or whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from commissioning.gonogo import MAX_RATIONALE_LENGTH, Factor, Rating, parse_rating, validate_score
from dialogs.base import Reply, Turn
from dialogs.gonogo.cards.notices import finished_card
from dialogs.gonogo.cards.scoring import Entry
from dialogs.gonogo.context import Loaded, as_assessor, card_text, check_open, load
from dialogs.gonogo.payloads import RATING_PREFIX, RATIONALE_PREFIX, SaveScores, ScoreFrom
from dialogs.gonogo.replies import form_reply, result_reply
from storage.evaluation_models import EvaluationAssessor, EvaluationScore
from storage.evaluations import ScoreConflict, factor_set_of
from storage.statuses import EvaluationStatus

CONFLICT = (
    "Your scores were saved from somewhere else at the same moment. "
    "Your entries are kept below: check them and save again."
)


async def score(turn: Turn, payload: ScoreFrom) -> Reply:
    loaded = await load(turn, payload.evaluation_id)
    await as_assessor(turn, loaded.repo, loaded.evaluation)
    if loaded.evaluation.status == EvaluationStatus.CLOSED:
        return await result_reply(turn, loaded, note="This evaluation is closed; here is the result.")
    return await form_reply(turn, loaded, payload.start)


@dataclass
class SentScores:
    """The scoring card as sent: its factors, the entries as typed, what is wrong, and what changed."""

    factors: list[Factor]
    stored: dict[str, EvaluationScore]  # by factor key: what the assessor last saved
    entries: dict[str, Entry] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    changes: dict[str, tuple[Rating, str]] = field(default_factory=dict)  # as record_scores takes them


async def _read_scores(turn: Turn, loaded: Loaded) -> SentScores:
    """Read and check exactly the factors whose inputs the card carried: pages depend on rationales' length."""
    factor_set = factor_set_of(loaded.evaluation)
    raw = turn.raw
    submitted = [
        factor
        for factor in factor_set.factors
        if RATING_PREFIX + factor.key in raw or RATIONALE_PREFIX + factor.key in raw
    ]
    current = await loaded.repo.current_scores(loaded.evaluation.id, turn.person.id)
    sent = SentScores(submitted, {s.factor_key: s for s in current})
    for factor in submitted:
        given = card_text(raw, RATING_PREFIX + factor.key, 20)
        rationale = card_text(raw, RATIONALE_PREFIX + factor.key, 2 * MAX_RATIONALE_LENGTH, strip=False)
        previous = sent.stored.get(factor.key)
        rating_text = given or (previous.rating if previous else "")
        sent.entries[factor.key] = Entry(rating_text, rationale)
        if not rating_text and not rationale.strip():
            continue  # not scored yet: fine while saving part-way
        problem = validate_score(rating_text, rationale)
        if problem:
            sent.errors[factor.key] = problem
            continue
        rating = parse_rating(rating_text)
        assert rating is not None
        if previous is None or previous.rating != rating.value or previous.rationale != rationale.strip():
            sent.changes[factor.key] = (rating, rationale.strip())
    return sent


async def save(turn: Turn, payload: SaveScores) -> Reply:
    loaded = await load(turn, payload.evaluation_id, lock=True)
    evaluation = loaded.evaluation
    assessor = await as_assessor(turn, loaded.repo, evaluation)
    check_open(turn, evaluation)
    sent = await _read_scores(turn, loaded)
    if sent.errors:
        return await form_reply(
            turn, loaded, payload.start, entries=sent.entries, errors=sent.errors, factors=sent.factors
        )
    if not sent.changes:
        note = "Nothing had changed since your last save."
    else:
        try:
            await loaded.repo.record_scores(evaluation.id, turn.person.id, sent.changes, now=turn.now)
        except ScoreConflict:
            return await form_reply(
                turn,
                loaded,
                payload.start,
                entries=sent.entries,
                factors=sent.factors,
                errors={"_form": CONFLICT},
            )
        _audit_scores(turn, loaded, sent)
        assessor.last_scored_at = turn.now
        count = len(sent.changes)
        note = f"Saved {count} score{'s' if count != 1 else ''} at {turn.local_now:%H:%M}."
    notify = await _finish(turn, loaded, assessor, sent)
    start = payload.go_to if payload.go_to is not None else payload.start
    reply = await form_reply(turn, loaded, start, note=note)
    reply.notify = notify
    return reply


def _audit_scores(turn: Turn, loaded: Loaded, sent: SentScores) -> None:
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="evaluation.scored",
        entity="evaluation",
        entity_id=loaded.evaluation.id,
        contract_id=loaded.evaluation.contract_id,
        before={key: _score_json(sent.stored.get(key)) for key in sent.changes},
        after={key: {"rating": r.value, "rationale": why} for key, (r, why) in sent.changes.items()},
    )


def _score_json(score: Any) -> dict[str, str] | None:
    return {"rating": score.rating, "rationale": score.rationale} if score is not None else None


async def _finish(turn: Turn, loaded: Loaded, assessor: EvaluationAssessor, sent: SentScores) -> bool:
    """Mark the assessor finished once every factor has a score of theirs; True if the lead was told."""
    notify = False
    scored = set(sent.stored) | set(sent.changes)
    if len(scored) == len(factor_set_of(loaded.evaluation).factors) and assessor.finished_at is None:
        assessor.finished_at = turn.now
        notify = await _tell_lead_finished(turn, loaded)
    turn.repos.session.add(assessor)
    return notify


async def _tell_lead_finished(turn: Turn, loaded: Loaded) -> bool:
    """Tell the lead when an assessor first has a score on every factor."""
    repo, evaluation = loaded.repo, loaded.evaluation
    if evaluation.lead_id == turn.person.id:
        return False
    total = len(factor_set_of(evaluation).factors)
    progress = await repo.progress(evaluation.id)  # this save included
    assessors = await repo.assessors(evaluation.id)
    finished = sum(1 for _, person in assessors if len(progress.get(person.id, set())) >= total)
    return await turn.repos.outbox.enqueue(
        key=f"gonogo.finished:{evaluation.id}:{turn.person.id}",
        kind="gonogo.finished",
        recipient_id=evaluation.lead_id,
        contract_id=evaluation.contract_id,
        now=turn.now,
        payload={
            "card": finished_card(evaluation, turn.person.name, finished, len(assessors)),
            "summary": f"{turn.person.name} has scored every factor: {evaluation.title}",
        },
    )
