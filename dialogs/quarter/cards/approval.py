"""The approval part of the KPI card: approved (who, when, how much, why), or what approving needs."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from commissioning.quarter.approval import REASON_MAX
from dialogs.cards import container, error_text, execute, facts, input_text, plain, subtle, text
from dialogs.common import when_text
from dialogs.quarter.cards.words import money
from dialogs.quarter.context import KpiCardView
from dialogs.quarter.payloads import AMOUNT, REASON


def blocked_sentence(gaps: list[str]) -> str:
    return (
        "The payment cannot be approved until the evidence checklist is complete: "
        f"{', '.join(gaps)} {'is' if len(gaps) == 1 else 'are'} not checked yet. Mark each one complete, "
        "or sign off the gap with a reason, and save the checklist."
    )


def what(view: KpiCardView) -> str:
    """What the approval is of: the outcome payment, or the quarter's payment when a fee or PbR is part of it."""
    summary = view.worked.summary
    return "Outcome payment" if summary.fee is None and summary.pbr is None else "Quarter's payment"


def approval_section(view: KpiCardView, zone: ZoneInfo, errors: dict[str, str]) -> list[dict[str, Any]]:
    approval = view.worked.approval
    if approval is not None:
        pairs = [
            ("Approved", money(approval.amount_pence)),
            ("By", plain(view.names.get(approval.approved_by_id, ""))),
            ("At", when_text(approval.approved_at, zone)),
            ("Computed", money(approval.computed_pence)),
        ]
        if approval.reason:
            pairs.append(("Reason", plain(approval.reason)))
        return [container([text(f"{what(view)} approved", weight="Bolder"), facts(pairs)], spacing="Large")]
    items: list[dict[str, Any]] = [text(f"Approve the {what(view).lower()}", weight="Bolder")]
    gaps = view.gaps
    if gaps:
        items.append(text(blocked_sentence(gaps), color="Attention"))
    if "_approval" in errors:
        items.append(error_text(errors["_approval"]))
    if not view.may_approve:
        items.append(subtle("Only the contract's commissioner can approve the payment."))
        return [container(items, spacing="Large")]
    items += [
        input_text(AMOUNT, "Adjusted amount (£), if not the computed one", view.entries.get(AMOUNT, "")),
        *([error_text(errors[AMOUNT])] if AMOUNT in errors else []),
        input_text(
            REASON,
            "Reason for the adjusted amount",
            view.entries.get(REASON, ""),
            multiline=True,
            max_length=REASON_MAX,
        ),
        *([error_text(errors[REASON])] if REASON in errors else []),
    ]
    ref = {"contract_id": view.contract.id, "quarter": view.quarter.key}
    buttons = []
    computed = view.worked.summary.total_pence
    if computed is not None:
        buttons.append(
            execute(
                f"Approve {money(computed)} as computed",
                "quarter.approve",
                {**ref, "adjusted": False},
                style="positive",
            )
        )
    buttons.append(execute("Approve the adjusted amount", "quarter.approve", {**ref, "adjusted": True}))
    items.append({"type": "ActionSet", "actions": buttons})
    return [container(items, spacing="Large")]
