"""What the scheduler needs from the dialogs to word its messages, handed in by the composition root."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Protocol

from commissioning.reminders import Notice, Snapshot


class NoticeRenderer(Protocol):
    """A due notice as the payload (card and summary) stored in the outbox."""

    def __call__(
        self, notice: Notice, snapshot: Snapshot, *, zone: tzinfo, working_days_late: int | None
    ) -> dict[str, object]: ...


class ReportRenderer(Protocol):
    """A delivery report (dead, uncertain, unreachable) for an administrator or a commissioner."""

    def __call__(
        self,
        kind: str,
        *,
        person: str,
        about: str,
        contract: str = "",
        error: str = "",
        attempts: int = 0,
        told: Sequence[str] = (),
    ) -> dict[str, Any]: ...


@dataclass(frozen=True)
class NotificationCards:
    """The card builders the sweep and the dispatcher call; neither imports a dialog."""

    notice: NoticeRenderer
    summary: Callable[[Sequence[tuple[str, dict[str, Any]]]], dict[str, Any]]
    report: ReportRenderer
    max_summary: int  # at most this many items in one summary card
