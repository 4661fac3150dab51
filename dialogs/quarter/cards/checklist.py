"""The evidence checklist on the KPI card: per KPI, complete or a gap signed off with a reason, and by whom."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from commissioning.quarter.approval import REASON_MAX, EvidenceState
from dialogs.cards import error_text, input_text, plain, subtle
from dialogs.common import choice, when_text
from dialogs.quarter.context import KpiCardView
from dialogs.quarter.payloads import REASON_PREFIX, STATE_PREFIX

CHOICES = [
    ("Evidence complete", EvidenceState.COMPLETE.value),
    ("A gap, signed off with a reason", EvidenceState.GAP.value),
]


def checked_line(view: KpiCardView, code: str, zone: ZoneInfo) -> str:
    """'Evidence complete: Daniel Reyes, Tuesday 3 November 2026 at 10:00.' or the gap and its reason."""
    row = view.checks.get(code)
    if row is None:
        return "Evidence not checked yet."
    who = plain(view.names.get(row.by_id, "someone"))
    when = when_text(row.at, zone)
    if row.state == EvidenceState.COMPLETE.value:
        return f"Evidence complete: {who}, {when}."
    return f"Evidence gap signed off by {who}, {when}: {plain(row.reason)}"


def checklist_inputs(
    view: KpiCardView, code: str, zone: ZoneInfo, errors: dict[str, str]
) -> list[dict[str, Any]]:
    """What is checked so far; until the payment is approved, the choice and the reason to change it."""
    items: list[dict[str, Any]] = [subtle(checked_line(view, code, zone))]
    if view.worked.approval is not None or not view.may_check:
        return items
    row = view.checks.get(code)
    state_id, reason_id = STATE_PREFIX + code, REASON_PREFIX + code
    state = view.entries.get(state_id, row.state if row else "")
    reason = view.entries.get(reason_id, row.reason if row else "")
    items.append(choice(state_id, "Evidence checklist", CHOICES, state, placeholder="Not checked yet"))
    items.append(
        input_text(
            reason_id,
            "Reason, if a gap is signed off",
            reason,
            max_length=REASON_MAX,
            placeholder="What is missing, and why the payment can still be approved",
        )
    )
    if state_id in errors:
        items.append(error_text(errors[state_id]))
    return items
