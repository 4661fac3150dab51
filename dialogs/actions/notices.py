"""What the action journey sends other people through the outbox, each with the action's card."""

from __future__ import annotations

from commissioning.roles import Role
from dialogs.actions.cards.action import (
    TITLE_DUE_ASKED,
    TITLE_ESCALATED,
    action_card,
    title_assigned,
    title_decided,
)
from dialogs.base import Turn
from storage.meeting_models import ActionItem
from storage.models import Contract, Person

# Who decides due-date requests and hears of them.
DECIDERS = frozenset({Role.COMMISSIONER, Role.PROGRAMME_MANAGER})


async def notify_assigned(
    turn: Turn, item: ActionItem, contract: Contract, owner: Person, raised_at: str
) -> bool:
    """Tell the owner about a new action; nothing is sent to the person who raised it for themselves."""
    if owner.id == turn.person.id:
        return False
    await turn.repos.outbox.enqueue(
        key=f"action.assigned:{item.id}",
        kind="action.assigned",
        recipient_id=owner.id,
        contract_id=contract.id,
        now=turn.now,
        payload={
            "card": await action_card(
                turn, item, contract, viewer_id=owner.id, title=title_assigned(raised_at)
            ),
            "summary": f"{contract.name}: a new action for you",
        },
    )
    return True


async def notify_directors(turn: Turn, item: ActionItem, contract: Contract) -> bool:
    """An escalation is urgent news for the contract's directors; False when it has none."""
    directors = await turn.repos.people.people_with_roles(contract.id, frozenset({Role.DIRECTOR}))
    for director in directors:
        await turn.repos.outbox.enqueue(
            key=f"action.escalated:{item.id}:{director.id}",
            kind="action.escalated",
            recipient_id=director.id,
            contract_id=contract.id,
            now=turn.now,
            urgent=True,
            payload={
                "card": await action_card(turn, item, contract, viewer_id=director.id, title=TITLE_ESCALATED),
                "summary": f"{contract.name}: action escalated to the governance board",
            },
        )
    return bool(directors)


async def notify_deciders(turn: Turn, item: ActionItem, contract: Contract) -> bool:
    """A request for a new due date goes to whoever may decide it, except the one who asked."""
    deciders = [
        p for p in await turn.repos.people.people_with_roles(contract.id, DECIDERS) if p.id != turn.person.id
    ]
    for decider in deciders:
        await turn.repos.outbox.enqueue(
            key=f"action.due_requested:{item.id}:{turn.now.isoformat()}:{decider.id}",
            kind="action.due_requested",
            recipient_id=decider.id,
            contract_id=contract.id,
            now=turn.now,
            payload={
                "card": await action_card(turn, item, contract, viewer_id=decider.id, title=TITLE_DUE_ASKED),
                "summary": f"{contract.name}: {turn.person.name} asks for a new due date",
            },
        )
    return bool(deciders)


async def notify_requester(
    turn: Turn, item: ActionItem, contract: Contract, requester: int, *, kind: str, shown: str, approved: bool
) -> None:
    """The one who asked for a new due date hears it was approved or refused."""
    word = "approved" if approved else "refused"
    await turn.repos.outbox.enqueue(
        key=f"action.{kind}:{item.id}:{turn.now.isoformat()}",
        kind=f"action.{kind}",
        recipient_id=requester,
        contract_id=contract.id,
        now=turn.now,
        payload={
            "card": await action_card(
                turn, item, contract, viewer_id=requester, title=title_decided(shown, word)
            ),
            "summary": f"{contract.name}: new due date {word}",
        },
    )
