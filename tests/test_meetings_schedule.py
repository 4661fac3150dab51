"""Scheduling the review meeting over HTTP: the offer on receipt, the deadline, a later date only with a reason."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from commissioning.clock import FrozenClock
from storage.meeting_models import Meeting
from storage.models import AuditEvent, Notification, Person
from tests.conftest import START, Harness
from tests.connector_standin import ConnectorStandIn
from tests.meeting_steps import IVWS_GOOD, contract_id, count, meeting_id, only, schedule, submit_return
from tests.teams import card_actions, card_inputs, card_texts


async def review_card_for(harness: Harness, who: str = "daniel") -> dict:
    """The reviewer's card for the return, as delivered to their chat."""
    reviewer = harness.user(who)
    await reviewer.install()
    await harness.settle()
    [delivered] = [
        c for c in harness.connector.sent(reviewer.conversation_id) if "Monthly return" in str(c.card)
    ]
    return delivered.card  # type: ignore[return-value]


async def recipients(harness: Harness, kind: str) -> list[str]:
    async with harness.steward.database.session() as session:
        query = (
            select(Person.name)
            .join(Notification, Notification.recipient_id == Person.id)
            .where(Notification.kind == kind)
            .order_by(Person.name)
        )
        return list((await session.execute(query)).scalars())


async def test_a_received_return_offers_its_reviewers_the_meeting_with_the_deadline_and_a_proposed_time(
    harness: Harness,
) -> None:
    await submit_return(harness)

    offer = await review_card_for(harness)

    texts = card_texts(offer)
    assert "Meeting: Monthly performance review: October 2026" in texts
    assert "Deadline: Tuesday 10 November 2026, close of business (17:30)" in texts
    inputs = card_inputs(offer)
    assert (inputs["meeting_date"]["type"], inputs["meeting_date"]["value"]) == ("Input.Date", "2026-11-06")
    assert (inputs["meeting_time"]["type"], inputs["meeting_time"]["value"]) == ("Input.Time", "10:00")
    assert list(card_actions(offer)) == ["Schedule meeting", "View return"]


async def test_the_programme_manager_gets_the_same_offer(harness: Harness) -> None:
    await submit_return(harness)

    offer = await review_card_for(harness, "hannah")

    assert "Deadline: Tuesday 10 November 2026, close of business (17:30)" in card_texts(offer)


async def test_a_return_received_after_close_of_business_counts_from_the_next_working_day(
    harness: Harness,
) -> None:
    harness.clock.advance(hours=7, minutes=45)  # Tuesday 3 November, 17:45

    await submit_return(harness)

    assert "Deadline: Wednesday 11 November 2026, close of business (17:30)" in card_texts(
        await review_card_for(harness)
    )


async def test_an_amendment_does_not_offer_a_new_meeting(harness: Harness) -> None:
    await submit_return(harness)
    harness.clock.advance(days=1)
    data = {"contract_id": await contract_id(harness), "month": "2026-10", "based_on_version": 1}

    await harness.user("priya").press("return.submit", {**data, **IVWS_GOOD, "pi_PI2": "91"})

    async with harness.steward.database.session() as session:
        query = select(Notification.payload).where(Notification.kind == "return.amended")
        amended = (await session.execute(query)).scalars().all()
    assert len(amended) == 2
    assert all(list(card_actions(payload["card"])) == ["View return"] for payload in amended)


async def test_scheduling_within_the_deadline_stores_it_and_invites_the_meetings_seats(
    harness: Harness,
) -> None:
    return_id = await submit_return(harness)

    daniel = await schedule(harness, return_id, "2026-11-06", "10:00", location="Room 4.12")

    texts = card_texts(daniel.card)
    assert texts[:2] == [
        "Scheduled: Monthly performance review: October 2026",
        "Scheduled within the deadline.",
    ]
    assert "When: Friday 6 November 2026 at 10:00" in texts
    assert "Invited: Hannah Clarke, Tom Whitaker, Priya Shah" in texts
    meeting = await only(harness, Meeting)
    assert (meeting.kind, meeting.status, meeting.late_reason) == ("monthly_review", "scheduled", "")
    assert meeting.scheduled_for.isoformat() == "2026-11-06T10:00:00+00:00"
    assert await recipients(harness, "meeting.invite") == ["Hannah Clarke", "Priya Shah", "Tom Whitaker"]


