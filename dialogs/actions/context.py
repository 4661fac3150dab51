"""Loading what an action step needs: the action and its contract, who may change it, what its card shows."""

from __future__ import annotations

from dataclasses import dataclass

from commissioning.roles import Permission, allowed
from dialogs.base import Refused, Turn
from dialogs.common import NO_ROLE, contract_for, meeting_title
from storage.meeting_models import ActionEvent, ActionItem
from storage.models import Contract, Person


@dataclass(frozen=True)
class LoadedAction:
    """An action and its contract, on which the sender has a role."""

    item: ActionItem
    contract: Contract


async def load_action(turn: Turn, action_id: int, *, for_update: bool = False) -> LoadedAction:
    """The action and its contract, if the sender has any role there; an unknown id looks the same."""
    item = await turn.repos.actions.action(action_id, for_update=for_update)
    if item is None:
        raise Refused(NO_ROLE, reason="unknown action")
    return LoadedAction(item, contract_for(turn, item.contract_id, Permission.VIEW_MEETING))


def is_owner(turn: Turn, item: ActionItem) -> bool:
    return item.owner_id == turn.person.id


def may_update(turn: Turn, item: ActionItem) -> bool:
    return is_owner(turn, item) or turn.may(item.contract_id, Permission.MANAGE_ACTIONS)


def refuse_update(item: ActionItem) -> Refused:
    return Refused(
        "Only the action's owner or the commissioner can change it.", reason=f"update_action:{item.id}"
    )


@dataclass(frozen=True)
class HistoryLine:
    """One event in an action's history, with the name of who did it."""

    event: ActionEvent
    who: str


@dataclass(frozen=True)
class ActionView:
    """What the action card shows one viewer: the action, its owner, where it was raised, its history."""

    item: ActionItem
    contract: Contract
    owner: Person | None
    viewer_id: int
    manages: bool  # the viewer may manage the contract's actions
    raised: str  # the meeting that raised it, or ""
    history: list[HistoryLine]


async def load_view(turn: Turn, item: ActionItem, contract: Contract, viewer_id: int) -> ActionView:
    owner = await turn.repos.people.person(item.owner_id)
    roles = await turn.repos.people.roles_on(viewer_id, contract.id)
    raised = await _raised_at(turn, item)
    history = await _history(turn, item)
    return ActionView(
        item, contract, owner, viewer_id, allowed(roles, Permission.MANAGE_ACTIONS), raised, history
    )


async def _raised_at(turn: Turn, item: ActionItem) -> str:
    if item.meeting_id is None:
        return ""
    meeting = await turn.repos.meetings.meeting(item.meeting_id)
    return meeting_title(meeting) if meeting is not None else ""


async def _history(turn: Turn, item: ActionItem) -> list[HistoryLine]:
    repos = turn.repos
    events = await repos.actions.history(item.id)
    people = await repos.people.by_ids(e.actor_id for e in events if e.actor_id is not None)
    return [HistoryLine(e, people[e.actor_id].name if e.actor_id in people else "Steward") for e in events]
