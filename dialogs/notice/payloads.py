"""What a press on the notice card carries, and the card's input names."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from dialogs.base import Payload

COMMENTARY_PREFIX = "notice_commentary_"  # a KPI's commentary is COMMENTARY_PREFIX + its code


class StartNotice(Payload):
    contract_id: int | None = Field(default=None, ge=1)


class NoticeRef(Payload):
    contract_id: int = Field(ge=1)
    year: int = Field(ge=1, le=50)


class ExportNotice(NoticeRef):
    file_format: Literal["xlsx", "csv"] = "xlsx"
