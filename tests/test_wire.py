"""bot/wire.py writes each outgoing activity, and reads each incoming one, exactly as msrest (botbuilder's serialiser) would."""

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
from msrest.exceptions import DeserializationError

from bot.wire import from_wire, to_wire

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


BASE: dict[str, Any] = {
    "type": "message",
    "id": "1700000000001",
    "timestamp": "2026-12-04T18:00:00.1234567Z",
    "localTimestamp": "2026-12-04T18:00:00.123+00:00",
    "serviceUrl": "http://127.0.0.1:4320/",
    "channelId": "msteams",
    "from": {"id": "29:1abc", "name": "Bob Provider", "aadObjectId": "b2"},
    "recipient": {"id": "28:steward", "name": "Steward"},
    "conversation": {"id": "a:1xyz", "conversationType": "personal", "tenantId": "t-1"},
    "channelData": {"tenant": {"id": "t-1"}},
    "locale": "en-GB",
    "text": "help",
    "textFormat": "plain",
}
INBOUND: dict[str, dict[str, Any]] = {
    "message": BASE,
    "card press": {
        **BASE,
        "type": "invoke",
        "name": "adaptiveCard/action",
        "value": {
            "action": {"type": "Action.Execute", "verb": "returns.submit", "data": {"id": 7, "pi_PI1": "12"}}
        },
    },
    "channel mention": {
        **BASE,
        "conversation": {
            "id": "19:abc@thread.tacv2;messageid=1",
            "conversationType": "channel",
            "isGroup": True,
        },
        "text": "<at>Steward</at> help",
        "entities": [
            {
                "type": "mention",
                "text": "<at>Steward</at>",
                "mentioned": {"id": "28:steward", "name": "Steward"},
            },
            {"type": "clientInfo", "locale": "en-GB", "country": "GB", "platform": "Web"},
        ],
        "channelData": {
            "teamsChannelId": "19:abc@thread.tacv2",
            "team": {"id": "19:team"},
            "tenant": {"id": "t-1"},
        },
    },
    "members added": {
        **BASE,
        "type": "conversationUpdate",
        "membersAdded": [{"id": "28:steward"}, {"id": "29:1abc", "aadObjectId": "b2"}],
        "text": None,
    },
    "a key Bot Framework does not know": {**BASE, "futureField": {"x": 1}},
    "an attachment": {**BASE, "attachments": [{"contentType": "text/html", "content": "<p>hi</p>"}]},
}
ODD: dict[str, dict[str, Any]] = {
    "from as text": {**BASE, "from": "bob"},
    "text as a number": {**BASE, "text": 42},
    "a date that is not one": {**BASE, "timestamp": "yesterday"},
    "a date with no time": {**BASE, "timestamp": "2026-12-04"},
    "a date and time with a space": {**BASE, "timestamp": "2026-12-04 18:00:00+00:00"},
    "a date and time with no offset": {**BASE, "timestamp": "2026-12-04T18:00:00"},
    "attachments as an object": {**BASE, "attachments": {"contentType": "x"}},
    "isGroup as text": {**BASE, "conversation": {"id": "a:1", "isGroup": "yes"}},
    "members as text": {**BASE, "membersAdded": "everyone"},
}


@pytest.mark.parametrize("shape", sorted(INBOUND))
def test_an_incoming_activity_reads_as_msrest_reads_it(shape: str) -> None:
    body = INBOUND[shape]

    assert from_wire(Activity, body) == Activity().deserialize(body)


@pytest.mark.parametrize("shape", sorted(ODD))
def test_an_odd_body_is_read_or_refused_as_msrest_does(shape: str) -> None:
    body = ODD[shape]
    try:
        expected: Activity | type[Exception] = Activity().deserialize(body)
    except (DeserializationError, ValueError, TypeError, AttributeError) as error:
        expected = type(error)

    if isinstance(expected, Activity):
        assert from_wire(Activity, body) == expected
    else:
        with pytest.raises(expected):
            from_wire(Activity, body)


def test_a_mention_keeps_what_the_entity_model_does_not_name() -> None:
    activity = from_wire(Activity, INBOUND["channel mention"])

    assert activity.entities[0].type == "mention"
    assert activity.entities[0].additional_properties == {
        "text": "<at>Steward</at>",
        "mentioned": {"id": "28:steward", "name": "Steward"},
    }