async def test_an_invitee_gets_a_card_naming_their_seat(harness: Harness) -> None:
    tom = harness.user("tom")
    await tom.install()
    await schedule(harness, await submit_return(harness))
    await harness.settle()

    [invite] = [c for c in harness.connector.sent(tom.conversation_id) if "invited" in str(c.card)]

    assert card_texts(invite.card) == [
        "You're invited: Monthly performance review: October 2026",
        "Contract: Integrated Victims and Witnesses Service",
        "When: Friday 6 November 2026 at 10:00",
        "Your seat: Heads of Service",
    ]
    assert list(card_actions(invite.card)) == ["View agenda", "Add to calendar"]


async def test_a_date_past_the_deadline_without_a_reason_is_refused_with_the_values_kept(
    harness: Harness,
) -> None:
    return_id = await submit_return(harness)
    daniel = harness.user("daniel")

    await daniel.press(
        "meeting.schedule",
        {
            "return_id": return_id,
            "meeting_date": "2026-11-12",
            "meeting_time": "14:30",
            "location": "Room 4.12",
        },
    )

    texts = card_texts(daniel.card)
    assert "Please check the entries below. Nothing has been saved yet." in texts
    assert (
        "That is after the deadline (Tuesday 10 November 2026). Give the reason the meeting cannot be held in "
        "time; it is recorded." in texts
    )
    inputs = card_inputs(daniel.card)
    assert [inputs[k].get("value") for k in ("meeting_date", "meeting_time", "location")] == [
        "2026-11-12",
        "14:30",
        "Room 4.12",
    ]
    assert await count(harness, Meeting) == 0


async def test_a_date_past_the_deadline_with_a_reason_is_accepted_and_the_reason_recorded(
    harness: Harness,
) -> None:
    return_id = await submit_return(harness)

    daniel = await schedule(
        harness,
        return_id,
        "2026-11-12",
        "14:30",
        late_reason="The Director is at the Home Office until the 11th.",
    )

    texts = card_texts(daniel.card)
    assert "Scheduled after the deadline; the reason is recorded." in texts
    assert "Reason for the later date: The Director is at the Home Office until the 11th." in texts
    meeting = await only(harness, Meeting)
    assert meeting.late_reason == "The Director is at the Home Office until the 11th."
    async with harness.steward.database.session() as session:
        event = (
            await session.execute(select(AuditEvent).where(AuditEvent.action == "meeting.scheduled"))
        ).scalar_one()
    assert (event.after["late"], event.after["late_reason"]) == (True, meeting.late_reason)


async def test_a_reason_given_for_a_date_inside_the_deadline_is_not_kept(harness: Harness) -> None:
    await schedule(harness, await submit_return(harness), late_reason="Just in case")

    assert (await only(harness, Meeting)).late_reason == ""


@pytest.mark.parametrize(
    ("day", "at", "field", "message"),
    [
        pytest.param(
            "2026-11-07",
            "10:00",
            "meeting_date",
            "Saturday 7 November 2026 is not a working day. Choose a working day.",
            id="saturday",
        ),
        pytest.param(
            "2026-11-03", "09:00", "meeting_date", "Choose a date and time from now on.", id="in-the-past"
        ),
        pytest.param(
            "next friday", "10:00", "meeting_date", "Enter the date, for example 2026-11-06.", id="not-a-date"
        ),
        pytest.param(
            "2026-11-06", "25:00", "meeting_time", "Enter the start time, for example 10:00.", id="not-a-time"
        ),
    ],
)
async def test_a_bad_date_or_time_is_refused_beside_its_field(
    harness: Harness, day: str, at: str, field: str, message: str
) -> None:
    return_id = await submit_return(harness)
    daniel = harness.user("daniel")

    await daniel.press("meeting.schedule", {"return_id": return_id, "meeting_date": day, "meeting_time": at})

    texts = card_texts(daniel.card)
    assert message in texts
    assert card_inputs(daniel.card)[field]["value"] == (day if field == "meeting_date" else at)
    assert await count(harness, Meeting) == 0


async def test_moving_the_meeting_is_audited_and_tells_the_invitees_again(harness: Harness) -> None:
    return_id = await submit_return(harness)
    await schedule(harness, return_id, "2026-11-06", "10:00")

    await schedule(harness, return_id, "2026-11-09", "11:00")

    assert await count(harness, Meeting) == 1
    async with harness.steward.database.session() as session:
        moved = (
            await session.execute(select(AuditEvent).where(AuditEvent.action == "meeting.rescheduled"))
        ).scalar_one()
        invites = (
            (await session.execute(select(Notification.payload).where(Notification.kind == "meeting.invite")))
            .scalars()
            .all()
        )
    assert (moved.before["scheduled_for"], moved.after["scheduled_for"]) == (
        "2026-11-06T10:00:00+00:00",
        "2026-11-09T11:00:00+00:00",
    )
    assert (
        sorted(card_texts(p["card"])[0] for p in invites)
        == [
            "Moved: Monthly performance review: October 2026",
        ]
        * 3
        + ["You're invited: Monthly performance review: October 2026"] * 3
    )


