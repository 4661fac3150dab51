"""Go/no-go evaluation: start it, invite assessors, score every factor, remind, close, read the result."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from pydantic import Field

from commissioning.gonogo import (
    DEFAULT_FACTOR_SET,
    MAX_FACTORS,
    MAX_RATIONALE_LENGTH,
    RATING_POINTS,
    EvaluationResult,
    Factor,
    FactorSet,
    Rating,
    Recommendation,
    as_decimal,
    format_share,
    load_factor_sets,
    parse_rating,
    validate_score,
)
from commissioning.roles import Permission
from dialogs.base import Payload, Refused, Reply, Router, Turn
from dialogs.cards import (
    card,
    columns,
    container,
    error_text,
    execute,
    facts,
    heading,
    input_choice,
    input_text,
    plain,
    subtle,
    text,
)
from dialogs.common import contract_for, field
from storage.evaluation_models import CLOSED, Evaluation, EvaluationAssessor
from storage.evaluations import EvaluationsRepository, ScoreConflict, factor_set_of
from storage.models import Contract, Person

router = Router("gonogo")
router.command(
    "gonogo.list",
    "evaluations",
    "go no go",
    "gonogo",
    "my evaluations",
    "go no go evaluations",
    help_text="See the go/no-go evaluations you lead or score",
)
router.command(
    "gonogo.start",
    "start evaluation",
    "new evaluation",
    "start go no go",
    "new go no go",
    help_text="Start a go/no-go evaluation before re-procuring a service",
)

TITLE_MAX = 200
SERVICE_MAX = 200
MAX_ASSESSORS = 15
"""Enough for a commissioning team and a board; keeps every result card inside Teams' 28 KB."""
INVITE_CHOICES_MAX = 100
FACTORS_PER_PAGE = 10
CARD_BUDGET = 27_000
"""A scoring card holds at most FACTORS_PER_PAGE factors and at most this many bytes of JSON (non-ASCII
escaped, as the size check counts it), leaving room under Teams' 28 KB for the response around it.
Long rationales therefore move later factors onto the next card; whole groups stay together where
they fit."""
RATIONALE_SHOWN = 800
RATING_PREFIX, RATIONALE_PREFIX = "r_", "why_"
RATING_CHOICES = [(f"{rating.label} ({RATING_POINTS[rating]} points)", rating.value) for rating in Rating]
RECOMMENDATION_COLOUR = {
    Recommendation.GO: "Good",
    Recommendation.REVIEW: "Warning",
    Recommendation.NO_GO: "Attention",
    Recommendation.INCOMPLETE: "Default",
}
WHEN = "%H:%M on %A %d %B %Y"


class FactorSets:
    """The factor sets an evaluation can be started with: built-in ones plus configuration's.

    Set once at start-up by the app (bot/app.py) from Settings.factor_sets(); an evaluation keeps
    a copy of its set, so what is configured only matters when one is started.
    """

    def __init__(self) -> None:
        self._sets: dict[str, FactorSet] | None = None  # the built-in sets until configured

    def configure(self, factor_sets: Mapping[str, FactorSet]) -> None:
        if DEFAULT_FACTOR_SET not in factor_sets:
            raise ValueError(f"the built-in factor set '{DEFAULT_FACTOR_SET}' is missing")
        self._sets = dict(factor_sets)

    def _current(self) -> dict[str, FactorSet]:
        if self._sets is None:
            self._sets = load_factor_sets()
        return self._sets

    def all(self) -> list[FactorSet]:
        return list(self._current().values())

    def get(self, key: str) -> FactorSet | None:
        return self._current().get(key)


FACTOR_SETS = FactorSets()


def configure(factor_sets: Mapping[str, FactorSet]) -> None:
    """Called by the app at start-up with the built-in and administrator-defined factor sets."""
    FACTOR_SETS.configure(factor_sets)


# -- payloads ------------------------------------------------------------------------------------------------


class StartEvaluation(Payload):
    contract_id: int | None = Field(default=None, ge=1)


class EvaluationRef(Payload):
    evaluation_id: int = Field(ge=1)


class ScoreFrom(EvaluationRef):
    start: int = Field(default=0, ge=0, le=MAX_FACTORS)  # the first factor on the card, from 0


class SaveScores(ScoreFrom):
    go_to: int | None = Field(default=None, ge=0, le=MAX_FACTORS)  # the card to show after saving


class FactorView(EvaluationRef):
    index: int = Field(default=0, ge=0, le=MAX_FACTORS)


# -- who may do what -----------------------------------------------------------------------------------------


@dataclass
class Access:
    """What the sender is to this evaluation, worked out on the server for every press."""

    is_lead: bool
    assessor: EvaluationAssessor | None
    may_view: bool


async def _commissioner_side(turn: Turn) -> bool:
    """Works for a commissioning organisation: may start an evaluation of a prospective service."""
    organisation = await turn.repos.people.organisation(turn.person.organisation_id)
    return organisation is not None and organisation.kind == "commissioner"


async def _may_run(turn: Turn, evaluation: Evaluation) -> bool:
    if evaluation.contract_id is not None:
        return turn.may(evaluation.contract_id, Permission.RUN_EVALUATION)
    return turn.person.organisation_id == evaluation.organisation_id and await _commissioner_side(turn)


async def _access(turn: Turn, repo: EvaluationsRepository, evaluation: Evaluation) -> Access:
    may_run = await _may_run(turn, evaluation)
    is_lead = evaluation.lead_id == turn.person.id and may_run
    assessor = await repo.assessor(evaluation.id, turn.person.id)  # type: ignore[arg-type]
    may_view = is_lead or assessor is not None or (evaluation.contract_id is not None and may_run)
    return Access(is_lead=is_lead, assessor=assessor, may_view=may_view)


