"""The adapter: a reply counts against the tenant its conversation belongs to, which the reply itself drops."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.adapter import StewardAdapter, tenant_of

TENANT = "4f3c9a2e-1111-4222-8333-944455556666"


class Recording:
    """Records the calls the adapter makes to the connector."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send(self, service_url: str, conversation_id: str, activity: dict[str, Any], **kw: Any) -> str:
        self.sent.append({"conversation": conversation_id, "tenant_id": kw.get("tenant_id")})
        return "reply-1"


def inbound(**conversation: Any) -> Activity:
    return Activity(
        type="message",
        id="1",
        text="help",
        service_url="http://127.0.0.1:4320/",
        channel_id="msteams",
        from_property=ChannelAccount(id="29:priya"),
        recipient=ChannelAccount(id="28:steward"),
        conversation=ConversationAccount(id="a:chat", **conversation),
        channel_data={"tenant": {"id": TENANT}},
    )


async def test_a_reply_is_counted_against_the_tenant_of_the_conversation_it_answers() -> None:
    connector = Recording()
    adapter = StewardAdapter(connector)  # type: ignore[arg-type]  # a recorder in the connector's place

    await TurnContext(adapter, inbound(tenant_id=TENANT)).send_activity("hello")

    assert connector.sent == [{"conversation": "a:chat", "tenant_id": TENANT}]


def test_the_tenant_is_read_from_channel_data_when_the_conversation_has_none() -> None:
    assert tenant_of(inbound()) == TENANT
