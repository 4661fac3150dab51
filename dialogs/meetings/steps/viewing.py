"""Looking at meetings: one meeting's agenda or minutes, the coming meetings and the ones held."""

from __future__ import annotations

from commissioning.roles import Permission
from dialogs.base import NoPayload, Refused, Reply, Turn
from dialogs.meetings.cards.agenda import agenda_card
from dialogs.meetings.cards.lists import coming_card, held_card
from dialogs.meetings.cards.minutes import minutes_card
from dialogs.meetings.context import open_meeting
from dialogs.meetings.payloads import MeetingRef


async def view(turn: Turn, payload: MeetingRef) -> Reply:
    opened = await open_meeting(turn, payload.meeting_id, Permission.VIEW_MEETING)
    if opened.meeting.status != "held":
        return Reply(card=await agenda_card(turn, opened.meeting, opened.contract))
    return Reply(card=await minutes_card(turn, opened.meeting, opened.contract))


async def agenda_list(turn: Turn, _: NoPayload) -> Reply:
    contracts = {c.id: c for c in turn.contracts_where(Permission.VIEW_MEETING)}
    if not contracts:
        raise Refused("You have no role on a contract, so there is no meeting to show.", reason="no role")
    scheduled = await turn.repos.meetings.meetings(contracts, status="scheduled")
    if len(scheduled) == 1:
        return Reply(card=await agenda_card(turn, scheduled[0], contracts[scheduled[0].contract_id]))
    return Reply(card=coming_card(turn, scheduled, contracts))


async def agenda(turn: Turn, payload: MeetingRef) -> Reply:
    opened = await open_meeting(turn, payload.meeting_id, Permission.VIEW_MEETING)
    return Reply(card=await agenda_card(turn, opened.meeting, opened.contract))


async def minutes_list(turn: Turn, _: NoPayload) -> Reply:
    """The meetings held on the sender's contracts, the latest first, each opening its minutes."""
    contracts = {c.id: c for c in turn.contracts_where(Permission.VIEW_MEETING)}
    if not contracts:
        raise Refused("You have no role on a contract, so there is no meeting to show.", reason="no role")
    held = await turn.repos.meetings.meetings(contracts, status="held")
    latest = sorted(held, key=lambda m: (m.held_at is not None, m.held_at or m.period_start), reverse=True)
    return Reply(card=held_card(turn, latest, contracts))
