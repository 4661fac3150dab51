"""What an inbound activity says: its dedupe key, its conversation's type, its team channel, its typed text."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

from bot.adapter import tenant_of
from dialogs import team_channel


def dedupe_key(activity: Activity) -> str | None:
    if not activity.id:
        return None
    conversation = activity.conversation.id if activity.conversation else ""
    return f"{activity.channel_id}:{conversation}:{activity.id}"[:500]


def channel_of(activity: Activity) -> team_channel.Channel | None:
    """The team a channel activity belongs to, from the activity itself; None in a 1:1 chat."""
    if conversation_type(activity) == "personal":
        return None
    data = json_object(activity.channel_data)
    team = json_object(data.get("team"))
    team_id = team.get("id") if isinstance(team.get("id"), str) and team.get("id") else None
    conversation = activity.conversation.id.split(";", 1)[0]  # a reply thread: "<channel>;messageid=<id>"
    name = team.get("name")
    name = name if isinstance(name, str) else ""
    return team_channel.Channel(
        team_id=(team_id or conversation)[:400],
        team_name=name[:200],
        service_url=activity.service_url,
        tenant_id=tenant_of(activity),
        bot_id=activity.recipient.id if activity.recipient else "",
        channel_id=activity.channel_id or "msteams",
    )


def json_object(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one: what an activity carries comes off the wire."""
    return value if isinstance(value, dict) else {}


def conversation_type(activity: Activity) -> str:
    kind = activity.conversation.conversation_type if activity.conversation else None
    return kind or "personal"  # the Emulator and console chat leave it out; they are 1:1


def without_mention(typed: str) -> str:
    """Drop a leading '<at>Steward</at>' that Teams adds in channels."""
    if typed.startswith("<at>") and "</at>" in typed:
        return typed.split("</at>", 1)[1].strip()
    return typed
