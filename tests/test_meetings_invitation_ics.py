"""Calendar invitations over HTTP: each attendee's card links to the meeting's .ics, updated when it moves.

Priya submits IVWS's September return on Tuesday 20 October 2026; September closes a quarter, so its
review is the quarterly contract meeting, due by Tuesday 27 October. Daniel schedules it for Thursday 22 October at 10:00 (British Summer Time), then moves it
to Thursday 29 October at 10:00, after the clocks have gone back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from commissioning.clock import FrozenClock
from tests.conftest import Harness
from tests.connector_standin import ConnectorStandIn
from tests.meeting_steps import meeting_id, person_id, schedule, submit_return
from tests.teams import TeamsUser, card_actions, card_texts

RECEIVED = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)  # Tuesday 20 October, 10:00 in London


@pytest.fixture
async def autumn(tmp_path: Path, connector: ConnectorStandIn) -> AsyncIterator[Harness]:
    running = await Harness(f"sqlite:///{tmp_path / 'autumn.db'}", FrozenClock(RECEIVED), connector).start()
    yield running
    await running.close()
    assert not connector.invalid_cards, connector.invalid_cards


def calendar_link(harness: Harness, user: TeamsUser, title_starts: str) -> str:
    """The path of the "Add to calendar" link on the user's latest card whose title starts so."""
    cards = [c.card for c in harness.connector.sent(user.conversation_id) if c.card]
    card = [c for c in cards if card_texts(c)[0].startswith(title_starts)][-1]
    return urlsplit(card_actions(card)["Add to calendar"]["url"]).path


async def fetch(harness: Harness, path: str) -> tuple[int, str, bytes]:
    assert harness.client is not None
    response = await harness.client.get(path)
    return response.status, response.headers.get("Content-Type", ""), await response.read()


def event_of(data: bytes) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return calendar, event


async def test_scheduling_gives_each_attendee_an_invitation_in_london_time(autumn: Harness) -> None:
    tom = autumn.user("tom")
    await tom.install()
    return_id = await submit_return(autumn, month="2026-09")

    daniel = await schedule(autumn, return_id, "2026-10-22", "10:00", location="Room 4.12")
    await autumn.settle()
    status, content_type, data = await fetch(autumn, calendar_link(autumn, tom, "You're invited"))

    assert status == 200
    assert content_type == "text/calendar; charset=utf-8; method=REQUEST"
    calendar, event = event_of(data)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert event["SEQUENCE"] == 0  # type: ignore[index]
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 10, 22, 9, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    assert str(event.decoded("dtstart").tzinfo) == "Europe/London"  # type: ignore[attr-defined]
    assert str(event["LOCATION"]) == "Room 4.12"  # type: ignore[index]
    assert str(event["SUMMARY"]) == (  # type: ignore[index]
        "Integrated Victims and Witnesses Service: Quarterly contract meeting: Q2 2026/27"
    )
    assert "the deadline of five working days after the return was received" in str(event["DESCRIPTION"])  # type: ignore[index]
    assert "due by Tuesday 27 October 2026" in str(event["DESCRIPTION"])  # type: ignore[index]
    assert "mailto:tom.whitaker@victimsupport.example" in [str(a) for a in event["ATTENDEE"]]  # type: ignore[index]
    assert "Add to calendar" in card_actions(daniel.card)  # the one scheduling has it on their own card


async def test_moving_the_meeting_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    autumn: Harness,
) -> None:
    tom = autumn.user("tom")
    await tom.install()
    return_id = await submit_return(autumn, month="2026-09")
    await schedule(autumn, return_id, "2026-10-22", "10:00")
    await autumn.settle()
    first_link = calendar_link(autumn, tom, "You're invited")
    _, first = event_of((await fetch(autumn, first_link))[2])

    await schedule(autumn, return_id, "2026-10-29", "10:00", late_reason="The chair is away until then.")
    await autumn.settle()
    _, moved = event_of((await fetch(autumn, calendar_link(autumn, tom, "Moved")))[2])

    assert str(moved["UID"]) == str(first["UID"])  # type: ignore[index]
    assert (first["SEQUENCE"], moved["SEQUENCE"]) == (0, 1)  # type: ignore[index]
    assert moved.decoded("dtstart").astimezone(UTC) == datetime(2026, 10, 29, 10, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    _, again = event_of((await fetch(autumn, first_link))[2])  # the first card's link gives the latest
    assert again["SEQUENCE"] == 1  # type: ignore[index]


async def test_a_tampered_link_and_someone_elses_meeting_give_no_invitation(autumn: Harness) -> None:
    tom = autumn.user("tom")
    await tom.install()
    await schedule(autumn, await submit_return(autumn, month="2026-09"), "2026-10-22", "10:00")
    await autumn.settle()
    link = calendar_link(autumn, tom, "You're invited")
    links = autumn.steward.core.rules.downloads
    lewis = await person_id(autumn, "lewis.grant")  # CRS-ACC's provider: not on IVWS
    his = links.invite_grant(await meeting_id(autumn), lewis, autumn.clock.now(), autumn.clock.now())

    tampered = await fetch(autumn, link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"))
    outsider = await fetch(autumn, urlsplit(links.invite_url(his)).path)

    assert tampered[0] == 403 and b"not valid" in tampered[2]
    assert outsider[0] == 403 and b"not available to you" in outsider[2]
