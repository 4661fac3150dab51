"""The improvement journey in one table: plans, CIP items, change requests and answers to a rating.

The router is built from the table, so a verb is routed exactly when it is listed here.
"""

from __future__ import annotations

from dialogs.base import NoPayload, Router
from dialogs.flow import Card, Verb, route
from dialogs.improvement.payloads import (
    ChangeRaise,
    ChangeRef,
    CipAdd,
    CipRef,
    CipStepRef,
    ContractPick,
    KpiRatingOpen,
    KpiRatingRef,
    PipAgree,
    PipOpen,
    PipRef,
    PipStepRef,
    RatingOpen,
    RatingRule,
)
from dialogs.improvement.steps import changes, cip, kpi_ratings, pips, ratings

PIPS = Card("plans", ("improve.pip_view", "improve.pip_open"))
PICKER_PIP = Card("contract picker for a plan", ("improve.pip_open",))
PIP_FORM = Card("plan form", ("improve.pip_agree",))
PIP = Card(
    "plan",
    ("improve.pip_step", "improve.pip_on_track", "improve.pip_missed", "improve.pip_close", "improve.pips"),
)
CIP_PICKER = Card("contract picker for the CIP", ("improve.cip",))
CIP_LIST = Card("continuous improvement plan", ("improve.cip_view", "improve.cip_new"))
CIP_FORM = Card("CIP item form", ("improve.cip_add",))
CIP_ITEM = Card("CIP item", ("improve.cip_step", "improve.cip_progress", "improve.cip_done", "improve.cip"))
CHANGES_PICKER = Card("contract picker for changes", ("improve.changes",))
CHANGES = Card("change requests", ("improve.change_view", "improve.change_new"))
CHANGE_FORM = Card("change request form", ("improve.change_raise",))
CHANGE = Card(
    "change request",
    (
        "improve.change_agree",
        "improve.change_decline",
        "improve.change_approve",
        "improve.change_refuse",
        "improve.change_withdraw",
        "improve.changes",
    ),
)
RATING_FORM = Card("answer to a rating form", ("improve.rating_send",))
KPI_RATING_FORM = Card("answer to a KPI's rating form", ("improve.kpi_rating_send",))
RATING = Card("answer to a rating", ("improve.rating_rule", "return.view", "quarter.card"))
# Built here, shown on other journeys' cards: "Open a plan" for a flagged miss on a meeting's agenda and
# minutes (dialogs/meetings), "Answer a rating" on a return the provider views (dialogs/monthly_return).
FLAGGED_MISS = Card("flagged miss on an agenda or the minutes", ("improve.pip_open",))
RETURN_RATING = Card("red or amber rating on a return", ("improve.rating_open",))
# "Answer this rating" beside a red or amber KPI on the KPI card the provider views (dialogs/quarter).
KPI_RATING = Card("red or amber KPI on the KPI card", ("improve.kpi_rating_open",))

FLOW: tuple[Verb, ...] = (
    Verb("improve.pips", NoPayload, pips.listing, (PIPS,)),
    Verb("improve.pip_open", PipOpen, pips.open_form, (PICKER_PIP, PIP_FORM)),
    Verb("improve.pip_agree", PipAgree, pips.agree, (PIP_FORM, PIP), sends=(PIP,)),
    Verb("improve.pip_view", PipRef, pips.view, (PIP,)),
    Verb("improve.pip_step", PipStepRef, pips.step_done, (PIP,)),
    Verb("improve.pip_on_track", PipRef, pips.on_track, (PIP,)),
    Verb("improve.pip_missed", PipRef, pips.missed, (PIP,)),
    Verb("improve.pip_close", PipRef, pips.close, (PIP,)),
    Verb("improve.cip", ContractPick, cip.listing, (CIP_PICKER, CIP_LIST)),
    Verb("improve.cip_new", CipAdd, cip.new_form, (CIP_FORM,)),
    Verb("improve.cip_add", CipAdd, cip.add, (CIP_FORM, CIP_ITEM), sends=(CIP_ITEM,)),
    Verb("improve.cip_view", CipRef, cip.view, (CIP_ITEM,)),
    Verb("improve.cip_step", CipStepRef, cip.step_done, (CIP_ITEM,)),
    Verb("improve.cip_progress", CipRef, cip.progress, (CIP_ITEM,)),
    Verb("improve.cip_done", CipRef, cip.done, (CIP_ITEM,)),
    Verb("improve.changes", ContractPick, changes.listing, (CHANGES_PICKER, CHANGES)),
    Verb("improve.change_new", ChangeRaise, changes.new_form, (CHANGE_FORM,)),
    Verb("improve.change_raise", ChangeRaise, changes.raise_change, (CHANGE_FORM, CHANGE), sends=(CHANGE,)),
    Verb("improve.change_view", ChangeRef, changes.view, (CHANGE,)),
    Verb("improve.change_agree", ChangeRef, changes.agree, (CHANGE,), sends=(CHANGE,)),
    Verb("improve.change_decline", ChangeRef, changes.decline, (CHANGE,), sends=(CHANGE,)),
    Verb("improve.change_withdraw", ChangeRef, changes.withdraw, (CHANGE,)),
    Verb("improve.change_approve", ChangeRef, changes.approve, (CHANGE,), sends=(CHANGE,)),
    Verb("improve.change_refuse", ChangeRef, changes.refuse, (CHANGE,), sends=(CHANGE,)),
    Verb("improve.rating_open", RatingOpen, ratings.open_form, (RATING_FORM,)),
    Verb("improve.rating_send", RatingOpen, ratings.send, (RATING_FORM, RATING), sends=(RATING,)),
    Verb("improve.rating_rule", RatingRule, ratings.rule, (RATING,), sends=(RATING,)),
    Verb("improve.kpi_rating_open", KpiRatingOpen, kpi_ratings.open_form, (KPI_RATING_FORM,)),
    Verb(
        "improve.kpi_rating_send", KpiRatingRef, kpi_ratings.send, (KPI_RATING_FORM, RATING), sends=(RATING,)
    ),
)

router = Router("improvement")
router.command(
    "improve.pips",
    "pips",
    "plans",
    "improvement plans",
    help_text="Performance improvement plans: their actions and milestones, on track, missed or closed",
)
router.command(
    "improve.pip_open",
    "open pip",
    "new pip",
    "agree a plan",
    help_text="Agree a performance improvement plan for a missed indicator: the level, by when, its steps",
)
router.command(
    "improve.cip",
    "cip",
    "continuous improvement plan",
    "improvement plan",
    help_text="The continuous improvement plan: review, add and update its items",
)
router.command(
    "improve.changes",
    "change request",
    "change requests",
    "changes",
    help_text="Change requests: raise one, agree an informal one, approve a formal one (the director)",
)
route(router, FLOW)
