"""Approving the quarter's outcome payment: the evidence checklist that must be complete, and the amount checked."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from commissioning.quarter.term import pounds

REASON_MIN = 10
REASON_MAX = 1000
_POUNDS = re.compile(r"^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$")


class EvidenceState(StrEnum):
    """Where a KPI's evidence stands on the commissioner's checklist."""

    COMPLETE = "complete"  # the data source and the evidence supplied are all there
    GAP = "gap"  # something is missing, and the gap is signed off with a reason


@dataclass(frozen=True, slots=True)
class EvidenceCheck:
    state: EvidenceState
    reason: str = ""


def check_sign_off(state: str, reason: str) -> tuple[EvidenceCheck | None, str | None]:
    """One KPI's checklist entry: nothing chosen is no check; a gap needs a reason (REASON_MIN to REASON_MAX)."""
    reason = reason.strip()
    if not state:
        return None, None
    if state == EvidenceState.COMPLETE.value:
        return EvidenceCheck(EvidenceState.COMPLETE), None
    if state != EvidenceState.GAP.value:
        return None, "Choose complete, or a gap signed off with a reason."
    problem = reason_problem(reason, "why the gap is accepted")
    if problem:
        return None, problem
    return EvidenceCheck(EvidenceState.GAP, reason), None


def reason_problem(reason: str, what: str) -> str | None:
    if len(reason) < REASON_MIN:
        return f"Give a reason of at least {REASON_MIN} characters: {what}."
    if len(reason) > REASON_MAX:
        return f"Keep the reason under {REASON_MAX:,} characters (it has {len(reason):,})."
    return None


def checklist_gaps(codes: Sequence[str], checks: Mapping[str, EvidenceCheck]) -> list[str]:
    """The KPIs whose evidence is neither marked complete nor a gap signed off with a reason, in order."""
    return [
        code
        for code in codes
        if code not in checks or (checks[code].state is EvidenceState.GAP and not checks[code].reason)
    ]


def parse_pounds(text: str) -> int | None:
    """An amount of money as typed, in pence: '£85,000' -> 8500000, '62500.5' -> 6250050; None if not money."""
    found = _POUNDS.match(text.strip())
    if not found:
        return None
    whole = int(found.group(1).replace(",", ""))
    pennies = (found.group(2) or "0").ljust(2, "0")
    return whole * 100 + int(pennies)


@dataclass(frozen=True, slots=True)
class ApprovalDecision:
    """The amount to record and its reason, or what is wrong (by field: 'amount', 'reason', '_form')."""

    amount_pence: int | None
    reason: str
    errors: dict[str, str]


def decide_amount(
    computed_pence: int | None,
    pot_pence: int,
    *,
    adjusted: bool,
    amount: str,
    reason: str,
    ceiling: str = "the quarter's pot",
) -> ApprovalDecision:
    """As computed: the computed amount, which must exist. Adjusted: an amount from £0 up to `pot_pence` (the
    pot, or for a quarter with a fee or PbR the most its parts can pay, as `ceiling` says), and a reason.

    Steward never guesses a payment it could not work out, so a quarter without one is approved only
    as an adjusted amount with a reason.
    """
    reason = reason.strip()
    if not adjusted:
        if computed_pence is None:
            message = (
                "Steward could not work out this quarter's payment: approve an adjusted amount with a reason."
            )
            return ApprovalDecision(None, "", {"_form": message})
        return ApprovalDecision(computed_pence, "", {})
    errors: dict[str, str] = {}
    pence = parse_pounds(amount)
    if not amount.strip():
        errors["amount"] = "Enter the amount to approve, in pounds."
    elif pence is None:
        errors["amount"] = "Enter an amount in pounds, like 62500 or 62,500.00."
    elif pence > pot_pence:
        errors["amount"] = f"The payment cannot be more than {ceiling}, £{pounds(pot_pence)}."
    problem = reason_problem(reason, "why the payment differs from the computed one")
    if problem:
        errors["reason"] = problem
    return ApprovalDecision(None if errors else pence, reason, errors)
