"""The monthly service fee: payable when the minimum service requirements were met or the shortfall signed off."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from commissioning.indicators import Rag
from commissioning.meetings import FEE_SIGNED_OFF, FEE_WITHHELD, fee_problem, requirements_met
from commissioning.periods import Month


class FeeStatus(StrEnum):
    PAYABLE = "payable"
    WITHHELD = "withheld"
    AWAITING_SIGN_OFF = "awaiting sign-off"


@dataclass(frozen=True, slots=True)
class ServiceFee:
    """A month's service fee: the contract's amount, whether it is payable, and why."""

    month: Month
    amount_pence: int
    status: FeeStatus
    requirements_met: bool
    reason: str

    @property
    def payable_pence(self) -> int:
        return self.amount_pence if self.status is FeeStatus.PAYABLE else 0


def monthly_service_fee(
    month: Month,
    amount_pence: int,
    ratings: Iterable[Rag | None],
    decision: str | None = None,
    reason: str = "",
) -> ServiceFee:
    """The fee for `month` from its PIs' ratings and the meeting's sign-off (`decision`, None before it).

    Seed 001 §2: meeting every minimum service requirement triggers the fee. A shortfall is payable only
    once signed off with a reason; a withheld fee is not payable. A decision the meeting rules would
    refuse (meetings.fee_problem) raises ValueError with that rule's words.
    """
    if amount_pence < 0:
        raise ValueError("a service fee is not negative")
    met = requirements_met(ratings)
    if decision is not None:
        problem = fee_problem(decision, met, reason)
        if problem:
            raise ValueError(problem)
    if decision == FEE_WITHHELD:
        return ServiceFee(month, amount_pence, FeeStatus.WITHHELD, met, f"withheld: {reason.strip()}")
    if met:
        return ServiceFee(
            month, amount_pence, FeeStatus.PAYABLE, met, "every minimum service requirement was met"
        )
    if decision == FEE_SIGNED_OFF:
        return ServiceFee(
            month, amount_pence, FeeStatus.PAYABLE, met, f"shortfall signed off: {reason.strip()}"
        )
    return ServiceFee(
        month,
        amount_pence,
        FeeStatus.AWAITING_SIGN_OFF,
        met,
        "a minimum service requirement was not met; the fee waits for the meeting to sign off the shortfall",
    )
