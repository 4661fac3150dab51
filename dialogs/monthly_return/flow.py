"""The monthly return's journey in one table: its cards, each verb's payload and step, what each card offers.

The router is built from the table, so a verb is routed exactly when it is listed here.
"""

from __future__ import annotations

from dialogs.base import Router
from dialogs.flow import Card, Verb, route
from dialogs.monthly_return.payloads import (
    MonthChoice,
    RefreshReturn,
    ReturnForm,
    ReturnList,
    ReturnRef,
    StartReturn,
    ViewReturn,
)
from dialogs.monthly_return.steps import draft, listing, opening, refreshing, submitting, viewing

PICKER = Card("contract picker", ("return.open",))
FORM = Card("form", ("return.submit", "return.save", "return.months"))
ALREADY_SUBMITTED = Card("already submitted", ("return.amend", "return.view", "return.months"))
RECEIPT = Card("receipt", ("return.view", "return.amend"))
# The provider viewing a return with a red or amber rating can answer it (dialogs/improvement).
REVIEW = Card("review", ("return.view", "improve.rating_open"))
# The reviewers' card on a first receipt also offers to schedule the review meeting (dialogs/meetings).
REVIEW_ON_RECEIPT = Card("review on receipt", ("meeting.schedule", "return.view"))
# The contract team's channel gets the return read-only; Teams refreshes it for each of the contract's people
# into the view their role allows (cards/shared.py), kept refreshing.
SHARED = Card("shared return", ("return.view_refresh",))
ROLE_VIEW = Card("shared return, role view", ("return.view_refresh", "return.amend", "meeting.schedule"))
RETURNS_PICKER = Card("returns picker", ("return.list",))
# A provider's rows open a month not yet in; everyone's rows view a received one.
RETURNS = Card("returns", ("return.view", "return.open", "return.list"))
MONTH_CHOICE = Card("month choice", ("return.open", "return.list"))

FLOW: tuple[Verb, ...] = (
    Verb("return.start", StartReturn, opening.start, (PICKER, FORM, ALREADY_SUBMITTED)),
    Verb("return.open", ReturnRef, opening.open_return, (FORM, ALREADY_SUBMITTED)),
    Verb("return.amend", ReturnRef, opening.amend, (FORM,)),
    Verb("return.save", ReturnForm, draft.save_draft, (FORM,)),
    Verb(
        "return.submit",
        ReturnForm,
        submitting.submit,
        (RECEIPT, FORM),
        sends=(REVIEW_ON_RECEIPT, REVIEW, SHARED),
    ),
    Verb("return.view", ViewReturn, viewing.view, (REVIEW,)),
    Verb("return.view_refresh", RefreshReturn, refreshing.view_refresh, (ROLE_VIEW,)),
    Verb("return.list", ReturnList, listing.returns, (RETURNS_PICKER, RETURNS)),
    Verb("return.months", MonthChoice, listing.months, (MONTH_CHOICE,)),
)

router = Router("monthly_return")
router.command(
    "return.start",
    "submit return",
    "submit a return",
    "monthly return",
    "return",
    help_text="Submit, continue or amend a monthly performance return, for any month that is due",
)
router.command(
    "return.list",
    "my returns",
    "returns",
    "past returns",
    "return history",
    "contract returns",
    help_text="A contract's monthly returns: each month received, late, amended or missing",
)
route(router, FLOW)
