"""What the leave buttons and commands carry: dates typed after 'on leave', else nothing (inputs come raw)."""

from __future__ import annotations

from pydantic import Field

from dialogs.base import Payload


class LeaveStart(Payload):
    dates: str = Field(default="", max_length=200)  # 'on leave 2026-12-21 to 2027-01-04', normalised
