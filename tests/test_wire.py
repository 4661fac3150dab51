"""bot/wire.py writes each outgoing activity exactly as msrest (botbuilder's serialiser) would."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    CardAction,
    ChannelAccount,
    ConversationAccount,
    Mention,
    SuggestedActions,
)

from bot.wire import to_wire

CARD = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Return received", "wrap": True}],
    "actions": [{"type": "Action.Execute", "title": "Open", "verb": "returns.open", "data": {"id": 7}}],
}


def inbound() -> Activity:
    return Activity(
        type=ActivityTypes.message,
        id="1700000000001",
        service_url="http://127.0.0.1:4320/",
        channel_id="msteams",
        from_property=ChannelAccount(id="29:1abc", name="Bob Provider", aad_object_id="b2"),
        recipient=ChannelAccount(id="28:steward", name="Steward"),
        conversation=ConversationAccount(id="a:1xyz", conversation_type="personal", tenant_id="t-1"),
        channel_data={"tenant": {"id": "t-1"}},
    )


def reply(activity: Activity) -> Activity:
    return TurnContext.apply_conversation_reference(
        activity, TurnContext.get_conversation_reference(inbound())
    )


def shapes() -> dict[str, Activity]:
    card = reply(
        MessageFactory.attachment(
            Attachment(content_type="application/vnd.microsoft.card.adaptive", content=CARD)
        )
    )
    card.text = "Return received"
    suggested = reply(MessageFactory.text("Pick one"))
    suggested.suggested_actions = SuggestedActions(
        actions=[
            CardAction(type="imBack", title="help", value="help"),
            CardAction(type="imBack", title="returns", value="returns"),
        ]
    )
    mention = reply(MessageFactory.text("<at>Ann</at>, the return is in"))
    mention.entities = [
        Mention(mentioned=ChannelAccount(id="29:ann", name="Ann"), text="<at>Ann</at>", type="mention")
    ]
    alert = reply(MessageFactory.text("Overdue"))
    alert.channel_data = {"notification": {"alert": True}}
    stamped = reply(MessageFactory.text("At noon"))
    stamped.timestamp = datetime(2026, 12, 4, 12, 0, 30, 123456, tzinfo=UTC)
    updated = reply(
        MessageFactory.attachment(
            Attachment(content_type="application/vnd.microsoft.card.adaptive", content=CARD)
        )
    )
    updated.id = "1700000000009"
    return {
        "text": reply(MessageFactory.text("Here is what I can do")),
        "card": card,
        "suggested actions": suggested,
        "mention": mention,
        "channel data": alert,
        "timestamp": stamped,
        "card update": updated,
        "inbound": inbound(),
    }


@pytest.mark.parametrize("shape", sorted(shapes()))
def test_the_wire_json_is_what_msrest_writes(shape: str) -> None:
    activity = shapes()[shape]
    expected: dict[str, Any] = activity.serialize()

    assert to_wire(activity) == expected


def test_a_card_is_sent_as_the_dialog_made_it() -> None:
    wired = to_wire(shapes()["card"])

    assert wired["attachments"] == [
        {"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD}
    ]
    assert wired["type"] == "message"
