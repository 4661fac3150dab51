"""What a turn answers: the reply as a message activity or an invoke body, and the recorded answer replayed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity, Attachment

from connector.client import CARD_CONTENT_TYPE
from dialogs.base import Reply
from dialogs.welcome import problem_card
from storage.models import ProcessedActivity


def invoke_body(reply: Reply | None) -> dict[str, Any]:
    """The Universal Actions response: statusCode, type and value, serialised by us exactly once."""
    if reply is not None and reply.card is not None:
        return {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": reply.card}
    return {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": (reply.text if reply else None) or "Done.",
    }


def invoke_error(status: int, code: str, message: str) -> dict[str, Any]:
    return {
        "statusCode": status,
        "type": "application/vnd.microsoft.error",
        "value": {"code": code, "message": message},
    }


def message_of(reply: Reply) -> Activity:
    if reply.card is not None:
        message = MessageFactory.attachment(Attachment(content_type=CARD_CONTENT_TYPE, content=reply.card))
        if reply.text:
            message.text = reply.text
        return message
    return MessageFactory.text(reply.text or "")


def finite(value: Any) -> Any:
    """JSON has no NaN or Infinity, yet a card can echo a typed 'nan' or '1e999' as a number: drop those."""
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items() if not (isinstance(v, float) and not math.isfinite(v))}
    if isinstance(value, list):
        return [finite(item) for item in value if not (isinstance(item, float) and not math.isfinite(item))]
    return value


@dataclass(frozen=True)
class Answer:
    """A turn's outcome: the reply, and whether it is the recorded answer to an activity seen before."""

    reply: Reply | None
    replayed: bool = False


def replay(seen: ProcessedActivity) -> Answer:
    return Answer(Reply(**seen.response) if seen.response else None, replayed=True)


def problem() -> Reply:
    return Reply(
        card=problem_card(
            "Steward could not finish that, and nothing was changed. Please try again in a minute."
        ),
        replace=False,
    )


def replayable(reply: Reply) -> dict[str, Any]:
    return {"card": reply.card, "text": reply.text, "replace": reply.replace}
