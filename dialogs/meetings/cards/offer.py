"""The review meeting offered on the reviewers' card when a return comes in: its deadline and a proposed time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commissioning.deadlines import propose_meeting_time, review_deadline
from commissioning.meetings import meeting_for_return
from commissioning.periods import Month
from dialogs.base import Turn
from dialogs.cards import facts, subtle, text
from dialogs.meetings.cards.schedule import date_and_time, deadline_text, schedule_button, schedule_fields
from storage.models import Contract, MonthlyReturn

PROPOSED = "A time inside the deadline is proposed below: change it if it doesn't suit."


@dataclass(frozen=True)
class MeetingOffer:
    """What the reviewers' card on receipt of a return adds: the meeting, its deadline, a proposed time."""

    elements: list[dict[str, Any]]
    buttons: list[dict[str, Any]]


def review_meeting_offer(
    turn: Turn, contract: Contract, monthly: MonthlyReturn, month: Month
) -> MeetingOffer | None:
    """For the reviewers' card on receipt of a return: its meeting, the deadline, and a proposed time.

    None when the return has not been received.
    """
    if monthly.clock_started_at is None:
        return None
    slot = meeting_for_return(month, contract.year_start_month)
    deadline = review_deadline(monthly.clock_started_at, turn.rules.meetings)
    proposal = propose_meeting_time(deadline, turn.now, turn.rules.meetings)
    elements = [
        text("Review meeting", weight="Bolder", size="Medium", spacing="Large", separator=True),
        facts([("Meeting", slot.title), ("Deadline", deadline_text(deadline, turn))]),
        subtle(PROPOSED),
        *schedule_fields(date_and_time(proposal, turn), {}),
    ]
    return MeetingOffer(elements, [schedule_button(monthly.id)])
