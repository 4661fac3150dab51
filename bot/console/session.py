"""One console chat: Teams-shaped activities to the bot, its replies and messages shown as they arrive.

Like a Teams client it keeps each person's chat: the cards the bot sent, which one is open (the last one
shown), and what has been typed into its inputs. Action.Execute goes out as an `adaptiveCard/action`
invoke and the card in the answer replaces the one the button was on.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp

from bot.console.bots import Bot, SettableClock
from bot.console.choosing import find_button, find_field
from bot.console.connector import Delivery, LocalConnector
from bot.console.errors import ChatError
from bot.console.fields import Button, Field
from bot.console.people import Identity, match_person
from bot.console.render import CardView, render_card
from bot.console.terminal import Writer
from bot.console.text import Line, Segment, line, plain_text, styled, unmarkdown, wrap_segments

log = logging.getLogger(__name__)

BOT_ID = "28:steward"
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
INDENT = "  "

Ask = Callable[[Field], Awaitable[str | None]]


class Output:
    """What the chat shows, written through the writer and kept as plain text for scripts to check."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.lines: list[str] = []
        self._mark = 0

    def write(self, row: Line | str = "") -> None:
        self.lines.append(row if isinstance(row, str) else plain_text(row))
        self.writer.write(row)

    def mark(self) -> None:
        """Start a new stretch: `since_mark` returns what is written from here on."""
        self._mark = len(self.lines)

    def since_mark(self) -> str:
        return "\n".join(self.lines[self._mark :])

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Chat:
    """One person's 1:1 chat with the bot, as their Teams client would hold it."""

    person: Identity
    cards: dict[str, dict[str, Any]] = field(default_factory=dict)  # activity id → card
    current: str | None = None  # the card whose buttons and inputs are in play
    fills: dict[str, str] = field(default_factory=dict)  # typed into the current card, by input id
    visibility: dict[str, bool] = field(default_factory=dict)
    expanded: dict[str, Any] | None = None  # the current card with an Action.ShowCard opened

    def focus(self, activity_id: str, card: dict[str, Any]) -> None:
        self.cards[activity_id] = card
        self.current = activity_id
        self.fills.clear()
        self.visibility.clear()
        self.expanded = None

    @property
    def card(self) -> dict[str, Any] | None:
        if self.current is None:
            return None
        return self.expanded or self.cards.get(self.current)


