"""Looking at actions: the sender's own, one action, and a contract's action log."""

from __future__ import annotations

from commissioning.roles import Permission
from dialogs.actions.cards.action import action_card
from dialogs.actions.cards.log import log_card, log_picker_card
from dialogs.actions.cards.mine import my_actions_card
from dialogs.actions.context import load_action
from dialogs.actions.payloads import ActionRef, LogRef
from dialogs.base import NoPayload, Refused, Reply, Turn
from dialogs.common import contract_for


async def mine(turn: Turn, _: NoPayload) -> Reply:
    repos = turn.repos
    owned = await repos.actions.actions_owned_by(turn.person.id)
    managed = [c.id for c in turn.contracts_where(Permission.MANAGE_ACTIONS)]
    waiting = [
        a for a in await repos.actions.awaiting_decision(managed) if a.requested_by_id != turn.person.id
    ]
    contracts = {m.contract.id: m.contract for m in turn.memberships}
    owned = [a for a in owned if a.contract_id in contracts]  # a role taken away takes the actions' view too
    return Reply(card=my_actions_card(turn, owned, waiting, contracts))


async def view(turn: Turn, payload: ActionRef) -> Reply:
    loaded = await load_action(turn, payload.action_id)
    return Reply(card=await action_card(turn, loaded.item, loaded.contract))


async def log(turn: Turn, payload: LogRef) -> Reply:
    contracts = turn.contracts_where(Permission.VIEW_MEETING)
    if not contracts:
        raise Refused("You have no role on a contract, so there is no action log to show.", reason="no role")
    if payload.contract_id is None and len(contracts) > 1:
        return Reply(card=log_picker_card(contracts))
    contract = (
        contract_for(turn, payload.contract_id, Permission.VIEW_MEETING)
        if payload.contract_id
        else contracts[0]
    )
    repos = turn.repos
    items = await repos.actions.actions_for([contract.id], include_done=True)
    owners = await repos.people.by_ids(i.owner_id for i in items)
    return Reply(card=log_card(turn, contract, items, owners))
