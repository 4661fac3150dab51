"""Approving the quarter's outcome payment: the commissioner only, the checklist complete, recorded once, audited."""

from __future__ import annotations

from commissioning.quarter.approval import decide_amount
from dialogs.base import Reply, Turn
from dialogs.inputs import input_text
from dialogs.quarter.cards.approval import blocked_sentence
from dialogs.quarter.cards.kpi_card import kpi_card
from dialogs.quarter.context import APPROVE, contract_and_quarter, load_view
from dialogs.quarter.payloads import AMOUNT, REASON, ApprovePayment
from storage.quarter import AlreadyApproved, NewApproval

FIELDS = {"amount": AMOUNT, "reason": REASON, "_form": "_approval"}


async def approve(turn: Turn, payload: ApprovePayment) -> Reply:
    contract, quarter = contract_and_quarter(turn, payload.contract_id, payload.quarter, APPROVE)
    entries = {AMOUNT: input_text(turn.raw, AMOUNT, 40), REASON: input_text(turn.raw, REASON, 2000)}
    view = await load_view(turn, contract, quarter, entries)
    if view.worked.approval is not None:
        note = "This quarter's payment was approved already; nothing more was recorded."
        return Reply(card=kpi_card(view, turn.zone, note=note), replace=True)
    if view.gaps:
        errors = {"_approval": blocked_sentence(view.gaps)}
        return Reply(card=kpi_card(view, turn.zone, errors=errors), replace=True)
    payment = view.worked.payment
    decided = decide_amount(
        payment.payment_pence,
        payment.pot_pence,
        adjusted=payload.adjusted,
        amount=entries[AMOUNT],
        reason=entries[REASON],
    )
    if decided.errors or decided.amount_pence is None:
        errors = {FIELDS[key]: message for key, message in decided.errors.items()}
        return Reply(card=kpi_card(view, turn.zone, errors=errors), replace=True)
    approval = NewApproval(payment.payment_pence, decided.amount_pence, decided.reason)
    try:
        row = await turn.repos.quarter.approve(
            contract.id, quarter, approval, by_id=turn.person.id, now=turn.now
        )
    except AlreadyApproved:
        again = await load_view(turn, contract, quarter)
        note = "This quarter's payment was approved already; nothing more was recorded."
        return Reply(card=kpi_card(again, turn.zone, note=note), replace=True)
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="outcome_payment.approved",
        entity="outcome_approval",
        entity_id=row.id,
        contract_id=contract.id,
        after={
            "quarter": quarter.key,
            "computed_pence": row.computed_pence,
            "amount_pence": row.amount_pence,
            "reason": row.reason,
        },
    )
    approved = await load_view(turn, contract, quarter)
    return Reply(card=kpi_card(approved, turn.zone, note="Outcome payment approved."), replace=True)
