"""What a press on a status or portfolio card carries, and what `status IVWS` types."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from dialogs.base import Payload


class StatusRef(Payload):
    """A contract by id (a button) or by key or name (typed: `status IVWS`); the indicator whose trend to draw."""

    contract_id: int | None = Field(default=None, ge=1)
    contract: str | None = Field(default=None, max_length=200)
    indicator: str | None = Field(default=None, max_length=32)


class ReportDownload(Payload):
    """Download on the status card: which contract and workbook; the quarter picked (its key, 2026Q2)."""

    contract_id: int = Field(ge=1)
    report: Literal["framework", "monthly", "pack"]
    quarter: str | None = Field(default=None, max_length=16)
