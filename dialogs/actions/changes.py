"""Applying a checked state to an action: stored, kept in the action's history, and audited."""

from __future__ import annotations

from collections.abc import Callable

from commissioning.actions import ActionState, ActionStatus
from dialogs.base import Turn
from storage.actions import action_snapshot
from storage.meeting_models import ActionItem


def store_state(item: ActionItem, state: ActionState, turn: Turn) -> None:
    item.status = state.status.value
    item.level = state.level.value
    item.due_on = state.due_on
    item.requested_due_on = state.requested_due_on
    item.progress = state.progress
    item.updated_at = turn.now
    if state.status is ActionStatus.DONE and item.closed_at is None:
        item.closed_at = turn.now


def record_change(
    turn: Turn,
    item: ActionItem,
    state: ActionState,
    *,
    kind: str,
    note: str = "",
    extra: Callable[[ActionItem], None] | None = None,
) -> None:
    """Apply a checked state to the action; keep it in the action's history and in the audit trail."""
    repos = turn.repos
    before = action_snapshot(item)
    store_state(item, state, turn)
    if extra is not None:
        extra(item)
    after = action_snapshot(item)
    turn.repos.session.add(item)
    repos.actions.add_event(
        item, kind=kind, actor_id=turn.person.id, now=turn.now, note=note, before=before, after=after
    )
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action=f"action.{kind}",
        entity="action",
        entity_id=item.id,
        contract_id=item.contract_id,
        before=before,
        after={**after, **({"note": note} if note else {})},
    )