async def _load(
    turn: Turn, evaluation_id: int, *, lock: bool = False
) -> tuple[EvaluationsRepository, Evaluation]:
    repo = EvaluationsRepository(turn.repos.session)
    evaluation = await repo.get(evaluation_id, lock=lock)
    if evaluation is None:
        raise Refused("That evaluation does not exist.", reason="unknown evaluation")
    return repo, evaluation


async def _as_lead(
    turn: Turn, evaluation_id: int, *, while_open: bool = True
) -> tuple[EvaluationsRepository, Evaluation]:
    """The evaluation, locked, for a change only its lead may make (and, by default, only while it is open)."""
    repo, evaluation = await _load(turn, evaluation_id, lock=True)
    if not (await _access(turn, repo, evaluation)).is_lead:
        raise Refused("Only the lead of this evaluation can do that.", reason=f"not lead:{evaluation.id}")
    if while_open:
        _check_open(turn, evaluation)
    return repo, evaluation


async def _as_assessor(turn: Turn, repo: EvaluationsRepository, evaluation: Evaluation) -> EvaluationAssessor:
    """The sender's invitation to score this evaluation; refused for anyone the lead did not invite."""
    assessor = await repo.assessor(evaluation.id, turn.person.id)  # type: ignore[arg-type]
    if assessor is None:
        raise Refused(
            "Only the people the lead invited can score this evaluation.",
            reason=f"not invited:{evaluation.id}",
        )
    return assessor


def _when(turn: Turn, moment: datetime | None) -> str:
    """A stored moment as people read it, in their zone; empty when there is none."""
    return moment.astimezone(turn.zone).strftime(WHEN) if moment else ""


def _check_open(turn: Turn, evaluation: Evaluation) -> None:
    if evaluation.status == CLOSED:
        raise Refused(
            f"This evaluation was closed at {_when(turn, evaluation.closed_at)} and can no longer be changed.",
            reason=f"closed:{evaluation.id}",
        )


# -- steps: starting -----------------------------------------------------------------------------------------


@router.action("gonogo.list")
async def list_evaluations(turn: Turn, _: object) -> Reply:
    repo = EvaluationsRepository(turn.repos.session)
    evaluations = await repo.involving(turn.person.id)  # type: ignore[arg-type]
    may_start = bool(turn.contracts_where(Permission.RUN_EVALUATION)) or await _commissioner_side(turn)
    if not evaluations and not may_start:
        raise Refused(
            "Go/no-go evaluations are run by the commissioning team; you have not been invited to one.",
            reason="no role",
        )
    rows: list[tuple[Evaluation, str, str]] = []
    for evaluation in evaluations:
        rows.append((evaluation, await repo.subject(evaluation), await _standing(turn, repo, evaluation)))
    return Reply(card=list_card(rows, may_start=may_start))


@router.action("gonogo.start", StartEvaluation)
async def start(turn: Turn, payload: StartEvaluation) -> Reply:
    contracts = _runnable_contracts(turn)
    prospective = await _commissioner_side(turn)
    if not contracts and not prospective:
        raise Refused(
            "Only a commissioner, programme manager or director can start a go/no-go evaluation.",
            reason="no role",
        )
    subject = ""
    if payload.contract_id is not None:
        subject = f"contract:{contract_for(turn, payload.contract_id, Permission.RUN_EVALUATION).id}"
    elif len(contracts) == 1 and not prospective:
        subject = f"contract:{contracts[0].id}"
    values = {"subject": subject, "factor_set": DEFAULT_FACTOR_SET}
    return Reply(card=start_card(contracts, prospective, FACTOR_SETS.all(), values))


@router.action("gonogo.create")
async def create(turn: Turn, _: object) -> Reply:
    contracts = _runnable_contracts(turn)
    prospective_allowed = await _commissioner_side(turn)
    values = {
        "subject": _raw_text(turn.raw.get("subject"), 40),
        "service_name": _raw_text(turn.raw.get("service_name"), 1000),
        "title": _raw_text(turn.raw.get("title"), 1000),
        "factor_set": _raw_text(turn.raw.get("factor_set"), 100),
    }
    errors: dict[str, str] = {}
    contract: Contract | None = None
    service = ""
    subject = values["subject"]
    if subject.startswith("contract:"):
        contract_id = subject.removeprefix("contract:")
        if not contract_id.isdigit() or not 0 < int(contract_id) < 2**31:
            raise Refused("That choice was not on the card.", reason="forged subject")
        contract = contract_for(turn, int(contract_id), Permission.RUN_EVALUATION)
    elif subject == "prospective":
        if not prospective_allowed:
            raise Refused(
                "Only people in a commissioning organisation can evaluate a prospective service.",
                reason="prospective not allowed",
            )
        service = values["service_name"]
        if not service:
            errors["service_name"] = "Name the service you are thinking of commissioning."
        elif len(service) > SERVICE_MAX:
            errors["service_name"] = f"Keep the service name to {SERVICE_MAX} characters or fewer."
    elif not subject:
        errors["subject"] = "Choose a contract, or a prospective service."
    else:
        raise Refused("That choice was not on the card.", reason="forged subject")
    title = values["title"]
    if not title:
        errors["title"] = "Give the evaluation a name, for example “Re-procure the service from April 2027?”"
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Keep the name to {TITLE_MAX} characters or fewer."
    factor_set = FACTOR_SETS.get(values["factor_set"])
    if factor_set is None:
        errors["factor_set"] = "Choose one of the factor sets."
    if errors or factor_set is None:
        return Reply(
            card=start_card(contracts, prospective_allowed, FACTOR_SETS.all(), values, errors), replace=True
        )
    repo = EvaluationsRepository(turn.repos.session)
    contract_id = contract.id if contract else None
    existing = await repo.find_open(
        lead_id=turn.person.id,  # type: ignore[arg-type]
        contract_id=contract_id,
        prospective_service=service,
        title=title,
    )
    if existing is not None:  # a double click, or the same evaluation started twice: keep one
        return await _progress_reply(
            turn, repo, existing, note="You already have this evaluation open, so here it is."
        )
    evaluation = await repo.create(
        title=title,
        contract_id=contract_id,
        prospective_service=service,
        organisation_id=contract.commissioner_org_id if contract else turn.person.organisation_id,
        lead_id=turn.person.id,  # type: ignore[arg-type]
        factor_set=factor_set,
        now=turn.now,
    )
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="evaluation.started",
        entity="evaluation",
        entity_id=evaluation.id,
        contract_id=contract_id,
        after={
            "title": title,
            "contract_id": contract_id,
            "prospective_service": service,
            "factor_set": factor_set.key,
            "thresholds": evaluation.factor_set["thresholds"],
        },
    )
    return await _progress_reply(
        turn, repo, evaluation, note="Evaluation started. Now invite the people who will score it."
    )


