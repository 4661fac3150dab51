"""A meeting's calendar invitation as an iCalendar (.ics) file: a request, an update or a cancellation.

Built with the `icalendar` library (RFC 5545): one stable UID per meeting, so a calendar replaces the
event it holds; SEQUENCE one more each time the meeting moves; METHOD REQUEST, or CANCEL with STATUS
CANCELLED; the time in the people's zone (Europe/London) with its VTIMEZONE, so 10:00 stays 10:00 on
either side of a clock change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from icalendar import Calendar, Event, vCalAddress, vText

PRODUCT = "-//Steward//Contract meetings//EN"
DEFAULT_LENGTH = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class Invitation:
    """Everything the .ics says about one meeting, as of now."""

    uid: str
    sequence: int
    start: datetime
    title: str
    description: str
    stamp: datetime
    zone: tzinfo
    location: str = ""
    url: str = ""  # a Teams meeting link, when the location is one
    organiser: Person | None = None
    attendees: tuple[Person, ...] = ()
    length: timedelta = DEFAULT_LENGTH
    cancelled: bool = False

    def __post_init__(self) -> None:
        for name in ("start", "stamp"):
            moment = getattr(self, name)
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"{name} must carry a time zone, got naive {moment.isoformat()}")


def meeting_uid(meeting_id: int, host: str) -> str:
    """The same for every version of a meeting's invitation: calendars match updates by it."""
    return f"steward-meeting-{meeting_id}@{host or 'steward.invalid'}"


def is_link(location: str) -> bool:
    return location.startswith(("https://", "http://"))


NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def deadline_words(last_day: str, working_days: int = 5) -> str:
    """What the description says of the deadline the meeting meets (seed 001 §3.3)."""
    days = NUMBERS[working_days] if 0 <= working_days < len(NUMBERS) else str(working_days)
    return (
        f"It meets the deadline of {days} working days after the return was received: the review "
        f"meeting is due by {last_day}."
    )


def _address(person: Person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.name)
    return address


def ics(invitation: Invitation) -> bytes:
    """The .ics file's bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if invitation.cancelled else "REQUEST")
    event = Event()
    event.add("uid", invitation.uid)
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", invitation.stamp)
    start = invitation.start.astimezone(invitation.zone)
    event.add("dtstart", start)
    event.add("dtend", (start + invitation.length).astimezone(invitation.zone))
    event.add("summary", invitation.title)
    event.add("description", invitation.description)
    if invitation.location:
        event.add("location", invitation.location)
    if invitation.url or is_link(invitation.location):
        event.add("url", invitation.url or invitation.location)
    event.add("status", "CANCELLED" if invitation.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if invitation.organiser is not None:
        event.add("organizer", _address(invitation.organiser))
    for attendee in invitation.attendees:
        address = _address(attendee)
        address.params["ROLE"] = vText("REQ-PARTICIPANT")
        address.params["PARTSTAT"] = vText("NEEDS-ACTION")
        address.params["RSVP"] = vText("FALSE")
        event.add("attendee", address, encode=False)
    calendar.add_component(event)
    # The VTIMEZONE for the zone, from its own rules, for the years around the meeting.
    day = start.date()
    calendar.add_missing_timezones(
        first_date=day.replace(day=1, month=1), last_date=day.replace(year=day.year + 2, day=1, month=1)
    )
    data: bytes = calendar.to_ical()
    return data
