"""The decision record: recommendation, totals per group, drivers, and every factor's scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commissioning.download_links import FileFormat
from commissioning.gonogo import EvaluationResult, Rating, Recommendation, format_share
from dialogs.cards import card, container, execute, facts, plain, subtle, text
from dialogs.gonogo.cards.parts import missing_counts, points, signed, title_block
from dialogs.gonogo.paging import CARD_BUDGET, card_bytes
from storage.evaluation_models import Evaluation

RECOMMENDATION_COLOUR = {
    Recommendation.GO: "Good",
    Recommendation.REVIEW: "Warning",
    Recommendation.NO_GO: "Attention",
    Recommendation.INCOMPLETE: "Default",
}

FORMAT_LABEL: dict[FileFormat, str] = {"xlsx": "Excel", "csv": "CSV"}


@dataclass(frozen=True)
class DownloadOffer:
    """A fresh link for the person who pressed Download: the file, its URL, and until when it works."""

    fmt: FileFormat
    filename: str
    url: str
    until: str


def result_card(
    evaluation: Evaluation,
    subject: str,
    result: EvaluationResult,
    names: dict[str, str],
    *,
    closed: str,
    note: str | None = None,
    download: DownloadOffer | None = None,
) -> dict[str, Any]:
    """The decision record: recommendation, totals per group, drivers, and every factor's scores.

    Each factor shows who scored what; for a large set with many assessors that would not fit a Teams
    message, so the card falls back to counting the scores per factor (the rationale cards and the
    export still name everyone), and then to shortening the factors' wording.
    """
    for level in range(3):
        built = _result_card(
            evaluation, subject, result, names, closed=closed, note=note, download=download, level=level
        )
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
    download: DownloadOffer | None,
    level: int,
) -> dict[str, Any]:
    ref = {"evaluation_id": evaluation.id}
    limit = 2000 if level < 2 else 100
    body = title_block(evaluation, subject, "Go/no-go result")
    if note:
        body.append(text(note, color="Attention", size="Small"))
    if download is not None:
        body.append(_download_block(download))
    body.append(_recommendation(result))
    body.append(facts(_totals(result)))
    body += _drivers_and_disagreements(result)
    body.append(text("Scores by factor", weight="Bolder", size="Medium", separator=True))
    if level:
        body.append(subtle("Scores are counted here; Read the rationales shows who gave each."))
    body += _factor_scores(result, names, counted=bool(level), limit=limit)
    body.append(text("Assessors", weight="Bolder", separator=True))
    body.append(facts(_assessors(result, names, limit)))
    if closed:
        body.append(facts([("Closed", closed)]))
    body.append(
        subtle(
            f"Evaluation {evaluation.id}. The rationale for every score is kept: Download (Excel) gives the "
            "summary, the factors and every score with its rationale; Download (CSV) gives the scores."
        )
    )
    return card(
        body,
        [
            *(
                execute(f"Download ({label})", "gonogo.download", {**ref, "file_format": fmt})
                for fmt, label in FORMAT_LABEL.items()
            ),
            execute("Read the rationales", "gonogo.rationales", {**ref, "index": 0}),
            execute("Back to the list", "gonogo.list"),
        ],
    )


def _download_block(download: DownloadOffer) -> dict[str, Any]:
    """The link itself: opened in the browser, it works for the person who pressed, until it expires."""
    return container(
        [
            text(f"Your {FORMAT_LABEL[download.fmt]} file is ready", weight="Bolder"),
            {
                "type": "ActionSet",
                "actions": [
                    {"type": "Action.OpenUrl", "title": f"Open {download.filename}", "url": download.url}
                ],
            },
            subtle(
                f"This link is yours and works until {download.until}. Anyone you pass it to could use it "
                "until then, so keep it to yourself; press Download again for a new one."
            ),
        ],
        style="emphasis",
        spacing="Medium",
    )


def _recommendation_reason(result: EvaluationResult) -> str:
    thresholds = result.thresholds
    return (
        f"{points(result.total)} of {points(result.maximum)} points: {format_share(result.share)} of the "
        f"maximum. Go at {format_share(thresholds.go_at_least)} or more, no-go below "
        f"{format_share(thresholds.no_go_below)}, review in between."
    )


def _recommendation(result: EvaluationResult) -> dict[str, Any]:
    recommendation = result.recommendation
    return container(
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


def _totals(result: EvaluationResult) -> list[tuple[str, str]]:
    totals = [
        (
            plain(group.group.name),
            f"{points(group.total)} of {points(group.maximum)} ({format_share(group.share)})",
        )
        for group in result.groups
    ]
    totals.append(
        ("Overall", f"{points(result.total)} of {points(result.maximum)} ({format_share(result.share)})")
    )
    return totals


def _factor_and_direction(factor_text: str, direction: str) -> str:
    """A factor's wording and its direction, punctuated once: "…value for money? Towards go"."""
    if factor_text.endswith(("?", "!", ".")):
        return f"{factor_text} {direction[:1].upper()}{direction[1:]}"
    return f"{factor_text}: {direction}"


def _drivers_and_disagreements(result: EvaluationResult) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = []
    if result.drivers:
        body.append(text("What drives the result most", weight="Bolder", separator=True))
        for driver in result.drivers:
            body.append(
                text(
                    f"• {_factor_and_direction(plain(driver.factor.text), driver.direction.value)}, "
                    f"{signed(driver.deviation)} points against Neutral",
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
    return body


def _factor_scores(
    result: EvaluationResult, names: dict[str, str], *, counted: bool, limit: int
) -> list[dict[str, Any]]:
    """Each factor's scores: who gave what, or (`counted`) how many of each rating."""
    body: list[dict[str, Any]] = []
    for factor_result in result.factors:
        factor = factor_result.factor
        if counted:
            counts = [sum(1 for s in factor_result.scores if s.rating is rating) for rating in Rating]
            scores = ", ".join(f"{rating.label} {n}" for rating, n in zip(Rating, counts, strict=True) if n)
        else:
            scores = ", ".join(
                f"{plain(names.get(score.assessor, score.assessor))}: {score.rating.label}"
                for score in factor_result.scores
            )
        weight = f", weight {points(factor.weight)}" if factor.weight != 1 else ""
        items = [
            text(plain(factor.text, limit), weight="Bolder"),
            text(scores or "Not scored", spacing="None"),
            subtle(f"Mean {points(factor_result.mean)}{weight}"),
        ]
        if factor_result.wide_disagreement:
            items.append(
                text("⚠ Wide disagreement: a Negative beside a Positive", color="Attention", spacing="None")
            )
        body.append(container(items, spacing="Small"))
    return body


def _assessors(result: EvaluationResult, names: dict[str, str], limit: int) -> list[tuple[str, str]]:
    missing = missing_counts(result)
    return [
        (
            plain(names.get(a, a), limit),
            "every factor" if a not in missing else f"{missing[a]} factors not scored",
        )
        for a in result.assessors
    ]
