"""A contract team's channel: which contract the team manages, so that contract's notices can be posted there.

The bot stores the team's conversation reference when it is added to a team and forgets it when removed.
A commissioner, programme manager or director on a contract links the team to it from a card in the
channel. The channel is shared, so nothing personal (forms, returns, someone's contracts list) is shown
there except the linker's own choice of contracts, in answer to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.roles import Permission, allowed
from dialogs.base import Payload, Refused, Reply, Route, Turn
from dialogs.cards import card, execute, heading, plain, subtle, text
from storage.audit import AuditLog
from storage.conversations import ConversationsRepository
from storage.engine import rowcount
from storage.models import Contract, ConversationRef, Person
from storage.people import Membership

LINK = "team.link"
# Linking decides who sees a contract's notices, so it is the commissioning side's call.
LINK_PERMISSION = Permission.REVIEW_RETURN
CHANNEL_SCOPE = "channel"
# Verbs of other journeys that also run in a channel: each answers with a view for the invoking person alone
# (a shared card's Universal Actions refresh), authorised on the server like any other verb.
SHARED_VERBS: frozenset[str] = frozenset({"return.view_refresh"})


@dataclass(frozen=True)
class Channel:
    """A team the bot is in, as the authenticated activity (never the card) describes it.

    `team_id` is the team's General channel conversation id, which Teams makes equal to the team id:
    notifications are posted there, and it is the key the reference is stored under.
    """

    team_id: str
    team_name: str
    service_url: str
    tenant_id: str | None
    bot_id: str
    channel_id: str = "msteams"


class LinkTeam(Payload):
    contract_id: int = Field(ge=1, lt=2**31)


def routes(channel: Channel) -> dict[str, Route[Any]]:
    """The only verbs served in a channel; the channel comes from the activity, so a card cannot name another."""

    async def link_step(turn: Turn, payload: LinkTeam) -> Reply:
        return await link(turn, channel, payload)

    return {LINK: Route(LINK, LinkTeam, link_step)}


def linkable(memberships: list[Membership]) -> list[Contract]:
    """Contracts this person may link a team to, by name."""
    found: dict[int, Contract] = {}
    for membership in memberships:
        if allowed({membership.role}, LINK_PERMISSION) and membership.contract.id is not None:
            found.setdefault(membership.contract.id, membership.contract)
    return sorted(found.values(), key=lambda contract: contract.name)


async def team_reference(session: AsyncSession, team_id: str) -> ConversationRef | None:
    query = select(ConversationRef).where(
        col(ConversationRef.conversation_id) == team_id, col(ConversationRef.scope) == CHANNEL_SCOPE
    )
    return (await session.execute(query)).scalar_one_or_none()


async def _store(
    session: AsyncSession, channel: Channel, now: datetime, contract_id: int | None = None
) -> ConversationRef:
    return await ConversationsRepository(session).save(
        ConversationRef(
            conversation_id=channel.team_id,
            person_id=None,
            contract_id=contract_id,
            scope=CHANNEL_SCOPE,
            service_url=channel.service_url,
            channel_id=channel.channel_id,
            tenant_id=channel.tenant_id,
            bot_id=channel.bot_id,
            user_id=None,
            updated_at=now,
        ),
        now,
    )


# -- team lifecycle (called by the handler on conversationUpdate) -----------------------------------------


async def added(
    session: AsyncSession,
    channel: Channel,
    person: Person | None,
    memberships: list[Membership],
    now: datetime,
) -> Reply:
    """The bot joined a team: remember where its channel is and ask the person who added it which contract."""
    ref = await _store(session, channel, now)
    AuditLog(session).record(
        at=now,
        actor_id=person.id if person else None,
        action="team.added",
        entity="team",
        entity_id=channel.team_id[:64],
        contract_id=ref.contract_id,
        after={"team": channel.team_name},
    )
    contracts = linkable(memberships)
    body: list[dict[str, Any]] = [
        heading("Steward has joined this team"),
        text(
            "Steward can post a contract's notices here, such as returns received, so the whole contract "
            "team sees them."
        ),
    ]
    if contracts:
        body.append(text("Which contract does this team manage?"))
        return Reply(card=card(body, _link_buttons(contracts)))
    body.append(
        text(
            "A commissioner, programme manager or director on the contract can link this team to it: "
            "mention Steward in this channel."
        )
    )
    return Reply(card=card(body))


async def removed(session: AsyncSession, channel: Channel, actor_id: int | None, now: datetime) -> int:
    """The bot left the team, or the team was deleted: forget its channel. Returns how many were forgotten."""
    ref = await team_reference(session, channel.team_id)
    if ref is None:
        return 0
    result = await session.execute(delete(ConversationRef).where(col(ConversationRef.id) == ref.id))
    AuditLog(session).record(
        at=now,
        actor_id=actor_id,
        action="team.removed",
        entity="team",
        entity_id=channel.team_id[:64],
        contract_id=ref.contract_id,
        before={"contract_id": ref.contract_id, "team": channel.team_name},
    )
    return rowcount(result)


# -- steps in the channel --------------------------------------------------------------------------------


async def link(turn: Turn, channel: Channel, payload: LinkTeam) -> Reply:
    """Link this team to a contract the sender commissions; moving it off another contract needs a role there too."""
    contract = next(
        (contract for contract in linkable(turn.memberships) if contract.id == payload.contract_id), None
    )
    if contract is None:
        raise Refused(
            "Only a commissioner, programme manager or director on that contract can link a team to it.",
            reason=f"{LINK_PERMISSION}:{payload.contract_id}",
        )
    session = turn.repos.session
    ref = await team_reference(session, channel.team_id)
    before = ref.contract_id if ref is not None else None
    if before is not None and before != contract.id and not turn.may(before, LINK_PERMISSION):
        raise Refused(
            "This team is linked to another contract. Only that contract's commissioners can move it.",
            reason=f"team.relink:{before}",
        )
    if ref is not None and before is not None:
        ref.contract_id = contract.id
        ref.updated_at = turn.now
        session.add(ref)
    else:
        await _store(session, channel, turn.now, contract_id=contract.id)
    previous = await session.get(Contract, before) if before is not None else None
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="team.linked",
        entity="team",
        entity_id=channel.team_id[:64],
        contract_id=contract.id,
        before={"contract": previous.key if previous else None},
        after={"contract": contract.key, "team": channel.team_name},
    )
    body = [
        heading("Team linked"),
        text(f"This team now receives notices for {plain(contract.name)}."),
        subtle(f"Linked by {plain(turn.person.name)}."),
    ]
    return Reply(card=card(body), replace=True)


async def menu(turn: Turn, channel: Channel) -> dict[str, Any]:
    """What Steward says to anything else in a channel: which contract the team has, and how to link it."""
    ref = await team_reference(turn.repos.session, channel.team_id)
    contract = (
        await turn.repos.session.get(Contract, ref.contract_id)
        if ref is not None and ref.contract_id is not None
        else None
    )
    body: list[dict[str, Any]] = [heading("Steward in this team")]
    if contract is not None:
        body.append(text(f"This team receives notices for {plain(contract.name)}."))
    else:
        body.append(text("This team is not linked to a contract yet."))
    contracts = linkable(turn.memberships)
    if contracts:
        body.append(text("You can link it to one of the contracts you commission:"))
    body.append(
        subtle(
            "For your own returns and tasks, use your 1:1 chat with Steward: nothing personal is shown "
            "in a channel."
        )
    )
    return card(body, _link_buttons(contracts) if contracts else None)


def _link_buttons(contracts: list[Contract]) -> list[dict[str, Any]]:
    return [execute(contract.name[:60], LINK, {"contract_id": contract.id}) for contract in contracts]
