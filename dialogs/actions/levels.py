"""Moving an unresolved action up: carried to the quarterly meeting, escalated to the governance board."""

from __future__ import annotations

from commissioning.actions import carry_to_quarterly, escalate_to_board
from commissioning.meetings import MeetingType, quarterly_meeting_due
from commissioning.periods import last_completed_quarter
from dialogs.actions.changes import record_change
from dialogs.actions.notices import notify_directors
from dialogs.base import Turn
from storage.actions import action_state
from storage.meeting_models import ActionItem, Meeting
from storage.models import Contract
from storage.statuses import MeetingStatus


async def next_quarterly_label(turn: Turn, contract: Contract) -> str:
    """The next quarterly meeting due: the soonest one scheduled and still to come, else the rule's quarter."""
    repos, kind = turn.repos, MeetingType.QUARTERLY_CONTRACT.value
    scheduled = await repos.meetings.meetings([contract.id], status=MeetingStatus.SCHEDULED, kind=kind)
    coming = sorted(
        (m.scheduled_for, m.period_label) for m in scheduled if m.scheduled_for and _still_to_come(m, turn)
    )
    if coming:
        return coming[0][1]
    today = turn.local_now.date()
    last = last_completed_quarter(today, contract.year_start_month)
    meeting = await repos.meetings.find_meeting(contract.id, kind, last.first_day)
    over = meeting is not None and (meeting.status == MeetingStatus.HELD or not _still_to_come(meeting, turn))
    return quarterly_meeting_due(today, contract.year_start_month, last_quarters_is_over=over).label


def _still_to_come(meeting: Meeting, turn: Turn) -> bool:
    """Scheduled for a time that has not yet come; a meeting with no time set yet is not over either."""
    return meeting.scheduled_for is None or meeting.scheduled_for >= turn.now


async def carry(turn: Turn, item: ActionItem, contract: Contract, note: str = "") -> None:
    """Seed 001 §4.7: an action the monthly meeting could not resolve goes on the quarterly meeting's agenda."""
    state = carry_to_quarterly(action_state(item))
    label = await next_quarterly_label(turn, contract)

    def where(stored: ActionItem) -> None:
        stored.carried_to = label

    record_change(
        turn,
        item,
        state,
        kind="carried",
        note=note or f"To the {label} quarterly contract meeting.",
        extra=where,
    )


async def escalate(turn: Turn, item: ActionItem, contract: Contract, note: str = "") -> bool:
    """Seed 001 §4.7, §5.2: the quarterly meeting escalates to the governance board; the director hears at once."""
    state = escalate_to_board(action_state(item))

    def stamp(stored: ActionItem) -> None:
        stored.escalated_at = turn.now

    record_change(turn, item, state, kind="escalated", note=note, extra=stamp)
    return await notify_directors(turn, item, contract)
