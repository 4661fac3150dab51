"""The Teams activity handler: who is speaking, which verb they chose, which dialog answers.

Every turn runs in one unit of work: dedupe by activity id, identify the person, store where to reach
them, run the dialog step, audit a refusal, commit; only then reply and deliver notifications.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.schema import InvokeResponse
from cachetools import LRUCache
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.activities import channel_of, conversation_type, dedupe_key, json_object, without_mention
from bot.adapter import tenant_of
from bot.identity import Chats, Reference, Senders
from bot.replies import Answer, finite, invoke_body, invoke_error, message_of, problem, replay, replayable
from commissioning.clock import Clock
from commissioning.rules import Rules
from connector.client import BotConnector, DeliveryFailed
from dialogs import team_channel
from dialogs.base import Dispatch, Payload, Refused, Reply, Turn
from dialogs.welcome import not_allowed_card, problem_card, unknown_person_card, welcome_card
from scheduler.dispatcher import Dispatcher
from storage import processed
from storage.audit import AuditLog
from storage.deliveries import DeliveriesRepository
from storage.engine import Database
from storage.models import Contract, Person, ProcessedActivity
from storage.people import PeopleRepository
from storage.repositories import Repositories

log = logging.getLogger(__name__)
LAST_CARDS = 10_000

MAX_TEXT = 500
UNKNOWN_VERB = "Steward doesn't offer that action, so nothing was changed. Start again from the menu."
MALFORMED = "That button's data was not valid, so nothing was changed. Start again from the menu."


@dataclass(frozen=True)
class Incoming:
    """A verb and its raw data, however it arrived (typed text, Action.Submit or Action.Execute)."""

    verb: str | None
    data: dict[str, Any]
    via_invoke: bool


class StewardBot(ActivityHandler):
    def __init__(
        self,
        *,
        database: Database,
        connector: BotConnector,
        dispatcher: Dispatcher,
        dispatch: Dispatch,
        clock: Clock,
        rules: Rules,
        local_mode: bool,
    ) -> None:
        super().__init__()
        self._db = database
        self._dispatcher = dispatcher
        self._dispatch = dispatch
        self._clock = clock
        self._rules = rules
        # The id of the last card posted in each chat, so a message-path submit without a replyToId can update
        # it in place. Teams sends replyToId with every card submit; this covers clients that do not (the
        # Emulator). Kept in process, bounded: a miss posts the card anew, which loses nothing.
        self._last_cards: LRUCache[str, str] = LRUCache(maxsize=LAST_CARDS)
        self._senders = Senders(connector, local_mode=local_mode)
        self._chats = Chats()

    # -- activity types ------------------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if isinstance(activity.value, dict):
            data = dict(activity.value)
            verb = data.get("verb")
            # A verb that is not text is a forged button: "" is refused and audited like an unknown verb.
            incoming = Incoming(
                verb if isinstance(verb, str) else (None if verb is None else ""), data, via_invoke=False
            )
        else:
            typed = without_mention((activity.text or "").strip()[:MAX_TEXT])
            matched = self._dispatch.match(typed)  # a command, or one with its argument: "status IVWS"
            # Text that is no command goes to the welcome dialog, which says so and suggests the nearest.
            incoming = (
                Incoming(matched[0], dict(matched[1]), via_invoke=False)
                if matched
                else Incoming("welcome", {"unmatched": typed}, via_invoke=False)
            )
        answer = await self._run(turn_context, incoming)
        if answer.reply is not None and not answer.replayed:  # a redelivered message is not answered twice
            await self._deliver(turn_context, answer.reply)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            return (
                InvokeResponse(status=200, body={})
                if activity.name in IGNORED_INVOKES
                else InvokeResponse(
                    status=501, body={"code": "NotImplemented", "message": "unsupported invoke"}
                )
            )
        action = activity.value.get("action") if isinstance(activity.value, dict) else None
        if (
            not isinstance(action, dict)
            or action.get("type") != "Action.Execute"
            or not isinstance(action.get("verb"), str)
        ):
            return InvokeResponse(
                status=200, body=invoke_error(400, "BadRequest", "The card action was not valid.")
            )
        data = json_object(action.get("data"))
        answer = await self._run(turn_context, Incoming(action["verb"], dict(data), via_invoke=True))
        return InvokeResponse(
            status=200, body=invoke_body(answer.reply)
        )  # a redelivery gets the first answer

    async def on_event_activity(self, turn_context: TurnContext) -> None:
        """Teams' read receipt in a 1:1 chat (RSC ChatMessageReadReceipt.Read.Chat); other events are ignored."""
        activity = turn_context.activity
        if activity.name != READ_RECEIPT or conversation_type(activity) != "personal":
            return
        last_read = json_object(activity.value).get("lastReadMessageId")
        if not isinstance(last_read, str) or not last_read or len(last_read) > 400:
            return
        sender = activity.from_property.id if activity.from_property else ""
        try:
            async with self._db.session() as session:
                read = await DeliveriesRepository(session).record_read(
                    activity.conversation.id, sender or "", last_read, self._clock.now()
                )
        except Exception:
            log.exception("read receipt not recorded (activity %s)", activity.id)
            return
        if read:
            log.info("read receipt: %d notification(s) read in %s", read, activity.conversation.id)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        added = any(m.id == bot_id for m in (activity.members_added or []) if m and m.id)
        removed = any(m.id == bot_id for m in (activity.members_removed or []) if m and m.id)
        channel = channel_of(activity)
        if channel is None:
            if added:
                answer = await self._run(turn_context, Incoming("welcome", {}, via_invoke=False))
                if answer.reply is not None and not answer.replayed:
                    await self._deliver(turn_context, answer.reply)
            return
        data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
        if removed or data.get("eventType") == "teamDeleted":
            await self._team_changed(turn_context, channel, added=False)
        elif added:
            await self._team_changed(turn_context, channel, added=True)

    async def _team_changed(
        self, turn_context: TurnContext, channel: team_channel.Channel, *, added: bool
    ) -> None:
        """Remember a team's channel when the bot joins it, forget it when the bot leaves or the team goes."""
        activity = turn_context.activity
        now = self._clock.now()
        key = dedupe_key(activity)
        reply: Reply | None = None
        try:
            async with self._db.session() as session:
                if key is not None and await session.get(ProcessedActivity, key) is not None:
                    return
                people = PeopleRepository(session)
                if added:
                    person, _ = await self._senders.identify(session, activity)
                    memberships = await people.memberships(person.id) if person else []
                    reply = await team_channel.added(session, channel, person, memberships, now)
                else:  # no member lookup: the bot is no longer in the team to ask
                    aad = activity.from_property.aad_object_id if activity.from_property else None
                    actor = await people.by_aad_object_id(aad, tenant_of(activity)) if aad else None
                    await team_channel.removed(session, channel, actor.id if actor else None, now)
                if key is not None:
                    session.add(ProcessedActivity(key=key, processed_at=now, response={}))
        except Exception:
            log.exception("team change not recorded (activity %s)", activity.id)
            return
        if reply is not None:
            await self._deliver(turn_context, reply)

    # -- one unit of work ----------------------------------------------------------------------------------

    async def _run(self, turn_context: TurnContext, incoming: Incoming) -> Answer:
        """One unit of work. A unique-key clash with another turn is not a failure: when that turn was this
        same activity (a redelivery, or a double press) its answer is ours, and what this one did is undone;
        otherwise the turn runs once more on what the other wrote."""
        activity = turn_context.activity
        key = dedupe_key(activity)
        for attempt in (1, 2):
            try:
                return await self._attempt(turn_context, incoming, key)
            except IntegrityError:
                first = await self._processed(key)
                if first is not None:
                    log.info("activity %s was handled already; answering as it was answered", activity.id)
                    return replay(first)
                if attempt == 2:
                    log.exception("turn failed; nothing was changed (activity %s)", activity.id)
            except Exception:
                log.exception("turn failed; nothing was changed (activity %s)", activity.id)
                break
        return Answer(problem())

    async def _attempt(self, turn_context: TurnContext, incoming: Incoming, key: str | None) -> Answer:
        activity = turn_context.activity
        now = self._clock.now()
        async with self._db.session() as session:
            requeued, remembered = False, None
            person, back = await self._senders.identify(session, activity)
            if person is None:
                admins = await PeopleRepository(session).administrators()
                name = activity.from_property.name if activity.from_property else None
                reply = Reply(card=unknown_person_card(admins, name))
            else:
                if conversation_type(activity) == "personal":
                    remembered = Reference.of(person, activity)
                    if back:  # back from being unreachable: what waited for them is due again
                        self._chats.forget(remembered.conversation_id)
                    if not self._chats.unchanged(remembered):
                        requeued = await self._chats.remember(session, remembered, now, back=back)
                reply = await self._step(session, person, incoming, now, channel_of(activity))
            reply = replace(reply, card=finite(reply.card))
            if key is not None:  # a redelivery fails here, and _run answers it as the first was answered
                # Only an invoke's answer is given again (its body); a redelivered message is not answered.
                kept = replayable(reply) if incoming.via_invoke else {}
                await processed.record(session, key, now, kept)
        if remembered is not None:  # committed: the next turn in this chat need not write it again
            self._chats.stored(remembered)
        if reply.notify or requeued:
            self._dispatcher.kick()  # after the commit, so the dispatcher sees what this turn wrote
        return Answer(reply)

    async def _processed(self, key: str | None) -> ProcessedActivity | None:
        if key is None:
            return None
        async with self._db.session() as session:
            return await processed.answer(session, key)

    async def _step(
        self,
        session: AsyncSession,
        person: Person,
        incoming: Incoming,
        now: Any,
        channel: team_channel.Channel | None = None,
    ) -> Reply:
        repos = Repositories.on(session)
        memberships = await repos.people.memberships(person.id)
        turn = Turn(
            person=person,
            memberships=memberships,
            now=now,
            rules=self._rules,
            repos=repos,
            commands=self._dispatch.help,
            raw=incoming.data,
        )
        # In a team channel only the team's own verbs run: the channel is shared, personal cards stay 1:1.
        routes = self._dispatch.routes if channel is None else self._channel_routes(channel)
        route = routes.get(incoming.verb) if incoming.verb is not None else None
        if route is None:
            offered = incoming.verb is None or incoming.verb in self._dispatch.routes
            if not offered:
                await _audit_refusal(session, person, now, incoming, "unknown verb")
            if channel is not None:
                return Reply(card=await team_channel.menu(turn, channel))
            return Reply(card=welcome_card(turn) if offered else not_allowed_card(UNKNOWN_VERB))
        try:
            payload = route.model.model_validate(incoming.data)
            _check_id_range(payload)
        except ValueError:  # pydantic's ValidationError is a ValueError
            await _audit_refusal(session, person, now, incoming, "malformed payload")
            return Reply(card=problem_card(MALFORMED))
        try:
            async with session.begin_nested():
                return await route.step(turn, payload)
        except Refused as refusal:
            await _audit_refusal(session, person, now, incoming, refusal.reason)
            return Reply(card=not_allowed_card(refusal.message))
        except ValueError as error:
            # A domain rule rejected the card's data (a month that is no month, say): the savepoint undid
            # the step's writes; refuse like any malformed payload, with one line instead of a traceback.
            log.warning("%s refused malformed card data: %s", incoming.verb, str(error)[:200])
            await _audit_refusal(session, person, now, incoming, "malformed payload")
            return Reply(card=problem_card(MALFORMED))

    def _channel_routes(self, channel: team_channel.Channel) -> dict[str, Any]:
        """The team's own verbs, and the shared cards' refreshes, which answer the invoking person alone."""
        shared = {
            verb: self._dispatch.routes[verb]
            for verb in team_channel.SHARED_VERBS
            if verb in self._dispatch.routes
        }
        return {**team_channel.routes(channel), **shared}

    # -- replies -------------------------------------------------------------------------------------------

    async def _deliver(self, turn_context: TurnContext, reply: Reply) -> None:
        """Send a message-path reply; a card that replaces the one the button was on is updated in place."""
        activity = turn_context.activity
        message = message_of(reply)
        try:
            conversation_id = activity.conversation.id
            target = activity.reply_to_id or self._last_cards.get(conversation_id)
            if reply.replace and target:
                message.id = target
                message.conversation = activity.conversation
                message.service_url = activity.service_url
                await turn_context.update_activity(message)
                return
            sent = await turn_context.send_activity(message)
            if reply.card is not None and sent is not None and sent.id:
                self._last_cards[conversation_id] = sent.id  # so a later submit can update it in place
        except DeliveryFailed as error:
            log.warning("reply not delivered: %s", error)


