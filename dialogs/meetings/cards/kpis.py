"""The quarterly meeting's KPI review when the contract has `kpis`: the rules' results, and the payment's state."""

from __future__ import annotations

from dataclasses import dataclass

from commissioning.indicators import Rag
from commissioning.quarter.kpis import KpiStatus
from commissioning.quarter.payment import KpiLine, achievement_rag
from dialogs.cards import plain
from dialogs.quarter.cards.words import money, number, share
from storage.quarter import WorkedQuarter


@dataclass(frozen=True)
class ComputedKpi:
    """One KPI as the meeting reviews it: worked out from the returns, not typed in."""

    code: str
    name: str
    value: float | None
    shown: str  # '72 (0% of target achieved)', 'no result: ...'
    target: str  # 'at least 75', or why there is none
    rating: Rag | None

    def as_review(self, note: str) -> dict[str, object]:
        """As the minutes keep it (Meeting.kpi_review)."""
        return {
            "code": self.code,
            "name": self.name,
            "value": self.value,
            "shown": self.shown,
            "rag": self.rating.value if self.rating else None,
            "requirement": self.target,
            "measure": "Target",
            "note": note,
        }


def computed_kpis(worked: WorkedQuarter) -> list[ComputedKpi]:
    """Each KPI with a result to show this quarter (baseline or live), in the contract's order."""
    return [_computed(line) for line in worked.payment.lines if line.status is not KpiStatus.NOT_STARTED]


def _computed(line: KpiLine) -> ComputedKpi:
    value = line.result.value
    if value is None:
        shown = f"no result: {line.result.missing}"
    elif line.live:
        shown = f"{number(value)} ({share(line.achievement)} achieved)"
    else:
        shown = number(value)
    if line.live:
        target = f"{'no more than' if line.kpi.lower_is_better else 'at least'} {number(line.target)}"
    else:
        target = "none in its baseline year"
    return ComputedKpi(
        line.kpi.code,
        plain(line.kpi.name),
        None if value is None else float(value),
        plain(shown),
        target,
        achievement_rag(line.achievement) if line.live else None,
    )


def payment_sentence(worked: WorkedQuarter) -> str:
    """Where the quarter's outcome payment stands: approved, worked out but not approved, or not worked out."""
    payment, approval = worked.payment, worked.approval
    if approval is not None:
        adjusted = f", adjusted from {money(approval.computed_pence)}" if approval.reason else ""
        return f"Outcome payment approved: {money(approval.amount_pence)}{adjusted}."
    if payment.payment_pence is None:
        return f"Outcome payment not worked out yet (pot {money(payment.pot_pence)}); see the KPI card."
    return f"Outcome payment worked out: {money(payment.payment_pence)} of {money(payment.pot_pence)}, not approved yet."
