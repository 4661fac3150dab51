"""What the reminder buttons carry: one outbox key, or the keys of a summary card's items."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from dialogs.base import Payload

MAX_SUMMARY = 20

Key = Annotated[str, Field(min_length=1, max_length=400)]


class ReminderRef(Payload):
    key: Key


class ReminderKeys(Payload):
    keys: list[Key] = Field(min_length=1, max_length=MAX_SUMMARY)
