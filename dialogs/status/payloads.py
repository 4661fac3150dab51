"""What a press on a status or portfolio card carries, and what `status IVWS` types."""

from __future__ import annotations

from pydantic import Field

from dialogs.base import Payload


class StatusRef(Payload):
    """A contract by id (a button) or by key or name (typed: `status IVWS`); the indicator whose trend to draw."""

    contract_id: int | None = Field(default=None, ge=1)
    contract: str | None = Field(default=None, max_length=200)
    indicator: str | None = Field(default=None, max_length=32)
