"""Teams-shaped activities POSTed to the running app over HTTP, as the Bot Connector would send them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp.test_utils import TestClient

from tests.cardschema import assert_valid_card

TENANT = "4f3c9a2e-1111-4222-8333-944455556666"
BOT_ID = "28:steward-bot"
_ids = itertools.count(1_000)


def next_id() -> str:
    return f"1700000{next(_ids)}"


@dataclass
class TeamsUser:
    """One person's 1:1 chat with the bot."""

    client: TestClient
    service_url: str
    name: str
    aad_object_id: str | None
    user_id: str = ""
    conversation_id: str = ""
    tenant_id: str = TENANT
    last: dict[str, Any] = field(default_factory=dict)
    validate_cards: bool = True  # benchmarks turn this off: the schema check costs more than a turn

    def __post_init__(self) -> None:
        slug = (self.aad_object_id or self.name).replace(" ", "-").lower()
        self.user_id = self.user_id or f"29:{slug}"
        self.conversation_id = self.conversation_id or f"a:personal-{slug}"

    def envelope(self, kind: str, **extra: Any) -> dict[str, Any]:
        sender: dict[str, Any] = {"id": self.user_id, "name": self.name}
        if self.aad_object_id:
            sender["aadObjectId"] = self.aad_object_id
        activity = {
            "type": kind,
            "id": next_id(),
            "timestamp": "2026-11-03T10:00:00.000Z",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": sender,
            "conversation": {
                "conversationType": "personal",
                "tenantId": self.tenant_id,
                "id": self.conversation_id,
            },
            "recipient": {"id": BOT_ID, "name": "Steward"},
            "channelData": {"tenant": {"id": self.tenant_id}},
            "locale": "en-GB",
        }
        activity.update(extra)
        return activity

    async def post(self, activity: dict[str, Any]) -> tuple[int, Any]:
        response = await self.client.post("/api/messages", json=activity)
        body = await response.json() if response.content_type == "application/json" else await response.text()
        return response.status, body

    async def install(self) -> tuple[int, Any]:
        return await self.post(
            self.envelope(
                "conversationUpdate",
                membersAdded=[{"id": BOT_ID}],
                channelData={"tenant": {"id": self.tenant_id}, "eventType": "teamMemberAdded"},
            )
        )

    async def say(self, text: str) -> tuple[int, Any]:
        return await self.post(self.envelope("message", text=text))

    async def press(
        self,
        verb: str,
        data: dict[str, Any] | None = None,
        *,
        reply_to: str = "card-1",
        activity_id: str | None = None,
    ) -> dict[str, Any]:
        """An Action.Execute button press; returns the invoke response body and remembers its card."""
        activity = self.envelope(
            "invoke",
            name="adaptiveCard/action",
            replyToId=reply_to,
            value={
                "action": {"type": "Action.Execute", "verb": verb, "data": {"verb": verb, **(data or {})}},
                "trigger": "manual",
            },
        )
        if activity_id:
            activity["id"] = activity_id
        status, body = await self.post(activity)
        assert status == 200, (status, body)
        if (
            self.validate_cards
            and isinstance(body, dict)
            and body.get("type") == "application/vnd.microsoft.card.adaptive"
        ):
            assert_valid_card(body["value"])
        self.last = body
        return body

    @property
    def card(self) -> dict[str, Any]:
        return self.last["value"]


def elements(card: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every element of a card's body, depth first, in reading order."""
    stack: list[Any] = [card.get("body", [])]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if "type" in node:
                yield node
            stack.extend(reversed([value for value in node.values() if isinstance(value, list | dict)]))


def card_texts(card: dict[str, Any]) -> list[str]:
    """Every TextBlock's text and every FactSet value in a card, in order, for readable assertions."""
    found: list[str] = []
    for element in elements(card):
        if element["type"] == "TextBlock":
            found.append(element["text"])
        elif element["type"] == "FactSet":
            found.extend(f"{fact['title']}: {fact['value']}" for fact in element["facts"])
    return found


def card_inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Inputs by id."""
    return {element["id"]: element for element in elements(card) if str(element["type"]).startswith("Input.")}


def card_actions(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Buttons by title: those in ActionSets in the body, in order, then the card's own."""
    found: dict[str, dict[str, Any]] = {}
    for element in elements(card):
        if element["type"] == "ActionSet":
            found.update({action["title"]: action for action in element.get("actions", [])})
    found.update({action["title"]: action for action in card.get("actions", [])})
    return found
