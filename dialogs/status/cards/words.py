"""The status journey's words: a RAG rating as a coloured word with a shape, what is overdue, meetings due."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from commissioning.indicators import Rag
from commissioning.standing import RAG_LABEL
from dialogs.cards import RAG_COLOUR, plain, text
from dialogs.common import when_text
from dialogs.status.context import ContractStanding, MeetingDue


def rating_text(rating: Rag | None, unrated: str) -> dict[str, Any]:
    """'✖ Red' in the attention colour; the word and the shape carry it, the colour only adds to it."""
    if rating is None:
        return text(unrated, isSubtle=True, horizontalAlignment="Right")
    return text(RAG_LABEL[rating], color=RAG_COLOUR[rating], weight="Bolder", horizontalAlignment="Right")


def counted(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def overdue_words(standing: ContractStanding) -> str:
    """'Overdue: 1 return, 1 meeting, 2 actions.' or 'Nothing overdue.'"""
    parts = [
        counted(len(standing.overdue_returns), "return"),
        counted(len(standing.overdue_meetings), "meeting"),
        counted(len(standing.overdue_actions), "action"),
    ]
    shown = [part for part in parts if not part.startswith("0 ")]
    return f"⚠ Overdue: {', '.join(shown)}." if shown else "Nothing overdue."


def meeting_words(meeting: MeetingDue, zone: ZoneInfo) -> str:
    """'Monthly performance review: October 2026, Friday 6 November 2026 at 10:00 (deadline …)'."""
    deadline = f"deadline {when_text(meeting.deadline, zone)}" if meeting.deadline else "no deadline set"
    if meeting.when is None:
        return f"{plain(meeting.title)}: not scheduled yet ({deadline})"
    return f"{plain(meeting.title)}: {when_text(meeting.when, zone)} ({deadline})"


def late_words(meeting: MeetingDue, zone: ZoneInfo) -> str:
    """'Monthly performance review: July 2026, not held by its deadline, Wednesday 12 August 2026 at 17:30'."""
    deadline = f", {when_text(meeting.deadline, zone)}" if meeting.deadline else ""
    scheduled = f"; scheduled for {when_text(meeting.when, zone)}" if meeting.when else ""
    return f"{plain(meeting.title)}: not held by its deadline{deadline}{scheduled}"
