"""Worked examples: a meeting's .ics, parsed back with icalendar, holds the right times across the clock change."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from commissioning.deadlines import LONDON
from commissioning.invitations import Invitation, Person, deadline_words, ics, meeting_uid

STAMP = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)


def invitation(start: datetime, **changes: object) -> Invitation:
    values: dict[str, object] = {
        "uid": meeting_uid(7, "steward.example.gov.uk"),
        "sequence": 0,
        "start": start,
        "title": "IVWS: Monthly performance review: September 2026",
        "description": deadline_words("Tuesday 27 October 2026"),
        "stamp": STAMP,
        "zone": LONDON,
        "location": "Room 4.12",
        "organiser": Person("Daniel Reyes", "daniel.reyes@wm-opcc.example"),
        "attendees": (Person("Tom Whitaker", "tom@victimsupport.example"),),
    }
    return Invitation(**{**values, **changes})  # type: ignore[arg-type]


def event_of(data: bytes) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_a_meeting_after_the_clock_goes_back_is_10_00_gmt() -> None:
    calendar, event = event_of(ics(invitation(datetime(2026, 10, 29, 10, 0, tzinfo=LONDON))))

    start = event.decoded("dtstart")  # type: ignore[attr-defined]
    assert start.astimezone(UTC) == datetime(2026, 10, 29, 10, 0, tzinfo=UTC)
    assert str(start.tzinfo) == "Europe/London"
    assert event.decoded("dtend").astimezone(UTC) == datetime(2026, 10, 29, 11, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"


def test_a_meeting_before_the_clock_goes_back_is_09_00_utc() -> None:
    _, event = event_of(ics(invitation(datetime(2026, 10, 22, 10, 0, tzinfo=LONDON))))

    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 10, 22, 9, 0, tzinfo=UTC)  # type: ignore[attr-defined]


def test_a_request_names_its_uid_sequence_people_place_and_the_deadline_it_meets() -> None:
    calendar, event = event_of(ics(invitation(datetime(2026, 10, 22, 10, 0, tzinfo=LONDON), sequence=2)))

    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "steward-meeting-7@steward.example.gov.uk"  # type: ignore[index]
    assert event["SEQUENCE"] == 2  # type: ignore[index]
    assert str(event["STATUS"]) == "CONFIRMED"  # type: ignore[index]
    assert str(event["LOCATION"]) == "Room 4.12"  # type: ignore[index]
    assert str(event["ORGANIZER"]) == "mailto:daniel.reyes@wm-opcc.example"  # type: ignore[index]
    assert [str(a) for a in [event["ATTENDEE"]]] == ["mailto:tom@victimsupport.example"]  # type: ignore[index]
    assert str(event["DESCRIPTION"]) == (  # type: ignore[index]
        "It meets the deadline of five working days after the return was received: the review meeting is "
        "due by Tuesday 27 October 2026."
    )


def test_a_teams_link_as_the_location_is_also_the_events_url() -> None:
    link = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"
    _, event = event_of(ics(invitation(datetime(2026, 10, 22, 10, 0, tzinfo=LONDON), location=link)))

    assert str(event["URL"]) == link  # type: ignore[index]


def test_a_cancellation_keeps_the_uid_and_says_cancel() -> None:
    calendar, event = event_of(
        ics(invitation(datetime(2026, 10, 22, 10, 0, tzinfo=LONDON), sequence=3, cancelled=True))
    )

    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"  # type: ignore[index]
    assert str(event["UID"]) == "steward-meeting-7@steward.example.gov.uk"  # type: ignore[index]
    assert event["SEQUENCE"] == 3  # type: ignore[index]
