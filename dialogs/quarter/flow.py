"""The KPI card's journey in one table: its cards, each verb's payload and step, what each card offers."""

from __future__ import annotations

from dialogs.base import Router
from dialogs.flow import Card, Verb, route
from dialogs.quarter.payloads import ApprovePayment, QuarterRef, StartQuarter
from dialogs.quarter.steps import approving, checking, viewing

PICKER = Card("contract picker", ("quarter.card",))
KPI_CARD = Card("KPI card", ("quarter.evidence", "quarter.approve"))
PAYMENT_APPROVED = Card("payment approved, to the provider", ())

FLOW: tuple[Verb, ...] = (
    Verb("quarter.start", StartQuarter, viewing.start, (PICKER, KPI_CARD)),
    Verb("quarter.card", QuarterRef, viewing.show, (KPI_CARD,)),
    Verb("quarter.evidence", QuarterRef, checking.save_checklist, (KPI_CARD,)),
    Verb("quarter.approve", ApprovePayment, approving.approve, (KPI_CARD,), sends=(PAYMENT_APPROVED,)),
)

router = Router("quarter")
router.command(
    "quarter.start",
    "kpi card",
    "quarter",
    "the quarter",
    "outcome payment",
    help_text="The quarter's KPI card: results, the outcome payment and why, the evidence checklist, approval",
)
route(router, FLOW)