# -- steps: the lead -----------------------------------------------------------------------------------------


@router.action("gonogo.open", EvaluationRef)
async def open_evaluation(turn: Turn, payload: EvaluationRef) -> Reply:
    repo, evaluation = await _load(turn, payload.evaluation_id)
    access = await _access(turn, repo, evaluation)
    if not access.may_view:
        raise Refused("You are not part of that evaluation.", reason=f"not involved:{evaluation.id}")
    if evaluation.status == CLOSED:
        return await _result_reply(turn, repo, evaluation)
    if access.is_lead:
        return await _progress_reply(turn, repo, evaluation)
    if access.assessor is not None:
        return await _form_reply(turn, repo, evaluation, 0)
    lead = await turn.repos.people.person(evaluation.lead_id)
    raise Refused(
        f"This evaluation is still open. Its result is shared when {plain(lead.name if lead else 'the lead')} "
        "closes it.",
        reason=f"open:{evaluation.id}",
    )


@router.action("gonogo.invite", EvaluationRef)
async def invite(turn: Turn, payload: EvaluationRef) -> Reply:
    repo, evaluation = await _as_lead(turn, payload.evaluation_id)
    chosen = _chosen_ids(turn.raw.get("assessors"))
    if not chosen:
        return await _progress_reply(
            turn, repo, evaluation, errors={"assessors": "Choose at least one person to invite."}
        )
    eligible = {person.id: person for person in await repo.organisation_people(evaluation.organisation_id)}
    if any(person_id not in eligible for person_id in chosen):
        raise Refused(
            "Assessors are chosen from the commissioning organisation's people.",
            reason=f"assessor outside organisation:{evaluation.id}",
        )
    already = [person for _, person in await repo.assessors(evaluation.id)]  # type: ignore[arg-type]
    invited = {p.id for p in already}
    new = [eligible[i] for i in chosen if i not in invited]
    if len(already) + len(new) > MAX_ASSESSORS:
        return await _progress_reply(
            turn,
            repo,
            evaluation,
            errors={"assessors": f"An evaluation can have at most {MAX_ASSESSORS} assessors."},
        )
    subject = await repo.subject(evaluation)
    factor_set = factor_set_of(evaluation)
    for person in new:
        await repo.invite(evaluation.id, person.id, by_id=turn.person.id, now=turn.now)  # type: ignore[arg-type]
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
        f"Invited {_names(p.name for p in new)}. Each has been sent a card to score with."
        if new
        else "Everyone you chose was already invited."
    )
    return await _progress_reply(turn, repo, evaluation, note=note, notify=bool(new))


@router.action("gonogo.remind", EvaluationRef)
async def remind(turn: Turn, payload: EvaluationRef) -> Reply:
    """Remind assessors who have not scored every factor; at most once a day each (the outbox key)."""
    repo, evaluation = await _as_lead(turn, payload.evaluation_id)
    factor_set = factor_set_of(evaluation)
    total = len(factor_set.factors)
    progress = await repo.progress(evaluation.id)  # type: ignore[arg-type]
    waiting = [
        (assessor, person)
        for assessor, person in await repo.assessors(evaluation.id)  # type: ignore[arg-type]
        if len(progress.get(person.id, set())) < total  # type: ignore[arg-type]
    ]
    if not waiting:
        return await _progress_reply(turn, repo, evaluation, note="Everyone invited has scored every factor.")
    subject = await repo.subject(evaluation)
    today = turn.local_now.date().isoformat()
    sent: list[str] = []
    earlier: list[str] = []
    for assessor, person in waiting:
        scored = len(progress.get(person.id, set()))  # type: ignore[arg-type]
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
    parts = []
    if sent:
        parts.append(f"Reminded {_names(sent)}.")
    if earlier:
        parts.append(f"{_names(earlier)} {'was' if len(earlier) == 1 else 'were'} already reminded today.")
    return await _progress_reply(turn, repo, evaluation, note=" ".join(parts), notify=bool(sent))


@router.action("gonogo.close", EvaluationRef)
async def close(turn: Turn, payload: EvaluationRef) -> Reply:
    repo, evaluation = await _as_lead(turn, payload.evaluation_id)
    return Reply(card=await _close_card(turn, repo, evaluation), replace=True)


@router.action("gonogo.close.confirm", EvaluationRef)
async def close_confirmed(turn: Turn, payload: EvaluationRef) -> Reply:
    repo, evaluation = await _as_lead(turn, payload.evaluation_id, while_open=False)
    if evaluation.status == CLOSED:  # a second click: the first one closed it and told everyone
        return await _result_reply(turn, repo, evaluation)
    result, names = await repo.result(evaluation)
    if not result.complete:
        return Reply(card=await _close_card(turn, repo, evaluation), replace=True)
    summary = {
        "recommendation": result.recommendation.value,
        "total": str(result.total),
        "maximum": str(result.maximum),
        "share": str(result.share),
        "assessors": [int(a) for a in result.assessors],
        "disagreements": list(result.disagreements),
        "drivers": [driver.factor.key for driver in result.drivers],
    }
    if not await repo.close(evaluation, by_id=turn.person.id, now=turn.now, result=summary):  # type: ignore[arg-type]
        return await _result_reply(turn, repo, evaluation)
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
    reply = await _result_reply(turn, repo, evaluation, result=result, names=names)
    for _, person in await repo.assessors(evaluation.id):  # type: ignore[arg-type]
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


