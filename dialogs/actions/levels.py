"""Moving an unresolved action up: carried to the quarterly meeting, escalated to the governance board."""

from __future__ import annotations

from commissioning.actions import carry_to_quarterly, escalate_to_board
from commissioning.meetings import MeetingType
from commissioning.periods import last_completed_quarter
from dialogs.actions.changes import record_change
from dialogs.actions.notices import notify_directors
from dialogs.base import Turn
from storage.actions import action_state
from storage.meeting_models import ActionItem
from storage.models import Contract
from storage.statuses import MeetingStatus


async def next_quarterly_label(turn: Turn, contract: Contract) -> str:
    """The quarterly meeting an unresolved action goes to: one already scheduled, else the next to be held."""
    repos = turn.repos
    scheduled = await repos.meetings.meetings(
        [contract.id],
        status=MeetingStatus.SCHEDULED,
        kind=MeetingType.QUARTERLY_CONTRACT.value,
    )
    if scheduled:
        return scheduled[0].period_label
    last = last_completed_quarter(turn.local_now.date(), contract.year_start_month)
    held = await repos.meetings.find_meeting(
        contract.id, MeetingType.QUARTERLY_CONTRACT.value, last.first_day
    )
    return last.label if held is None or held.status != MeetingStatus.HELD else last.next().label


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
