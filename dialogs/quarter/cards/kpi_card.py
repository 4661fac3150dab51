"""The KPI card: each KPI's result, target, achievement, weight and earnings; the pot, the payment and why."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from commissioning.indicators import Rag
from commissioning.quarter.kpis import KpiStatus, Source
from commissioning.quarter.payment import KpiLine, achievement_rag, earned_pence
from dialogs.cards import card, container, error_text, execute, facts, heading, plain, subtle, text
from dialogs.improvement.cards.ratings import answer_kpi_rating
from dialogs.quarter.cards.approval import approval_section
from dialogs.quarter.cards.checklist import checklist_inputs
from dialogs.quarter.cards.paid import paid_sections
from dialogs.quarter.cards.words import money, number, share
from dialogs.quarter.context import KpiCardView

STATUS_WORDS = {
    KpiStatus.LIVE: "live",
    KpiStatus.BASELINE: "baseline year",
    KpiStatus.NOT_STARTED: "not started",
}


def kpi_card(
    view: KpiCardView, zone: ZoneInfo, *, errors: dict[str, str] | None = None, note: str | None = None
) -> dict[str, Any]:
    errors = errors or {}
    worked, payment = view.worked, view.worked.payment
    body: list[dict[str, Any]] = [
        heading(f"KPI card: {view.quarter.label}"),
        text(plain(view.contract.name), weight="Bolder", spacing="None"),
        subtle(
            f"Year {payment.year} of the contract. Results from the monthly returns and the provider's "
            + ("KPI return." if worked.kpi_return is not None else "KPI return (not received yet).")
        ),
    ]
    if note:
        body.append(text(note, color="Good", size="Small"))
    has_kpis = bool(payment.lines)
    if has_kpis:
        body.append(
            facts(
                [
                    ("Outcome pot", money(payment.pot_pence)),
                    ("Weighted achievement", share(payment.weighted_achievement)),
                    ("Payment", money(payment.payment_pence)),
                ]
            )
        )
    reasons = worked.summary.reasons
    if reasons:
        body.append(text("Why", weight="Bolder", spacing="Small"))
        body.extend(subtle(f"• {plain(reason)}") for reason in reasons)
    body.extend(paid_sections(worked.summary, has_kpis))
    if "_checklist" in errors:
        body.append(error_text(errors["_checklist"]))
    for line in payment.lines:
        body.append(_kpi_section(view, line, zone, errors))
    ref = {"contract_id": view.contract.id, "quarter": view.quarter.key}
    if worked.approval is None and view.to_check and view.may_check:
        body.append(
            {
                "type": "ActionSet",
                "actions": [execute("Save evidence checklist", "quarter.evidence", ref)],
            }
        )
    body.extend(approval_section(view, zone, errors))
    return card(body)


def _kpi_section(view: KpiCardView, line: KpiLine, zone: ZoneInfo, errors: dict[str, str]) -> dict[str, Any]:
    kpi = line.kpi
    items: list[dict[str, Any]] = [
        text(f"{kpi.code}  {plain(kpi.name)} ({STATUS_WORDS[line.status]})", weight="Bolder")
    ]
    if line.status is KpiStatus.NOT_STARTED:
        items.append(subtle(f"Goes live in year {kpi.live_from_year}."))
        return container(items, spacing="Medium", separator=True)
    result = (
        number(line.result.value) if line.result.value is not None else f"no result: {line.result.missing}"
    )
    pairs = [("Result", plain(result))]
    if line.live:
        words = "no more than" if kpi.lower_is_better else "at least"
        pairs += [
            ("Target", f"{words} {number(line.target)}"),
            ("Achievement", share(line.achievement)),
            ("Weight this year", f"{number(line.weight)} ({share(line.share)} of the payment)"),
            ("Earns", money(earned_pence(view.worked.payment.pot_pence, line))),
        ]
    else:
        pairs.append(("Target", "none: it collects data in its baseline year, with no target or weight"))
    items.append(facts(pairs))
    items.extend(_evidence(view, line))
    items.extend(checklist_inputs(view, kpi.code, zone, errors))
    if view.may_answer and line.live and achievement_rag(line.achievement) in (Rag.RED, Rag.AMBER):
        items.append(answer_kpi_rating(view.contract.id, view.quarter.key, kpi.code))
    return container(items, spacing="Medium", separator=True)


def _evidence(view: KpiCardView, line: KpiLine) -> list[dict[str, Any]]:
    """Where the result comes from, and the evidence the provider supplied for it."""
    kpi = line.kpi
    if kpi.source is not Source.REPORTED:
        return [subtle(f"Data source: the monthly returns ({', '.join(kpi.pi_codes)}), as submitted.")]
    kpi_return = view.worked.kpi_return
    given = (kpi_return.evidence.get(kpi.code) or {}) if kpi_return is not None else {}
    if not given:
        return [subtle("Data source: the provider's KPI return, not received yet.")]
    return [
        subtle(f"Data source: {plain(given.get('source', '')) or 'not given'}"),
        subtle(f"Evidence supplied: {plain(given.get('evidence', '')) or 'none'}"),
    ]