# -- steps: the assessors ------------------------------------------------------------------------------------


@router.action("gonogo.score", ScoreFrom)
async def score(turn: Turn, payload: ScoreFrom) -> Reply:
    repo, evaluation = await _load(turn, payload.evaluation_id)
    await _as_assessor(turn, repo, evaluation)
    if evaluation.status == CLOSED:
        return await _result_reply(
            turn, repo, evaluation, note="This evaluation is closed; here is the result."
        )
    return await _form_reply(turn, repo, evaluation, payload.start)


@router.action("gonogo.save", SaveScores)
async def save(turn: Turn, payload: SaveScores) -> Reply:
    repo, evaluation = await _load(turn, payload.evaluation_id, lock=True)
    assessor = await _as_assessor(turn, repo, evaluation)
    _check_open(turn, evaluation)
    factor_set = factor_set_of(evaluation)
    # exactly the factors whose inputs the card carried: pages depend on how long rationales are
    submitted = [
        factor
        for factor in factor_set.factors
        if RATING_PREFIX + factor.key in turn.raw or RATIONALE_PREFIX + factor.key in turn.raw
    ]
    stored = {s.factor_key: s for s in await repo.current_scores(evaluation.id, turn.person.id)}  # type: ignore[arg-type]
    entries: dict[str, tuple[str, str]] = {}
    errors: dict[str, str] = {}
    changes: dict[str, tuple[Rating, str]] = {}
    for factor in submitted:
        given = _raw_text(turn.raw.get(RATING_PREFIX + factor.key), 20)
        rationale = _raw_text(
            turn.raw.get(RATIONALE_PREFIX + factor.key), 2 * MAX_RATIONALE_LENGTH, strip=False
        )
        previous = stored.get(factor.key)
        rating_text = given or (previous.rating if previous else "")
        entries[factor.key] = (rating_text, rationale)
        if not rating_text and not rationale.strip():
            continue  # not scored yet: fine while saving part-way
        problem = validate_score(rating_text, rationale)
        if problem:
            errors[factor.key] = problem
            continue
        rating = parse_rating(rating_text)
        assert rating is not None
        if previous is None or previous.rating != rating.value or previous.rationale != rationale.strip():
            changes[factor.key] = (rating, rationale.strip())
    if errors:
        return await _form_reply(
            turn, repo, evaluation, payload.start, entries=entries, errors=errors, factors=submitted
        )
    if not changes:
        note = "Nothing had changed since your last save."
    else:
        try:
            await repo.record_scores(evaluation.id, turn.person.id, changes, now=turn.now)  # type: ignore[arg-type]
        except ScoreConflict:
            return await _form_reply(
                turn,
                repo,
                evaluation,
                payload.start,
                entries=entries,
                factors=submitted,
                errors={
                    "_form": "Your scores were saved from somewhere else at the same moment. "
                    "Your entries are kept below: check them and save again."
                },
            )
        turn.repos.audit.record(
            at=turn.now,
            actor_id=turn.person.id,
            action="evaluation.scored",
            entity="evaluation",
            entity_id=evaluation.id,
            contract_id=evaluation.contract_id,
            before={key: _score_json(stored.get(key)) for key in changes},
            after={key: {"rating": r.value, "rationale": why} for key, (r, why) in changes.items()},
        )
        assessor.last_scored_at = turn.now
        count = len(changes)
        note = f"Saved {count} score{'s' if count != 1 else ''} at {turn.local_now:%H:%M}."
    notify = False
    scored = set(stored) | set(changes)
    if len(scored) == len(factor_set.factors) and assessor.finished_at is None:
        assessor.finished_at = turn.now
        notify = await _tell_lead_finished(turn, repo, evaluation)
    turn.repos.session.add(assessor)
    start = payload.go_to if payload.go_to is not None else payload.start
    reply = await _form_reply(turn, repo, evaluation, start, note=note)
    reply.notify = notify
    return reply


@router.action("gonogo.rationales", FactorView)
async def rationales(turn: Turn, payload: FactorView) -> Reply:
    repo, evaluation = await _load(turn, payload.evaluation_id)
    if not (await _access(turn, repo, evaluation)).may_view:
        raise Refused("You are not part of that evaluation.", reason=f"not involved:{evaluation.id}")
    if evaluation.status != CLOSED:
        raise Refused(
            "Scores and their rationales are shown once the lead closes the evaluation, so that each "
            "assessor scores independently.",
            reason=f"open:{evaluation.id}",
        )
    result, names = await repo.result(evaluation)
    index = min(payload.index, len(result.factors) - 1)
    return Reply(card=rationale_card(evaluation, result, names, index), replace=True)


# -- helpers -------------------------------------------------------------------------------------------------


def _runnable_contracts(turn: Turn) -> list[Contract]:
    return sorted(turn.contracts_where(Permission.RUN_EVALUATION), key=lambda c: c.name)


