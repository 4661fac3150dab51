"""The go/no-go journey in one table: its cards, each verb's payload and step, what each card offers.

The router is built from the table, so a verb is routed exactly when it is listed here.
"""

from __future__ import annotations

from dialogs.base import NoPayload, Router
from dialogs.flow import Card, Verb, route
from dialogs.gonogo.payloads import (
    DownloadRef,
    EvaluationRef,
    FactorView,
    SaveScores,
    ScoreFrom,
    StartEvaluation,
)
from dialogs.gonogo.steps import closing, inviting, opening, scoring, starting

LIST = Card("evaluations", ("gonogo.open", "gonogo.start"))
START = Card("start", ("gonogo.create",))
# The lead's card offers what the evaluation's state allows (dialogs/gonogo/cards/progress.py).
PROGRESS = Card("progress", ("gonogo.invite", "gonogo.score", "gonogo.remind", "gonogo.close", "gonogo.open"))
SCORING = Card("scoring", ("gonogo.save",))
CLOSE = Card("close", ("gonogo.close.confirm", "gonogo.open"))
RESULT = Card("result", ("gonogo.download", "gonogo.rationales", "gonogo.list"))
RATIONALES = Card("rationales", ("gonogo.rationales", "gonogo.open"))
INVITATION = Card("invitation", ("gonogo.score",))
REMINDER = Card("reminder", ("gonogo.score",))
FINISHED = Card("assessor finished", ("gonogo.open",))  # to the lead

FLOW: tuple[Verb, ...] = (
    Verb("gonogo.list", NoPayload, starting.list_evaluations, (LIST,)),
    Verb("gonogo.start", StartEvaluation, starting.start, (START,)),
    Verb("gonogo.create", NoPayload, starting.create, (START, PROGRESS)),
    Verb("gonogo.open", EvaluationRef, opening.open_evaluation, (RESULT, PROGRESS, SCORING)),
    Verb("gonogo.invite", EvaluationRef, inviting.invite, (PROGRESS,), sends=(INVITATION,)),
    Verb("gonogo.remind", EvaluationRef, inviting.remind, (PROGRESS,), sends=(REMINDER,)),
    Verb("gonogo.close", EvaluationRef, closing.close, (CLOSE,)),
    Verb("gonogo.close.confirm", EvaluationRef, closing.close_confirmed, (RESULT, CLOSE), sends=(RESULT,)),
    Verb("gonogo.score", ScoreFrom, scoring.score, (RESULT, SCORING)),
    Verb("gonogo.save", SaveScores, scoring.save, (SCORING,), sends=(FINISHED,)),
    Verb("gonogo.rationales", FactorView, opening.rationales, (RATIONALES,)),
    Verb("gonogo.download", DownloadRef, opening.download, (RESULT,)),
)

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
route(router, FLOW)