class ChatSession:
    def __init__(
        self,
        *,
        bot: Bot,
        connector: LocalConnector,
        http: aiohttp.ClientSession,
        output: Output,
        width: int = 100,
        tenant_id: str | None = None,
    ) -> None:
        self.bot = bot
        self.connector = connector
        self.http = http
        self.out = output
        self.width = width
        self.tenant_id = tenant_id
        self.chats: dict[str, Chat] = {}
        self.chat: Chat | None = None
        self._people: list[Identity] | None = None
        self._processed = 0  # deliveries looked at so far
        self._waiting: dict[str, list[Delivery]] = {}  # for chats not on screen, by conversation id
        self._answers: set[int] = set()  # deliveries that arrived while the chat's own request was in flight

    # -- who is chatting ---------------------------------------------------------------------------------

    async def people(self) -> list[Identity]:
        if self._people is None:
            self._people = await self.bot.people()
        return self._people

    async def open(self, who: str) -> Chat:
        """Chat as someone: the first time, the bot is added to their chat and greets them, as when
        Teams installs the app; coming back shows what arrived for them in the meantime."""
        person = match_person(await self.people(), who)
        self.show_arrivals()  # what belongs to the chat being left is shown there first
        chat = self.chats.get(person.email)
        if chat is not None and chat is self.chat:
            self.out.write(f"(already chatting as {person.name})")
            return chat
        self.connector.add_member(person.user_id, person.member())
        first = chat is None
        if chat is None:
            chat = self.chats[person.email] = Chat(person)
        self.chat = chat
        self.out.write()
        self.out.write(
            line(
                styled(
                    f"── {person.describe()} opens Steward ──" if first else f"── back to {person.name} ──",
                    "bold",
                )
            )
        )
        shown = sum(self._show(delivery) for delivery in self._waiting.pop(person.conversation_id, []))
        if first:
            await self._post(
                self._activity(
                    "conversationUpdate",
                    membersAdded=[{"id": BOT_ID, "name": "Steward"}],
                    channelData={**self._channel_data(), "eventType": "teamMemberAdded"},
                )
            )
            await self.settle()
        elif not shown and chat.card is not None:
            self.show_card("Steward (the card you had open):")
        return chat

    def _need_chat(self) -> Chat:
        if self.chat is None:
            raise ChatError("Nobody is chatting yet: say who first (`as NAME` in a script, /as NAME here).")
        return self.chat

    # -- what the person does ----------------------------------------------------------------------------

    async def say(self, text: str) -> None:
        """Send a typed message."""
        self._need_chat()
        await self._post(self._activity("message", text=text, textFormat="plain"))
        await self.settle()

    def view(self) -> CardView | None:
        """The open card as it stands, with what has been typed into it."""
        chat = self._need_chat()
        card = chat.card
        if card is None:
            return None
        return render_card(
            card, width=self.width - len(INDENT), values=chat.fills, visibility=chat.visibility
        )

    def fill(self, name: str, typed: str) -> Field:
        """Type into one of the open card's inputs, found by label (or part of it) or id."""
        view = self.view()
        if view is None or not view.fields:
            raise ChatError("There is nothing to fill in: the open card has no inputs.")
        found = find_field(view.fields, name)
        try:
            value = found.accept(typed)
        except ValueError as error:
            raise ChatError(f"{found.label}: {error}") from None
        self._need_chat().fills[found.id] = value
        return found

    def typed(self) -> list[tuple[str, str]]:
        """(label, value) of each input typed into since the card arrived, for the transcript."""
        view = self.view()
        chat = self._need_chat()
        if view is None:
            return []
        return [(f.label, f.shown() or "(empty)") for f in view.fields if f.id in chat.fills]

    async def press(self, choice: str | int, ask: Ask | None = None) -> Button:
        """Press a button on the open card, by title or menu number. With `ask`, each input the button
        sends is asked for first (interactive mode)."""
        chat = self._need_chat()
        view = self.view()
        if view is None or not view.buttons:
            raise ChatError("There is no button to press: the last message has none.")
        button = find_button(view.buttons, choice)
        if button.kind == "Action.OpenUrl":
            self.out.write(
                f"{INDENT}(Teams would open {button.url} in a browser; the console opens no links.)"
            )
            return button
        if button.kind == "Action.ToggleVisibility":
            card = chat.card or {}
            for target in button.targets:
                chat.visibility[target] = not chat.visibility.get(target, _initially_visible(card, target))
            self.show_card("Steward (the card):")
            return button
        if button.kind == "Action.ShowCard" and button.card is not None:
            chat.expanded = _expand(chat.cards[chat.current or ""], dict(button.card))
            self.show_card("Steward (the card):")
            return button
        if button.kind not in ("Action.Execute", "Action.Submit"):
            raise ChatError(f"The console cannot press a {button.kind} button.")
        if ask is not None and button.sends_inputs:
            for each in view.fields:
                answer = await ask(each)
                if answer is None:
                    raise ChatError("Nothing was sent.")
                chat.fills[each.id] = answer
            view = self.view()
            assert view is not None
        inputs = {f.id: f.value for f in view.fields} if button.sends_inputs else {}
        data = {**button.data, **inputs}
        card_id = chat.current
        if button.kind == "Action.Execute":
            action = {"type": "Action.Execute", "title": button.title, "verb": button.verb, "data": data}
            answer = await self._post(
                self._activity(
                    "invoke",
                    name="adaptiveCard/action",
                    replyToId=card_id,
                    value={"action": action, "trigger": "manual"},
                )
            )
            chat.fills.clear()
            self._answer(card_id, answer)
        else:
            await self._post(self._activity("message", replyToId=card_id, value=data))
            chat.fills.clear()
        await self.settle()
        return button

    # -- the bot's clock (only a bot started here) ---------------------------------------------------------

    def clock(self) -> SettableClock:
        if self.bot.clock is None:
            raise ChatError("Only a bot the console started itself can have its clock set.")
        return self.bot.clock

    async def move_clock(self, to: datetime | timedelta) -> None:
        """Set the clock (London time) or move it on, then run what the scheduler would have run by then."""
        clock = self.clock()
        since = clock.now()
        if isinstance(to, datetime):
            clock.set(to.replace(tzinfo=self.bot.zone))
        else:
            clock.advance(seconds=to.total_seconds())
        now = clock.now().astimezone(self.bot.zone)
        self.out.write()
        self.out.write(line(styled(f"── the bot's clock reads {now:%A %d %B %Y %H:%M} ──", "bold")))
        await self.bot.catch_up(since)
        await self.settle()

    # -- what the bot sends --------------------------------------------------------------------------------

    async def settle(self) -> None:
        """Wait for the bot to finish what the last turn started, then show what came."""
        await self.bot.settle(self.connector)
        self.show_arrivals()

    async def arrival(self) -> None:
        """Return once something has arrived that has not been shown yet."""
        await self.connector.wait_beyond(self._processed)

    def show_arrivals(self) -> int:
        """Show what arrived for the person chatting; note what arrived for others, for when they look.

        Of what arrived together, the bot's answers to the person come first, then its new messages:
        a notification released by a turn can overtake that turn's reply on the wire."""
        fresh = [
            replace(delivery, answer=index in self._answers)
            for index, delivery in enumerate(self.connector.deliveries)
            if index >= self._processed
        ]
        self._processed = len(self.connector.deliveries)
        shown = 0
        for delivery in sorted(fresh, key=_new_message):
            if self.chat is not None and delivery.conversation_id == self.chat.person.conversation_id:
                shown += self._show(delivery)
                continue
            self._waiting.setdefault(delivery.conversation_id, []).append(delivery)
            if delivery.method == "POST":
                who = self._owner(delivery.conversation_id)
                summary = str(delivery.body.get("summary") or "").strip()
                about = f": {unmarkdown(summary)}" if summary else ""
                self.out.write()
                self.out.write(
                    line(styled(f"(Steward sent {who} a message{about}. It waits in their chat.)", "subtle"))
                )
                shown += 1
        return shown

    def _owner(self, conversation_id: str) -> str:
        for person in self._people or []:
            if person.conversation_id == conversation_id:
                return person.name
        return f"conversation {conversation_id}"

    def _show(self, delivery: Delivery) -> int:
        chat = self._need_chat()
        if delivery.method == "DELETE":
            chat.cards.pop(delivery.activity_id, None)
            if chat.current == delivery.activity_id:
                chat.current = None
            self.out.write()
            self.out.write(line(styled("Steward deleted a message.", "subtle")))
            return 1
        body = delivery.body
        if body.get("type", "message") != "message":
            return 0  # typing indicators and the like
        if delivery.method == "PUT":
            header = "Steward (updated the card):"
        elif _new_message(delivery):
            summary = unmarkdown(str(body.get("summary") or "")).strip()
            header = "Steward (new message)" + (f" - {summary}" if summary else ":")
        else:
            header = "Steward:"
        self.out.write()
        self._header(header)
        text = body.get("text")
        if isinstance(text, str) and text.strip():
            for row in wrap_segments([Segment(unmarkdown(text))], self.width - len(INDENT)):
                self.out.write((Segment(INDENT), *row))
        for number, card in enumerate(delivery.cards):
            card_id = delivery.activity_id if number == 0 else f"{delivery.activity_id}#{number}"
            chat.focus(card_id, card)
            self._write_card()
        others = [
            a.get("contentType")
            for a in body.get("attachments") or []
            if isinstance(a, dict) and a.get("contentType") != CARD_TYPE
        ]
        for kind in others:
            self.out.write(f"{INDENT}[attachment: {kind}]")
        return 1

    def _answer(self, card_id: str | None, body: Any) -> None:
        """The invoke's answer: a card replaces the one the button was on; a message is shown as text."""
        chat = self._need_chat()
        body = body if isinstance(body, dict) else {}
        kind = body.get("type")
        value = body.get("value")
        self.out.write()
        if kind == CARD_TYPE and isinstance(value, dict) and card_id is not None:
            chat.focus(card_id, value)
            self._header("Steward (updated the card):")
            self._write_card()
        elif kind == MESSAGE_TYPE or (body.get("statusCode", 200) < 400 and isinstance(value, str)):
            self._header("Steward:")
            self.out.write(f"{INDENT}{value}")
        else:
            message = value.get("message") if isinstance(value, dict) else None
            self._header("Steward:")
            self.out.write(
                line(INDENT, styled(f"! That did not work: {message or 'no reason given'}", "attention"))
            )

    def show_card(self, header: str = "Steward (the open card):") -> None:
        self.out.write()
        self._header(header)
        self._write_card()

    def _header(self, text: str) -> None:
        self.out.write(line(styled(text, "bold", "accent")))

    def _write_card(self) -> None:
        view = self.view()
        if view is None:
            return
        for row in view.lines:
            self.out.write((Segment(INDENT), *row) if row else ())

    # -- the wire ------------------------------------------------------------------------------------------

    def _channel_data(self) -> dict[str, Any]:
        return {"tenant": {"id": self.tenant_id}} if self.tenant_id else {}

    def _activity(self, kind: str, **extra: Any) -> dict[str, Any]:
        person = self._need_chat().person
        conversation: dict[str, Any] = {"conversationType": "personal", "id": person.conversation_id}
        if self.tenant_id:
            conversation["tenantId"] = self.tenant_id
        now = self.bot.clock.now() if self.bot.clock is not None else datetime.now(UTC)
        activity: dict[str, Any] = {
            "type": kind,
            "id": f"console-{uuid.uuid4().hex}",
            "timestamp": now.isoformat(),
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": person.account(),
            "conversation": conversation,
            "recipient": {"id": BOT_ID, "name": "Steward"},
            "channelData": self._channel_data(),
            "locale": "en-GB",
            "localTimezone": self.bot.zone.key,
        }
        activity.update(extra)
        return activity

    async def _post(self, activity: dict[str, Any]) -> Any:
        url = self.bot.messages_url
        first = len(self.connector.deliveries)
        try:
            async with self.http.post(url, json=activity) as response:
                status = response.status
                body = await response.json(content_type=None) if await response.read() else {}
            self._answers.update(range(first, len(self.connector.deliveries)))
        except aiohttp.ClientConnectionError:
            raise ChatError(
                f"Nothing answers at {url}. Start the bot with `steward serve --demo`, "
                "or leave out --url and the console starts one itself."
            ) from None
        except ValueError:
            raise ChatError(f"The bot at {url} did not answer with JSON.") from None
        if status == 401:
            raise ChatError(
                "The bot refused the console (HTTP 401): it checks Bot Framework tokens. Run it without "
                "MicrosoftAppId (local mode) to chat with it from the console."
            )
        if status >= 400:
            reason = body.get("error") if isinstance(body, dict) else None
            raise ChatError(f"The bot answered HTTP {status}: {reason or 'no reason given'}")
        return body


def _new_message(delivery: Delivery) -> bool:
    """Sent on the bot's own initiative (a notification, with its summary), not in answer to the person."""
    if delivery.method != "POST" or delivery.reply_to:
        return False
    return bool(str(delivery.body.get("summary") or "").strip()) or not delivery.answer


def _expand(card: dict[str, Any], shown: dict[str, Any]) -> dict[str, Any]:
    """The card with an Action.ShowCard's card opened beneath it, as Teams shows it."""
    body = [*card.get("body", []), {"type": "Container", "separator": True, "items": shown.get("body", [])}]
    return {**card, "body": body, "actions": [*shown.get("actions", []), *card.get("actions", [])]}


def _initially_visible(card: dict[str, Any], element_id: str) -> bool:
    """Whether the card shows the element with this id before any toggle (True when there is none)."""
    element = _find_element(card, element_id)
    return element is None or element.get("isVisible", True) is not False


def _find_element(node: Any, element_id: str) -> dict[str, Any] | None:
    children: list[Any] = []
    if isinstance(node, dict):
        if node.get("id") == element_id:
            return node
        children = list(node.values())
    elif isinstance(node, list):
        children = node
    for child in children:
        found = _find_element(child, element_id)
        if found is not None:
            return found
    return None
