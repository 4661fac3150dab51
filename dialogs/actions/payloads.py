"""What a press on an action card carries: the typed button payloads."""

from __future__ import annotations

from pydantic import Field

from dialogs.base import Payload


class ActionRef(Payload):
    action_id: int = Field(ge=1)


class LogRef(Payload):
    contract_id: int | None = Field(default=None, ge=1)
