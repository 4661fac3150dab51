"""The KPI return's journey in one table: its cards, each verb's payload and step, what each card offers."""

from __future__ import annotations

from dialogs.base import Router
from dialogs.flow import Card, Verb, route
from dialogs.kpi_return.payloads import KpiReturnForm, KpiReturnRef, StartKpiReturn
from dialogs.kpi_return.steps import opening, submitting

PICKER = Card("contract picker", ("kpi_return.open",))
FORM = Card("form", ("kpi_return.submit",))
ALREADY_SUBMITTED = Card("already submitted", ("kpi_return.amend",))
RECEIPT = Card("receipt", ("kpi_return.amend",))
# The commissioner's and programme manager's card opens the KPI card (dialogs/quarter).
REVIEW = Card("review", ("quarter.card",))

FLOW: tuple[Verb, ...] = (
    Verb("kpi_return.start", StartKpiReturn, opening.start, (PICKER, FORM, ALREADY_SUBMITTED)),
    Verb("kpi_return.open", KpiReturnRef, opening.open_return, (FORM, ALREADY_SUBMITTED)),
    Verb("kpi_return.amend", KpiReturnRef, opening.amend, (FORM,)),
    Verb("kpi_return.submit", KpiReturnForm, submitting.submit, (RECEIPT, FORM), sends=(REVIEW,)),
)

router = Router("kpi_return")
router.command(
    "kpi_return.start",
    "submit kpi return",
    "kpi return",
    "quarterly kpi return",
    "submit a kpi return",
    help_text="Submit or amend the quarter's KPI return: the results reported each quarter, with evidence",
)
route(router, FLOW)
