"""Saving the evidence checklist: each KPI complete, or a gap signed off with a reason; audited, never half-saved."""

from __future__ import annotations

from commissioning.quarter.approval import EvidenceCheck, check_sign_off
from dialogs.base import Reply, Turn
from dialogs.inputs import input_text
from dialogs.quarter.cards.kpi_card import kpi_card
from dialogs.quarter.context import KpiCardView, contract_and_quarter, load_view
from dialogs.quarter.payloads import REASON_PREFIX, STATE_PREFIX, QuarterRef

READ_MAX = 2000


async def save_checklist(turn: Turn, payload: QuarterRef) -> Reply:
    contract, quarter = contract_and_quarter(turn, payload.contract_id, payload.quarter)
    view = await load_view(turn, contract, quarter)
    if view.worked.approval is not None:
        note = "The payment is approved, so the evidence checklist is closed."
        return Reply(card=kpi_card(view, turn.zone, note=note), replace=True)
    entries = {
        key: input_text(turn.raw, key, READ_MAX)
        for code in view.to_check
        for key in (STATE_PREFIX + code, REASON_PREFIX + code)
    }
    checks, errors = _read(view, entries)
    if errors:
        again = await load_view(turn, contract, quarter, entries)
        return Reply(card=kpi_card(again, turn.zone, errors=errors), replace=True)
    for code, check in checks.items():
        await _record(turn, view, code, check)
    saved = await load_view(turn, contract, quarter)
    return Reply(card=kpi_card(saved, turn.zone, note="Evidence checklist saved."), replace=True)


def _read(view: KpiCardView, entries: dict[str, str]) -> tuple[dict[str, EvidenceCheck], dict[str, str]]:
    checks: dict[str, EvidenceCheck] = {}
    errors: dict[str, str] = {}
    for code in view.to_check:
        check, problem = check_sign_off(entries[STATE_PREFIX + code], entries[REASON_PREFIX + code])
        if problem:
            errors[STATE_PREFIX + code] = problem
        elif check is not None:
            checks[code] = check
    return checks, errors


async def _record(turn: Turn, view: KpiCardView, code: str, check: EvidenceCheck) -> None:
    """Store and audit a check that changed; one that is as it was is left alone (a second click is a no-op)."""
    before = view.check(code)
    if before == check:
        return
    row = await turn.repos.quarter.set_check(
        view.contract.id, view.quarter, code, check, by_id=turn.person.id, now=turn.now
    )
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="kpi_evidence.checked",
        entity="kpi_evidence_check",
        entity_id=row.id,
        contract_id=view.contract.id,
        before={"state": before.state.value, "reason": before.reason} if before else {},
        after={"quarter": view.quarter.key, "kpi": code, "state": check.state.value, "reason": check.reason},
    )
