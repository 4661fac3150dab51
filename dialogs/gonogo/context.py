"""What every go/no-go step starts from: the evaluation loaded, who the sender is to it, the raw inputs read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from commissioning.roles import Permission
from dialogs.base import Refused, Turn
from dialogs.inputs import input_text
from storage.evaluation_models import Evaluation, EvaluationAssessor
from storage.evaluations import EvaluationsRepository
from storage.models import Contract
from storage.statuses import EvaluationStatus

WHEN = "%H:%M on %A %d %B %Y"


@dataclass
class Access:
    """What the sender is to this evaluation, worked out on the server for every press."""

    is_lead: bool
    assessor: EvaluationAssessor | None
    may_view: bool


@dataclass(frozen=True)
class Loaded:
    """The evaluation a press is about, and the repository it was read through."""

    repo: EvaluationsRepository
    evaluation: Evaluation


async def commissioner_side(turn: Turn) -> bool:
    """Works for a commissioning organisation: may start an evaluation of a prospective service."""
    organisation = await turn.repos.contracts.organisation(turn.person.organisation_id)
    return organisation is not None and organisation.kind == "commissioner"


async def _may_run(turn: Turn, evaluation: Evaluation) -> bool:
    if evaluation.contract_id is not None:
        return turn.may(evaluation.contract_id, Permission.RUN_EVALUATION)
    return turn.person.organisation_id == evaluation.organisation_id and await commissioner_side(turn)


async def access(turn: Turn, repo: EvaluationsRepository, evaluation: Evaluation) -> Access:
    may_run = await _may_run(turn, evaluation)
    is_lead = evaluation.lead_id == turn.person.id and may_run
    assessor = await repo.assessor(evaluation.id, turn.person.id)
    may_view = is_lead or assessor is not None or (evaluation.contract_id is not None and may_run)
    return Access(is_lead=is_lead, assessor=assessor, may_view=may_view)


async def readable(turn: Turn, evaluation_id: int) -> Loaded:
    """A closed evaluation the sender may view: its result, rationales and export. Refused otherwise.

    The download route asks this again when a link is opened, so a link stops working with the access.
    """
    loaded = await load(turn, evaluation_id)
    evaluation = loaded.evaluation
    if not (await access(turn, loaded.repo, evaluation)).may_view:
        raise refuse_outsider(evaluation)
    if evaluation.status != EvaluationStatus.CLOSED:
        raise Refused(
            "Scores and their rationales are shown once the lead closes the evaluation, so that each "
            "assessor scores independently.",
            reason=f"open:{evaluation.id}",
        )
    return loaded


async def load(turn: Turn, evaluation_id: int, *, lock: bool = False) -> Loaded:
    repo = turn.repos.evaluations
    evaluation = await repo.get(evaluation_id, lock=lock)
    if evaluation is None:
        raise Refused("That evaluation does not exist.", reason="unknown evaluation")
    return Loaded(repo, evaluation)


async def as_lead(turn: Turn, evaluation_id: int, *, while_open: bool = True) -> Loaded:
    """The evaluation, locked, for a change only its lead may make (and, by default, only while it is open)."""
    loaded = await load(turn, evaluation_id, lock=True)
    evaluation = loaded.evaluation
    if not (await access(turn, loaded.repo, evaluation)).is_lead:
        raise Refused("Only the lead of this evaluation can do that.", reason=f"not lead:{evaluation.id}")
    if while_open:
        check_open(turn, evaluation)
    return loaded


async def as_assessor(turn: Turn, repo: EvaluationsRepository, evaluation: Evaluation) -> EvaluationAssessor:
    """The sender's invitation to score this evaluation; refused for anyone the lead did not invite."""
    assessor = await repo.assessor(evaluation.id, turn.person.id)
    if assessor is None:
        raise Refused(
            "Only the people the lead invited can score this evaluation.",
            reason=f"not invited:{evaluation.id}",
        )
    return assessor


def refuse_outsider(evaluation: Evaluation) -> Refused:
    return Refused("You are not part of that evaluation.", reason=f"not involved:{evaluation.id}")


def when(turn: Turn, moment: datetime | None) -> str:
    """A stored moment as people read it, in their zone; empty when there is none."""
    return moment.astimezone(turn.zone).strftime(WHEN) if moment else ""


def check_open(turn: Turn, evaluation: Evaluation) -> None:
    if evaluation.status == EvaluationStatus.CLOSED:
        raise Refused(
            f"This evaluation was closed at {when(turn, evaluation.closed_at)} and can no longer be changed.",
            reason=f"closed:{evaluation.id}",
        )


def runnable_contracts(turn: Turn) -> list[Contract]:
    return sorted(turn.contracts_where(Permission.RUN_EVALUATION), key=lambda c: c.name)


def card_text(raw: Mapping[str, Any], key: str, limit: int, *, strip: bool = True) -> str:
    """A card input as text cut to `limit` characters, then trimmed; a boolean counts as empty.

    Read through dialogs/inputs.py, keeping what go/no-go has always done where that reader differs:
    there a boolean reads as "true"/"false" and the text is trimmed before it is cut, one over its limit.
    """
    if isinstance(raw.get(key), bool):
        return ""
    cut = input_text(raw, key, limit - 1, strip=False)  # input_text keeps one over its limit: `limit` in all
    return cut.strip() if strip else cut


def chosen_ids(raw: Mapping[str, Any], key: str) -> list[int]:
    """Person ids from a multi-select ("3,7,12"). Raises Refused for anything a real card cannot send."""
    ids: list[int] = []
    for part in card_text(raw, key, 2000).split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 0 < int(part) < 2**31:
            raise Refused("That choice was not on the card.", reason="forged assessor id")
        if int(part) not in ids:
            ids.append(int(part))
    return ids


def names_text(names: Iterable[str]) -> str:
    """'Ann', 'Ann and Bob', 'Ann, Bob and Cy'."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
