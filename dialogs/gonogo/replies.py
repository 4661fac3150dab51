"""The replies several steps end with: the lead's progress card, a scoring card, the result, the close card."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from commissioning.gonogo import EvaluationResult, Factor
from dialogs.base import Reply, Turn
from dialogs.gonogo.cards.close import Unfinished, close_card
from dialogs.gonogo.cards.parts import missing_counts
from dialogs.gonogo.cards.progress import ProgressView, progress_card
from dialogs.gonogo.cards.result import DownloadOffer, result_card
from dialogs.gonogo.cards.scoring import Entry, ScoreView, score_card
from dialogs.gonogo.context import Loaded, when
from dialogs.gonogo.paging import CARD_BUDGET, card_bytes, page_starts, plan_page
from dialogs.gonogo.payloads import INVITE_CHOICES_MAX
from storage.evaluations import factor_set_of


async def progress_reply(
    turn: Turn,
    loaded: Loaded,
    *,
    note: str | None = None,
    errors: dict[str, str] | None = None,
    notify: bool = False,
) -> Reply:
    repo, evaluation = loaded.repo, loaded.evaluation
    factor_set = factor_set_of(evaluation)
    assessors = await repo.assessors(evaluation.id)
    progress = await repo.progress(evaluation.id)
    invited = {person.id for _, person in assessors}
    candidates = [
        p for p in await repo.organisation_people(evaluation.organisation_id) if p.id not in invited
    ]
    lead = await turn.repos.people.person(evaluation.lead_id)
    view = ProgressView(
        evaluation,
        await repo.subject(evaluation),
        factor_set,
        lead_name=lead.name if lead else "",
        lead_id=evaluation.lead_id,
        assessors=assessors,
        progress=progress,
        candidates=candidates[:INVITE_CHOICES_MAX],
        started=when(turn, evaluation.created_at),
        note=note,
        errors=errors or {},
    )
    return Reply(card=progress_card(view), replace=True, notify=notify)


async def form_reply(
    turn: Turn,
    loaded: Loaded,
    start: int,
    *,
    entries: dict[str, Entry] | None = None,
    errors: dict[str, str] | None = None,
    note: str | None = None,
    factors: list[Factor] | None = None,
) -> Reply:
    """The scoring card from factor `start`; `factors` re-shows exactly the card the assessor sent."""
    repo, evaluation = loaded.repo, loaded.evaluation
    factor_set = factor_set_of(evaluation)
    stored = {s.factor_key: s for s in await repo.current_scores(evaluation.id, turn.person.id)}
    shown = {key: Entry(score.rating, score.rationale) for key, score in stored.items()}
    shown.update(entries or {})
    lead = await turn.repos.people.person(evaluation.lead_id)
    every = list(factor_set.factors)
    view = ScoreView(
        evaluation,
        await repo.subject(evaluation),
        factor_set,
        every,
        shown,
        lead_name=lead.name if lead else "the lead",
        scored=len(stored),
        errors=errors or {},
        note=note,
        lead=evaluation.lead_id == turn.person.id,
    )

    def fits(page: list[Factor]) -> bool:
        return card_bytes(score_card(replace(view, page=page, previous=0, following=0))) <= CARD_BUDGET

    page = factors or plan_page(every, start, fits)
    first = every.index(page[0])
    following = first + len(page) if first + len(page) < len(every) else None
    earlier = [s for s in page_starts(every, fits) if s < first]
    shown_page = replace(view, page=page, previous=earlier[-1] if earlier else None, following=following)
    return Reply(card=score_card(shown_page), replace=True)


async def result_reply(
    turn: Turn,
    loaded: Loaded,
    *,
    result: EvaluationResult | None = None,
    names: dict[str, str] | None = None,
    note: str | None = None,
    download: DownloadOffer | None = None,
) -> Reply:
    repo, evaluation = loaded.repo, loaded.evaluation
    if result is None or names is None:
        result, names = await repo.result(evaluation)
    closer = await turn.repos.people.person(evaluation.closed_by_id) if evaluation.closed_by_id else None
    closed = when(turn, evaluation.closed_at)
    return Reply(
        card=result_card(
            evaluation,
            await repo.subject(evaluation),
            result,
            names,
            closed=f"{closed} by {closer.name}" if closer else closed,
            note=note,
            download=download,
        ),
        replace=True,
    )


async def closing_card(loaded: Loaded) -> dict[str, Any]:
    """The close card: what is still unscored or unfinished before the result is shared."""
    repo, evaluation = loaded.repo, loaded.evaluation
    result, names = await repo.result(evaluation)
    factor_set = result.factor_set
    missing = missing_counts(result)
    return close_card(
        evaluation,
        await repo.subject(evaluation),
        unscored=[factor_set.factor(key).text for key in result.unscored],
        unfinished=[Unfinished(names.get(a, a), count) for a, count in missing.items()],
        assessors=len(result.assessors),
    )