def _raw_text(value: object, limit: int, *, strip: bool = True) -> str:
    """A card input as bounded text; anything that is not text or a number counts as empty."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    result = str(value)[:limit]
    return result.strip() if strip else result


def _chosen_ids(value: object) -> list[int]:
    """Person ids from a multi-select ("3,7,12"). Raises Refused for anything a real card cannot send."""
    raw = _raw_text(value, 2000)
    ids: list[int] = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 0 < int(part) < 2**31:
            raise Refused("That choice was not on the card.", reason="forged assessor id")
        if int(part) not in ids:
            ids.append(int(part))
    return ids


def _names(names: Iterable[str]) -> str:
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _missing_counts(result: EvaluationResult) -> Counter[str]:
    """How many factors each assessor has left unscored, for those with any gap, in assessor order."""
    return Counter(assessor for assessor, _ in result.missing_scores)


def _score_json(score: Any) -> dict[str, str] | None:
    return {"rating": score.rating, "rationale": score.rationale} if score is not None else None


def _points(value: Fraction | None) -> str:
    """Points for people: whole numbers as they are, anything else to two places (6.5, 21.67)."""
    if value is None:
        return "–"
    if value.denominator == 1:
        return str(value.numerator)
    return format(as_decimal(value, 2).normalize(), "f")


def card_bytes(card_json: dict[str, Any]) -> int:
    """A card's size as the Teams limit is checked: compact JSON with non-ASCII escaped."""
    return len(json.dumps(card_json, separators=(",", ":")).encode("utf-8"))


def _signed(value: Fraction) -> str:
    return f"+{_points(value)}" if value > 0 else f"-{_points(-value)}" if value < 0 else "0"


def plan_page(factors: Sequence[Factor], start: int, fits: Callable[[list[Factor]], bool]) -> list[Factor]:
    """The factors for one scoring card, from `start`: as many as `fits` allows, up to FACTORS_PER_PAGE,
    taking a new group whole or leaving it for the next card; always at least one factor."""
    start = max(0, min(start, len(factors) - 1))
    page = [factors[start]]
    i = start + 1
    while i < len(factors):
        step = [factors[i]]
        if factors[i].group != factors[i - 1].group:
            group = [f for f in factors[i:] if f.group == factors[i].group]
            step = group if len(group) <= FACTORS_PER_PAGE else step
        candidate = page + step
        if len(candidate) > FACTORS_PER_PAGE or not fits(candidate):
            break
        page = candidate
        i += len(step)
    return page


def page_starts(factors: Sequence[Factor], fits: Callable[[list[Factor]], bool]) -> list[int]:
    """Where each scoring card begins when paging from the first factor."""
    starts = [0]
    while (end := starts[-1] + len(plan_page(factors, starts[-1], fits))) < len(factors):
        starts.append(end)
    return starts


async def _standing(turn: Turn, repo: EvaluationsRepository, evaluation: Evaluation) -> str:
    """One line on where the evaluation stands for this person, for the list."""
    if evaluation.status == CLOSED:
        label = Recommendation(evaluation.result.get("recommendation", "incomplete")).label
        return f"Closed: {label}"
    role = "you lead it" if evaluation.lead_id == turn.person.id else "you are an assessor"
    if await repo.assessor(evaluation.id, turn.person.id) is None:  # type: ignore[arg-type]
        return f"Open: {role}"
    mine = await repo.current_scores(evaluation.id, turn.person.id)  # type: ignore[arg-type]
    return f"Open: {role}; you have scored {len(mine)} of {len(factor_set_of(evaluation).factors)}"


async def _tell_lead_finished(turn: Turn, repo: EvaluationsRepository, evaluation: Evaluation) -> bool:
    """Tell the lead when an assessor first has a score on every factor."""
    if evaluation.lead_id == turn.person.id:
        return False
    total = len(factor_set_of(evaluation).factors)
    progress = await repo.progress(evaluation.id)  # type: ignore[arg-type]  # this save included
    assessors = await repo.assessors(evaluation.id)  # type: ignore[arg-type]
    finished = sum(1 for _, person in assessors if len(progress.get(person.id, set())) >= total)  # type: ignore[arg-type]
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


async def _progress_reply(
    turn: Turn,
    repo: EvaluationsRepository,
    evaluation: Evaluation,
    *,
    note: str | None = None,
    errors: dict[str, str] | None = None,
    notify: bool = False,
) -> Reply:
    factor_set = factor_set_of(evaluation)
    assessors = await repo.assessors(evaluation.id)  # type: ignore[arg-type]
    progress = await repo.progress(evaluation.id)  # type: ignore[arg-type]
    invited = {person.id for _, person in assessors}
    candidates = [
        p for p in await repo.organisation_people(evaluation.organisation_id) if p.id not in invited
    ]
    lead = await turn.repos.people.person(evaluation.lead_id)
    return Reply(
        card=progress_card(
            evaluation,
            await repo.subject(evaluation),
            factor_set,
            lead_name=lead.name if lead else "",
            lead_id=evaluation.lead_id,
            assessors=assessors,
            progress=progress,
            candidates=candidates[:INVITE_CHOICES_MAX],
            started=_when(turn, evaluation.created_at),
            note=note,
            errors=errors or {},
        ),
        replace=True,
        notify=notify,
    )