async def test_pressing_schedule_twice_changes_nothing_the_second_time(harness: Harness) -> None:
    return_id = await submit_return(harness)
    await schedule(harness, return_id)

    daniel = await schedule(harness, return_id)

    assert "Already scheduled for this time." in card_texts(daniel.card)
    async with harness.steward.database.session() as session:
        actions = (
            (await session.execute(select(AuditEvent.action).where(AuditEvent.entity == "meeting")))
            .scalars()
            .all()
        )
    assert actions == ["meeting.scheduled"]
    assert await count(harness, Notification) == 2 + 3  # two reviewer cards, three invitations


async def test_a_forged_schedule_press_by_the_provider_is_refused_changes_nothing_and_is_audited(
    harness: Harness,
) -> None:
    return_id = await submit_return(harness)
    priya = harness.user("priya")

    await priya.press(
        "meeting.schedule", {"return_id": return_id, "meeting_date": "2026-11-06", "meeting_time": "10:00"}
    )

    assert card_texts(priya.card)[:2] == [
        "That isn't available to you",
        "You don't have a role on that contract that allows this.",
    ]
    assert await count(harness, Meeting) == 0
    async with harness.steward.database.session() as session:
        [event] = (await session.execute(select(AuditEvent).where(AuditEvent.action == "refused"))).scalars()
    assert (event.entity_id, event.after["reason"]) == (
        "meeting.schedule",
        f"schedule_meeting:{await contract_id(harness)}",
    )


async def test_another_contracts_commissioner_cannot_schedule_or_even_see_the_meeting(
    harness: Harness,
) -> None:
    return_id = await submit_return(harness)
    samir = harness.user("samir")

    await samir.press("meeting.plan", {"return_id": return_id})

    assert card_texts(samir.card)[1] == "You don't have a role on that contract that allows this."
    assert "Integrated" not in str(samir.card)


async def test_typing_schedule_meeting_lists_the_returns_waiting_with_their_deadlines(
    harness: Harness,
) -> None:
    return_id = await submit_return(harness)
    daniel = harness.user("daniel")

    await daniel.say("schedule meeting")

    [reply] = [c for c in harness.connector.sent(daniel.conversation_id) if "Returns waiting" in str(c.card)]
    assert card_texts(reply.card) == [
        "Returns waiting for their review meeting",
        "Integrated Victims and Witnesses Service: Monthly performance review: October 2026",
        "Deadline Tuesday 10 November 2026, close of business (17:30)",
    ]
    await daniel.press("meeting.plan", {"return_id": return_id})
    assert card_texts(daniel.card)[0] == "Schedule the review meeting"
    assert card_inputs(daniel.card)["meeting_date"]["value"] == "2026-11-06"


async def test_help_lists_the_meeting_action_and_deliverable_commands(harness: Harness) -> None:
    daniel = harness.user("daniel")

    await daniel.press("help")

    texts = card_texts(daniel.card)
    for phrase in (
        "schedule meeting",
        "record meeting",
        "agenda",
        "my actions",
        "action log",
        "deliverables",
    ):
        assert any(line.startswith(f"{phrase}:") for line in texts), phrase


@pytest.fixture
async def closed_monday(database_url: str, connector: ConnectorStandIn) -> AsyncIterator[Harness]:
    running = await Harness(database_url, FrozenClock(START), connector, CLOSURE_DAYS="2026-11-09").start()
    yield running
    await running.close()


async def test_a_configured_closure_day_moves_the_deadline(closed_monday: Harness) -> None:
    await submit_return(closed_monday)

    assert "Deadline: Wednesday 11 November 2026, close of business (17:30)" in card_texts(
        await review_card_for(closed_monday)
    )


async def test_the_closure_day_itself_cannot_be_chosen(closed_monday: Harness) -> None:
    return_id = await submit_return(closed_monday)
    daniel = closed_monday.user("daniel")

    await daniel.press(
        "meeting.schedule", {"return_id": return_id, "meeting_date": "2026-11-09", "meeting_time": "10:00"}
    )

    assert "Monday 9 November 2026 is not a working day. Choose a working day." in card_texts(daniel.card)
    assert await meeting_id(closed_monday) is None
