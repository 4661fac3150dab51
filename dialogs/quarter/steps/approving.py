"""Approving the quarter's outcome payment: the commissioner only, the checklist complete, recorded once, audited."""

from __future__ import annotations

from commissioning.quarter.approval import decide_amount
from commissioning.roles import Role
from dialogs.base import Reply, Turn
from dialogs.inputs import input_text
from dialogs.quarter.cards.approval import blocked_sentence
from dialogs.quarter.cards.kpi_card import kpi_card
from dialogs.quarter.cards.told import payment_approved_card
from dialogs.quarter.context import APPROVE, KpiCardView, contract_and_quarter, load_view
from dialogs.quarter.payloads import AMOUNT, REASON, ApprovePayment
from storage.models import Contract
from storage.quarter import AlreadyApproved, NewApproval
from storage.quarter_models import OutcomeApproval

FIELDS = {"amount": AMOUNT, "reason": REASON, "_form": "_approval"}
PROVIDER = frozenset({Role.PROVIDER_CONTACT, Role.HEAD_OF_SERVICE})


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
    summary = view.worked.summary
    most, ceiling = most_payable(view)
    decided = decide_amount(
        summary.total_pence,
        most,
        adjusted=payload.adjusted,
        amount=entries[AMOUNT],
        reason=entries[REASON],
        ceiling=ceiling,
    )
    if decided.errors or decided.amount_pence is None:
        errors = {FIELDS[key]: message for key, message in decided.errors.items()}
        return Reply(card=kpi_card(view, turn.zone, errors=errors), replace=True)
    approval = NewApproval(summary.total_pence, decided.amount_pence, decided.reason)
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
    await _tell_provider(turn, contract, quarter.label, row)
    approved = await load_view(turn, contract, quarter)
    note = "Outcome payment approved. The provider has been told."
    return Reply(card=kpi_card(approved, turn.zone, note=note), replace=True, notify=True)


def most_payable(view: KpiCardView) -> tuple[int, str]:
    """The most an adjusted amount can be: the pot; with a fee or PbR, the pot (if there are KPIs), the fee
    and PbR's payments before penalties."""
    summary, payment = view.worked.summary, view.worked.payment
    if summary.fee is None and summary.pbr is None:
        return payment.pot_pence, "the quarter's pot"
    most = payment.pot_pence if payment.lines else 0
    most += summary.fee.fee_pence if summary.fee is not None else 0
    results = summary.pbr.results if summary.pbr is not None else None
    if results is not None:
        most += results.binary.payment_pence + results.frequency.payment_pence
    return most, "what the quarter's parts can pay before penalties"


async def _tell_provider(turn: Turn, contract: Contract, label: str, row: OutcomeApproval) -> None:
    """The provider contact and head of service are sent the approved amount, once each."""
    told = await turn.repos.people.people_with_roles(contract.id, PROVIDER)
    card = payment_approved_card(contract, label, row, turn.person.name, turn.zone)
    summary = f"{contract.name}: {label} outcome payment approved"
    for person in told:
        await turn.repos.outbox.enqueue(
            key=f"outcome_payment.approved:{row.id}:{person.id}",
            kind="outcome_payment.approved",
            recipient_id=person.id,
            contract_id=contract.id,
            now=turn.now,
            payload={"card": card, "summary": summary},
        )