READ_RECEIPT = "application/vnd.microsoft.readReceipt"
IGNORED_INVOKES = frozenset({"signin/verifyState", "signin/tokenExchange", "fileConsent/invoke"})


def _check_id_range(payload: Payload) -> None:
    """Ids and version numbers must fit the database's 32-bit integers, whatever the card said."""
    for name, value in payload.model_dump().items():
        if isinstance(value, int) and not isinstance(value, bool) and not -(2**31) <= value < 2**31:
            raise ValueError(f"{name} is out of range")


async def _audit_refusal(
    session: AsyncSession, person: Person, now: Any, incoming: Incoming, reason: str
) -> None:
    """Record a refused or forged action; the contract is linked only when it exists.

    The payload is hostile: only a bounded summary of it is kept (30 keys, scalars cut to 100
    characters, lists and objects by size alone), so no payload can make the audit itself fail.
    """
    contract_id = incoming.data.get("contract_id")
    in_range = type(contract_id) is int and 0 < contract_id < 2**31
    known = in_range and await session.get(Contract, contract_id) is not None
    AuditLog(session).record(
        at=now,
        actor_id=person.id,
        action="refused",
        entity="verb",
        entity_id=(incoming.verb or "")[:64],
        contract_id=contract_id if known else None,
        after={
            "reason": str(reason)[:200],
            "verb": (incoming.verb or "")[:100],
            "data": {str(k)[:50]: _summary(v) for k, v in list(incoming.data.items())[:30]},
        },
    )


def _summary(value: Any) -> str:
    """A short, safe description of one untrusted payload value."""
    if isinstance(value, dict | list):
        return f"<{type(value).__name__} of {len(value)}>"
    return str(value)[:100]
