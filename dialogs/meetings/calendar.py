"""A review meeting's calendar invitation: the link a card offers each attendee, and the .ics it serves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from commissioning.dates import long_date
from commissioning.invitations import Invitation, Person, deadline_words, ics, is_link, meeting_uid
from commissioning.meetings import MeetingType
from commissioning.roles import Permission
from dialogs.base import Refused, Turn
from dialogs.common import meeting_title
from dialogs.meetings.context import invitees, open_meeting
from storage.meeting_models import Meeting
from storage.models import Contract

NOT_SCHEDULED = "That meeting has no time set any more, so there is no invitation to add."


def invitation_link(turn: Turn, meeting: Meeting, person_id: int) -> str | None:
    """A link to the meeting's .ics for `person_id`, working until a day after it starts; None when
    downloads are not set up (no PUBLIC_URL) or the meeting has no time."""
    links = turn.rules.downloads
    if not links.enabled or meeting.scheduled_for is None:
        return None
    return links.invite_url(links.invite_grant(meeting.id, person_id, meeting.scheduled_for, turn.now))


@dataclass(frozen=True)
class InvitationFile:
    filename: str
    data: bytes
    method: str  # REQUEST or CANCEL, for the Content-Type


async def invitation_file(turn: Turn, meeting_id: int) -> InvitationFile:
    """The meeting's invitation as it stands now (its latest time and SEQUENCE), for someone who may
    see the meeting; raises Refused otherwise."""
    opened = await open_meeting(turn, meeting_id, Permission.VIEW_MEETING)
    meeting, contract = opened.meeting, opened.contract
    if meeting.scheduled_for is None:
        raise Refused(NOT_SCHEDULED, reason="not scheduled")
    invitation = await _invitation(turn, meeting, contract, meeting.scheduled_for)
    data = ics(invitation)
    return InvitationFile(f"meeting-{meeting.id}.ics", data, "CANCEL" if invitation.cancelled else "REQUEST")


async def _invitation(turn: Turn, meeting: Meeting, contract: Contract, starts: datetime) -> Invitation:
    seats = (await invitees(turn, contract, MeetingType(meeting.kind))).seats
    organiser = await turn.repos.people.person(meeting.scheduled_by_id) if meeting.scheduled_by_id else None
    deadline = (
        deadline_words(long_date(meeting.deadline_on), turn.rules.meetings.working_days)
        if meeting.deadline_on
        else ""
    )
    lines = [
        f"{meeting_title(meeting)} for {contract.name}.",
        deadline,
        "Open Steward in Teams for the agenda.",
    ]
    host = urlsplit(turn.rules.downloads.base_url).hostname or ""
    return Invitation(
        uid=meeting_uid(meeting.id, host),
        sequence=meeting.invite_sequence,
        start=starts,
        title=f"{contract.name}: {meeting_title(meeting)}",
        description="\n".join(line for line in lines if line),
        stamp=meeting.scheduled_at or turn.now,
        zone=turn.zone,
        location=meeting.location,
        url=meeting.location if is_link(meeting.location) else "",
        organiser=Person(organiser.name, organiser.email) if organiser else None,
        attendees=tuple(Person(seat.person.name, seat.person.email) for seat in seats),
    )
