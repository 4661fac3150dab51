"""What a press on a meeting card carries: the typed button payloads and the forms' input bounds."""

from __future__ import annotations

from pydantic import Field

from dialogs.base import Payload

LOCATION_MAX = 200
DECISIONS_MAX = 4000
NOTE_MAX = 500
NEW_ACTION_ROWS = 3


class ReturnRef(Payload):
    return_id: int = Field(ge=1)


class MeetingRef(Payload):
    meeting_id: int = Field(ge=1)
