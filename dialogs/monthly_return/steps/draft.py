"""Saving a draft: what is typed so far is kept, checked but incomplete, and audited."""

from __future__ import annotations

from dialogs.base import Reply, Turn
from dialogs.monthly_return.cards.form import draft_saved_note, form_card
from dialogs.monthly_return.context import read_form
from dialogs.monthly_return.payloads import ReturnForm


async def save_draft(turn: Turn, payload: ReturnForm) -> Reply:
    form = await read_form(turn, payload, final=False)
    if form.errors:
        return Reply(card=form_card(form.view(), errors=form.errors), replace=True)
    monthly = form.monthly
    before = {"values": dict(monthly.draft_values), "narrative": monthly.draft_narrative}
    kept = {code: value for code, value in form.entries.items() if value.strip()}
    await turn.repos.returns.save_draft(
        monthly,
        values=kept,
        narrative=form.narrative,
        by_id=turn.person.id,
        now=turn.now,
    )
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="return.draft_saved",
        entity="monthly_return",
        entity_id=monthly.id,
        contract_id=form.contract.id,
        before=before,
        after={"values": kept, "narrative": form.narrative},
    )
    saved_at = turn.local_now.strftime("%H:%M on %d %B")
    return Reply(card=form_card(form.view(), note=draft_saved_note(saved_at)), replace=True)