async def _form_reply(
    turn: Turn,
    repo: EvaluationsRepository,
    evaluation: Evaluation,
    start: int,
    *,
    entries: dict[str, tuple[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    note: str | None = None,
    factors: list[Factor] | None = None,
) -> Reply:
    """The scoring card from factor `start`; `factors` re-shows exactly the card the assessor sent."""
    factor_set = factor_set_of(evaluation)
    stored = {s.factor_key: s for s in await repo.current_scores(evaluation.id, turn.person.id)}  # type: ignore[arg-type]
    shown = {key: (score.rating, score.rationale) for key, score in stored.items()}
    shown.update(entries or {})
    lead = await turn.repos.people.person(evaluation.lead_id)
    subject = await repo.subject(evaluation)

    def build(
        page: list[Factor], previous: int | None = None, following: int | None = None
    ) -> dict[str, Any]:
        return score_card(
            evaluation,
            subject,
            factor_set,
            page,
            shown,
            lead_name=lead.name if lead else "the lead",
            scored=len(stored),
            errors=errors or {},
            note=note,
            previous=previous,
            following=following,
        )

    def fits(page: list[Factor]) -> bool:
        return card_bytes(build(page, 0, 0)) <= CARD_BUDGET

    every = list(factor_set.factors)
    page = factors or plan_page(every, start, fits)
    first = every.index(page[0])
    following = first + len(page) if first + len(page) < len(every) else None
    earlier = [s for s in page_starts(every, fits) if s < first]
    return Reply(card=build(page, earlier[-1] if earlier else None, following), replace=True)


async def _result_reply(
    turn: Turn,
    repo: EvaluationsRepository,
    evaluation: Evaluation,
    *,
    result: EvaluationResult | None = None,
    names: dict[str, str] | None = None,
    note: str | None = None,
) -> Reply:
    if result is None or names is None:
        result, names = await repo.result(evaluation)
    closer = await turn.repos.people.person(evaluation.closed_by_id) if evaluation.closed_by_id else None
    closed = _when(turn, evaluation.closed_at)
    return Reply(
        card=result_card(
            evaluation,
            await repo.subject(evaluation),
            result,
            names,
            closed=f"{closed} by {closer.name}" if closer else closed,
            note=note,
        ),
        replace=True,
    )


async def _close_card(turn: Turn, repo: EvaluationsRepository, evaluation: Evaluation) -> dict[str, Any]:
    result, names = await repo.result(evaluation)
    factor_set = result.factor_set
    missing = _missing_counts(result)
    return close_card(
        evaluation,
        await repo.subject(evaluation),
        unscored=[factor_set.factor(key).text for key in result.unscored],
        unfinished=[(names.get(a, a), count) for a, count in missing.items()],
        assessors=len(result.assessors),
    )


# -- cards ---------------------------------------------------------------------------------------------------


def _title_block(evaluation: Evaluation, subject: str, prefix: str) -> list[dict[str, Any]]:
    return [
        heading(f"{prefix}: {plain(evaluation.title)}"),
        text(plain(subject), weight="Bolder", spacing="None"),
    ]


def _action_set(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"type": "ActionSet", "actions": list(actions)}


def list_card(rows: list[tuple[Evaluation, str, str]], *, may_start: bool) -> dict[str, Any]:
    body: list[dict[str, Any]] = [heading("Go/no-go evaluations")]
    if not rows:
        body.append(text("You are not part of any evaluation yet."))
    for evaluation, subject, standing in rows:
        body.append(
            container(
                [
                    text(plain(evaluation.title), weight="Bolder"),
                    subtle(plain(subject)),
                    subtle(standing),
                    _action_set(execute("Open", "gonogo.open", {"evaluation_id": evaluation.id})),
                ],
                separator=True,
                spacing="Medium",
            )
        )
    actions = [execute("Start a new evaluation", "gonogo.start", style="positive")] if may_start else []
    return card(body, actions)


def start_card(
    contracts: list[Contract],
    prospective: bool,
    factor_sets: list[FactorSet],
    values: dict[str, str],
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    errors = errors or {}
    subjects = [(c.name[:100], f"contract:{c.id}") for c in contracts]
    if prospective:
        subjects.append(("A prospective service, not yet commissioned", "prospective"))

    body: list[dict[str, Any]] = [
        heading("Start a go/no-go evaluation"),
        text(
            "Weigh re-procuring a service against staying as you are. The people you invite score each "
            "factor Negative (3 points), Neutral (6) or Positive (10); Steward adds up the scores and "
            "recommends go, review or no-go."
        ),
    ]
    if errors:
        body.append(
            text(
                "Please correct the entries below. Nothing has been saved yet.",
                color="Attention",
                weight="Bolder",
            )
        )
    body += [
        field(
            input_choice(
                "subject", "What is it about?", subjects, values.get("subject", ""), placeholder="Choose"
            ),
            errors.get("subject"),
            spacing="Medium",
        ),
        field(
            input_text(
                "service_name",
                "Prospective service (when it is not a current contract)",
                values.get("service_name", ""),
                max_length=SERVICE_MAX,
            ),
            errors.get("service_name"),
            spacing="Medium",
        ),
        field(
            input_text(
                "title",
                "Name of the evaluation",
                values.get("title", ""),
                max_length=TITLE_MAX,
                placeholder="For example: Re-procure the service from April 2027?",
            ),
            errors.get("title"),
            spacing="Medium",
        ),
        field(
            input_choice(
                "factor_set",
                "Factor set",
                [(f"{s.name[:80]} ({len(s.factors)} factors)", s.key) for s in factor_sets],
                values.get("factor_set", ""),
            ),
            errors.get("factor_set"),
            "The factors assessors will score. Administrators can add factor sets in configuration.",
            spacing="Medium",
        ),
    ]
    return card(body, [execute("Start evaluation", "gonogo.create", style="positive")])


def progress_card(
    evaluation: Evaluation,
    subject: str,
    factor_set: FactorSet,
    *,
    lead_name: str,
    lead_id: int,
    assessors: list[tuple[EvaluationAssessor, Person]],
    progress: dict[int, set[str]],
    candidates: list[Person],
    started: str,
    note: str | None,
    errors: dict[str, str],
) -> dict[str, Any]:
    """The lead's card: who has scored how much (never what), invite, remind, close."""
    total = len(factor_set.factors)
    ref = {"evaluation_id": evaluation.id}
    body = _title_block(evaluation, subject, "Go/no-go")
    body.append(
        facts(
            [
                ("Factor set", f"{plain(factor_set.name)} ({total} factors)"),
                ("Lead", plain(lead_name)),
                ("Started", started),
                ("Status", "Open: scores can change until you close it"),
            ]
        )
    )
    if note:
        body.append(text(note, color="Good", size="Small"))
    body.append(text("Assessors", weight="Bolder", size="Medium", separator=True))
    unfinished = 0
    if not assessors:
        body.append(
            text("Nobody has been invited yet. Choose assessors below; each gets a card to score with.")
        )
    for _, person in assessors:
        count = len(progress.get(person.id, set()))  # type: ignore[arg-type]
        if count >= total:
            status = "Finished"
        else:
            unfinished += 1
            status = "Not started" if count == 0 else f"{count} of {total} scored"
        name = plain(person.name) + (" (you)" if person.id == lead_id else "")
        body.append(
            columns(
                ([text(name, spacing="None")], "stretch"),
                ([text(status, spacing="None", color="Good" if count >= total else "Default")], "auto"),
            )
        )
    if assessors:
        scored_keys = set().union(*progress.values()) if progress else set()
        nobody = [factor for factor in factor_set.factors if factor.key not in scored_keys]
        if nobody:
            body.append(subtle(f"{len(nobody)} of {total} factors have no score from anyone yet."))
        body.append(
            subtle(
                "Scores stay hidden until you close the evaluation, so each assessor scores independently."
            )
        )
    may_invite = len(assessors) < MAX_ASSESSORS and bool(candidates)
    invite_items: list[dict[str, Any]] = []
    if may_invite:
        choice = input_choice(
            "assessors",
            "Invite assessors",
            [(plain(p.name) + (" (you)" if p.id == lead_id else ""), str(p.id)) for p in candidates],
            expanded=len(candidates) <= 10,
        )
        choice["isMultiSelect"] = True
        invite_items.append(choice)
    if "assessors" in errors:
        invite_items.append(error_text(errors["assessors"]))
    actions: list[dict[str, Any]] = []
    if invite_items:
        body.append(container(invite_items, spacing="Large"))
    if may_invite:
        actions.append(execute("Invite", "gonogo.invite", ref, style="positive"))
    if any(person.id == lead_id for _, person in assessors):
        actions.append(execute("Score it yourself", "gonogo.score", {**ref, "start": 0}))
    if unfinished:
        actions.append(execute(f"Remind {unfinished} not finished", "gonogo.remind", ref))
    if assessors:
        actions.append(execute("Close and share the result", "gonogo.close", ref))
    actions.append(execute("Refresh", "gonogo.open", ref))
    return card(body, actions)


def invitation_card(
    evaluation: Evaluation, subject: str, factor_set: FactorSet, *, lead: str
) -> dict[str, Any]:
    body = _title_block(evaluation, subject, "Please score")
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
    return card(
        body,
        [
            execute(
                "Score now", "gonogo.score", {"evaluation_id": evaluation.id, "start": 0}, style="positive"
            )
        ],
    )


def reminder_card(
    evaluation: Evaluation, subject: str, scored: int, total: int, *, lead: str
) -> dict[str, Any]:
    body = _title_block(evaluation, subject, "Reminder")
    body.append(
        text(
            f"You have scored {scored} of {total} factors. {plain(lead)} would like every assessor's "
            "scores before closing the evaluation."
        )
    )
    return card(
        body,
        [
            execute(
                "Score now", "gonogo.score", {"evaluation_id": evaluation.id, "start": 0}, style="positive"
            )
        ],
    )


def finished_card(evaluation: Evaluation, who: str, finished: int, invited: int) -> dict[str, Any]:
    body = [
        heading(f"{plain(who)} has scored every factor"),
        text(plain(evaluation.title), weight="Bolder", spacing="None"),
        text(f"{finished} of {invited} assessors have finished."),
    ]
    return card(body, [execute("See progress", "gonogo.open", {"evaluation_id": evaluation.id})])


def score_card(
    evaluation: Evaluation,
    subject: str,
    factor_set: FactorSet,
    page: Sequence[Factor],
    shown: dict[str, tuple[str, str]],
    *,
    lead_name: str,
    scored: int,
    errors: dict[str, str],
    note: str | None,
    previous: int | None = None,
    following: int | None = None,
) -> dict[str, Any]:
    """An assessor's scoring form for one page of factors, showing what they entered or last saved."""
    total = len(factor_set.factors)
    body = _title_block(evaluation, subject, "Score")
    body.append(
        text(
            "Score each factor Negative (3 points), Neutral (6) or Positive (10) and say why; a Negative "
            f"needs a rationale. Save part-way and come back any time: you can change your scores until "
            f"{plain(lead_name)} closes the evaluation."
        )
    )
    numbers = {factor.key: n for n, factor in enumerate(factor_set.factors, start=1)}
    if len(page) < total:
        body.append(subtle(f"Factors {numbers[page[0].key]} to {numbers[page[-1].key]} of {total}"))
    if note:
        body.append(text(note, color="Good", size="Small"))
    factor_errors = {key: message for key, message in errors.items() if key != "_form"}
    if factor_errors:
        count = len(factor_errors)
        body.append(
            text(
                f"Please correct {count} score{'s' if count != 1 else ''} below. Nothing has been saved yet.",
                color="Attention",
                weight="Bolder",
            )
        )
    if "_form" in errors:
        body.append(error_text(errors["_form"]))
    group_names = {group.key: group.name for group in factor_set.groups}
    last_group = None
    for factor in page:
        if factor.group != last_group:
            body.append(
                text(plain(group_names[factor.group]), weight="Bolder", size="Medium", separator=True)
            )
            last_group = factor.group
        rating, rationale = shown.get(factor.key, ("", ""))
        weight = f" (weight {_points(factor.weight)})" if factor.weight != 1 else ""
        items = [
            input_choice(
                RATING_PREFIX + factor.key,
                f"{numbers[factor.key]}. {plain(factor.text, 400)}{weight}",
                RATING_CHOICES,
                rating if parse_rating(rating) else "",
                placeholder="Choose a score",
            ),
            input_text(
                RATIONALE_PREFIX + factor.key,
                "Rationale (needed for a Negative)",
                rationale,
                multiline=True,
                max_length=MAX_RATIONALE_LENGTH,
            ),
        ]
        if factor.key in errors:
            items.append(error_text(errors[factor.key]))
        body.append(container(items, spacing="Medium"))
    body.append(subtle(f"You have scored {scored} of {total} factors."))
    start = numbers[page[0].key] - 1
    ref = {"evaluation_id": evaluation.id, "start": start}
    actions = [execute("Save scores", "gonogo.save", {**ref, "go_to": start}, style="positive")]
    if following is not None:
        actions.append(execute("Save and go to the next factors", "gonogo.save", {**ref, "go_to": following}))
    if previous is not None:
        actions.append(execute("Save and go back", "gonogo.save", {**ref, "go_to": previous}))
    return card(body, actions)


def close_card(
    evaluation: Evaluation,
    subject: str,
    *,
    unscored: list[str],
    unfinished: list[tuple[str, int]],
    assessors: int,
) -> dict[str, Any]:
    ref = {"evaluation_id": evaluation.id}
    body = _title_block(evaluation, subject, "Close")
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
            text(f"• {plain(name)}: {count} factor{'s' if count != 1 else ''} not scored", spacing="None")
            for name, count in unfinished
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


def _recommendation_reason(result: EvaluationResult) -> str:
    thresholds = result.thresholds
    return (
        f"{_points(result.total)} of {_points(result.maximum)} points: {format_share(result.share)} of the "
        f"maximum. Go at {format_share(thresholds.go_at_least)} or more, no-go below "
        f"{format_share(thresholds.no_go_below)}, review in between."
    )


def result_card(
    evaluation: Evaluation,
    subject: str,
    result: EvaluationResult,
    names: dict[str, str],
    *,
    closed: str,
    note: str | None = None,
) -> dict[str, Any]:
    """The decision record: recommendation, totals per group, drivers, and every factor's scores.

    Each factor shows who scored what; for a large set with many assessors that would not fit a Teams
    message, so the card falls back to counting the scores per factor (the rationale cards and the
    export still name everyone), and then to shortening the factors' wording.
    """
    for level in range(3):
        built = _result_card(evaluation, subject, result, names, closed=closed, note=note, level=level)
        if card_bytes(built) <= CARD_BUDGET:
            break
    return built


def _result_card(
    evaluation: Evaluation,
    subject: str,
    result: EvaluationResult,
    names: dict[str, str],
    *,
    closed: str,
    note: str | None,
    level: int,
) -> dict[str, Any]:
    ref = {"evaluation_id": evaluation.id}
    limit = 2000 if level < 2 else 100
    body = _title_block(evaluation, subject, "Go/no-go result")
    if note:
        body.append(text(note, color="Attention", size="Small"))
    recommendation = result.recommendation
    body.append(
        container(
            [
                text(
                    f"Recommendation: {recommendation.label}",
                    size="ExtraLarge",
                    weight="Bolder",
                    color=RECOMMENDATION_COLOUR[recommendation],
                ),
                text(_recommendation_reason(result), spacing="Small"),
            ],
            style="emphasis",
            spacing="Medium",
        )
    )
    totals = [
        (
            plain(group.group.name),
            f"{_points(group.total)} of {_points(group.maximum)} ({format_share(group.share)})",
        )
        for group in result.groups
    ]
    totals.append(
        ("Overall", f"{_points(result.total)} of {_points(result.maximum)} ({format_share(result.share)})")
    )
    body.append(facts(totals))
    if result.drivers:
        body.append(text("What drives the result most", weight="Bolder", separator=True))
        for driver in result.drivers:
            body.append(
                text(
                    f"• {plain(driver.factor.text)}: {driver.direction.value}, "
                    f"{_signed(driver.deviation)} points against Neutral",
                    spacing="None",
                )
            )
    disagreements = result.disagreements
    body.append(
        text(
            f"Assessors disagree widely on {len(disagreements)} factor{'s' if len(disagreements) != 1 else ''}: "
            "discuss them before acting on the result."
            if disagreements
            else "No factor has a Negative beside a Positive.",
            color="Attention" if disagreements else "Default",
            spacing="Small",
        )
    )
    body.append(text("Scores by factor", weight="Bolder", size="Medium", separator=True))
    if level:
        body.append(subtle("Scores are counted here; Read the rationales shows who gave each."))
    for factor_result in result.factors:
        factor = factor_result.factor
        if level:
            counts = [sum(1 for s in factor_result.scores if s.rating is rating) for rating in Rating]
            scores = ", ".join(f"{rating.label} {n}" for rating, n in zip(Rating, counts, strict=True) if n)
        else:
            scores = ", ".join(
                f"{plain(names.get(score.assessor, score.assessor))}: {score.rating.label}"
                for score in factor_result.scores
            )
        weight = f", weight {_points(factor.weight)}" if factor.weight != 1 else ""
        items = [
            text(plain(factor.text, limit), weight="Bolder"),
            text(scores or "Not scored", spacing="None"),
            subtle(f"Mean {_points(factor_result.mean)}{weight}"),
        ]
        if factor_result.wide_disagreement:
            items.append(
                text("⚠ Wide disagreement: a Negative beside a Positive", color="Attention", spacing="None")
            )
        body.append(container(items, spacing="Small"))
    missing = _missing_counts(result)
    people = [
        (
            plain(names.get(a, a), limit),
            "every factor" if a not in missing else f"{missing[a]} factors not scored",
        )
        for a in result.assessors
    ]
    body.append(text("Assessors", weight="Bolder", separator=True))
    body.append(facts(people))
    if closed:
        body.append(facts([("Closed", closed)]))
    body.append(
        subtle(
            f"Evaluation {evaluation.id}. The rationale for every score is kept; an administrator can export "
            f"it all with: steward evaluation export {evaluation.id} --format xlsx --out evaluation-{evaluation.id}.xlsx"
        )
    )
    return card(
        body,
        [
            execute("Read the rationales", "gonogo.rationales", {**ref, "index": 0}),
            execute("Back to the list", "gonogo.list"),
        ],
    )


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
        subtle(f"{plain(group.name)}. Mean {_points(factor_result.mean)}"),
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
