"""Recording a held meeting over HTTP: attendance by seat, the PI review with RAG, the fee, decisions, new actions."""

from __future__ import annotations

from sqlalchemy import select

from storage.meeting_models import ActionEvent, ActionItem, Meeting, MeetingAttendance
from storage.models import AuditEvent, Notification, Person
from tests.conftest import Harness
from tests.meeting_steps import (
    IVWS_SHORT,
    count,
    form_values,
    meeting_id,
    only,
    open_record_form,
    person_id,
    record,
    schedule,
    submit_return,
)
from tests.teams import card_actions, card_inputs, card_texts


async def scheduled_meeting(harness: Harness, values: dict[str, str] | None = None) -> int:
    """October's return received and its meeting scheduled for Friday 6 November 10:00; now 12:00 that day."""
    await schedule(harness, await submit_return(harness, values=values))
    harness.clock.advance(days=3, hours=2)
    return await meeting_id(harness)


async def test_the_form_is_prefilled_with_attendance_by_seat_and_the_returns_pis_with_rag(
    harness: Harness,
) -> None:
    meeting = await scheduled_meeting(harness)

    daniel = await open_record_form(harness, meeting)

    inputs = card_inputs(daniel.card)
    texts = card_texts(daniel.card)
    hannah, tom, priya = [await person_id(harness, name) for name in ("hannah", "tom", "priya")]
    assert [(inputs[f"att_{p}"]["label"], inputs[f"att_{p}"]["value"]) for p in (hannah, tom, priya)] == [
        ("Hannah Clarke", "attended"),
        ("Tom Whitaker", "attended"),
        ("Priya Shah", "attended"),
    ]
    assert "Victims Programme Manager" in texts
    assert "Performance Data Manager" in texts
    assert "No one holds: VAWG Programme Manager, Restorative Justice Programme Manager" in texts
    pi2 = texts.index("Victims contacted within two working days")
    assert texts[pi2 : pi2 + 4] == [
        "Victims contacted within two working days",
        "Minimum: at least 90%",
        "93.5%",
        "● Green",
    ]
    assert (inputs["held_date"]["value"], inputs["held_time"]["value"]) == ("2026-11-06", "10:00")
    assert "Minimum service requirements met: the fee can be signed off." in texts
    assert inputs["fee"]["value"] == "signed_off"
    people = [str(await person_id(harness, name)) for name in ("priya", "tom", "daniel", "hannah", "amara")]
    assert sorted(c["value"] for c in inputs["act_1_owner"]["choices"]) == sorted(people)


async def test_each_comment_box_is_labelled_with_its_indicator(harness: Harness) -> None:
    meeting = await scheduled_meeting(harness)

    daniel = await open_record_form(harness, meeting)

    inputs = card_inputs(daniel.card)
    assert [inputs[f"pi_note_PI{n}"]["label"] for n in range(1, 8)] == [
        "Comment on PI1: Referrals received",
        "Comment on PI2: Victims contacted within two working days",
        "Comment on PI3: Needs assessments completed",
        "Comment on PI4: High-risk victims supported",
        "Comment on PI5: Witnesses given pre-trial support",
        "Comment on PI6: User satisfaction",
        "Comment on PI7: Safeguarding concerns escalated within 24 hours",
    ]


async def test_the_commissioner_recording_is_in_the_attendance_list(harness: Harness) -> None:
    meeting = await scheduled_meeting(harness)

    daniel = await open_record_form(harness, meeting)

    me = await person_id(harness, "daniel")
    assert (
        card_inputs(daniel.card)[f"att_{me}"]["label"],
        card_inputs(daniel.card)[f"att_{me}"]["value"],
    ) == (
        "Daniel Reyes",
        "attended",
    )
    assert "Recording the meeting" in card_texts(daniel.card)


async def test_anyone_on_the_contract_without_a_seat_can_be_marked_present(harness: Harness) -> None:
    meeting = await scheduled_meeting(harness)
    amara = await person_id(harness, "amara")  # the director: no seat at the monthly review

    daniel = await open_record_form(harness, meeting)
    assert "Also on the contract" in card_texts(daniel.card)
    assert card_inputs(daniel.card)[f"att_{amara}"]["value"] == "not_there"
    daniel = await record(harness, meeting, **{f"att_{amara}": "attended"})

    assert "Amara Okafor: Attended (On the contract)" in card_texts(daniel.card)


async def test_recording_keeps_attendance_absences_decisions_the_fee_and_new_actions(
    harness: Harness,
) -> None:
    meeting = await scheduled_meeting(harness)
    tom, priya = await person_id(harness, "tom"), await person_id(harness, "priya")

    daniel = await record(
        harness,
        meeting,
        **{f"att_{tom}": "apologies"},
        pi_note_PI2="Recovered after two new starters.",
        decisions="Keep weekly contact-time reporting until January.",
        act_1_what="Send the staffing plan for Q3",
        act_1_owner=str(priya),
        act_1_due="2026-11-20",
    )

    texts = card_texts(daniel.card)
    assert texts[:2] == [
        "Minutes: Monthly performance review: October 2026",
        "Recorded. The minutes are sent to the attendees.",
    ]
    assert "Tom Whitaker: Sent apologies (Heads of Service)" in texts
    assert "Monthly service fee: Signed off (minimum service requirements met)" in texts
    assert "Comment: Recovered after two new starters." in texts
    assert "• Send the staffing plan for Q3 (Priya Shah, due 20 Nov 2026)" in texts
    stored = await only(harness, Meeting)
    assert (stored.status, stored.fee_decision, stored.requirements_met, stored.return_version) == (
        "held",
        "signed_off",
        True,
        1,
    )
    assert stored.decisions == "Keep weekly contact-time reporting until January."
    assert stored.pi_review[1] == {
        "code": "PI2",
        "name": "Victims contacted within two working days",
        "value": 93.5,
        "shown": "93.5%",
        "rag": "green",
        "requirement": "at least 90%",
        "note": "Recovered after two new starters.",
    }
    async with harness.steward.database.session() as session:
        attendance = (
            await session.execute(
                select(Person.name, MeetingAttendance.status, MeetingAttendance.seats)
                .join(Person, Person.id == MeetingAttendance.person_id)
                .order_by(MeetingAttendance.id)
            )
        ).all()
    assert attendance == [
        ("Hannah Clarke", "attended", "Victims Programme Manager"),
        ("Tom Whitaker", "apologies", "Heads of Service"),
        ("Priya Shah", "attended", "Performance Data Manager"),
        ("Daniel Reyes", "attended", "Recording the meeting"),
    ]
    action = await only(harness, ActionItem)
    assert (action.description, action.owner_id, action.due_on.isoformat(), action.status, action.level) == (
        "Send the staffing plan for Q3",
        priya,
        "2026-11-20",
        "open",
        "monthly_review",
    )
    assert (await only(harness, ActionEvent)).kind == "created"


async def test_the_owner_is_told_of_the_action_and_attendees_get_the_minutes(harness: Harness) -> None:
    meeting = await scheduled_meeting(harness)
    priya = await person_id(harness, "priya")

    await record(
        harness, meeting, act_1_what="Send the staffing plan", act_1_owner=str(priya), act_1_due="2026-11-20"
    )

    async with harness.steward.database.session() as session:
        sent = (
            await session.execute(
                select(Notification.kind, Person.name)
                .join(Person, Person.id == Notification.recipient_id)
                .where(Notification.kind.in_(["action.assigned", "meeting.recorded"]))  # type: ignore[attr-defined]
                .order_by(Notification.kind, Person.name)
            )
        ).all()
    assert sent == [
        ("action.assigned", "Priya Shah"),
        ("meeting.recorded", "Hannah Clarke"),
        ("meeting.recorded", "Priya Shah"),
        ("meeting.recorded", "Tom Whitaker"),
    ]


async def test_signing_off_the_fee_below_the_minimum_without_a_reason_is_refused_with_entries_kept(
    harness: Harness,
) -> None:
    meeting = await scheduled_meeting(harness, IVWS_SHORT)
    daniel = await open_record_form(harness, meeting)
    assert (
        "Minimum service requirements not all met: signing off the fee needs a recorded reason."
        in card_texts(daniel.card)
    )
    assert card_inputs(daniel.card)["fee"].get("value") is None

    await daniel.press(
        "meeting.record",
        {
            **form_values(daniel.card),
            "meeting_id": meeting,
            "fee": "signed_off",
            "decisions": "PI4 recovery plan agreed.",
        },
    )

    texts = card_texts(daniel.card)
    assert "Please correct 1 entry below. Nothing has been saved yet." in texts
    assert (
        "The minimum service requirements were not all met, so signing off the fee needs a reason. It is recorded."
        in texts
    )
    assert card_inputs(daniel.card)["decisions"]["value"] == "PI4 recovery plan agreed."
    assert card_inputs(daniel.card)["fee"]["value"] == "signed_off"
    assert (await only(harness, Meeting)).status == "scheduled"


async def test_signing_off_the_fee_below_the_minimum_with_a_reason_records_it(harness: Harness) -> None:
    meeting = await scheduled_meeting(harness, IVWS_SHORT)

    daniel = await record(
        harness, meeting, fee="signed_off", fee_reason="Recovery plan agreed; PI4 back on track."
    )

    assert "Monthly service fee: Signed off (minimum service requirements not all met)" in card_texts(
        daniel.card
    )
    assert "Reason: Recovery plan agreed; PI4 back on track." in card_texts(daniel.card)
    stored = await only(harness, Meeting)
    assert (stored.requirements_met, stored.fee_reason) == (False, "Recovery plan agreed; PI4 back on track.")
    assert [row["rag"] for row in stored.pi_review] == [
        "green",
        "amber",
        "green",
        "red",
        "green",
        "green",
        "green",
    ]


async def test_withholding_the_fee_needs_a_reason(harness: Harness) -> None:
    meeting = await scheduled_meeting(harness)

    daniel = await record(harness, meeting, fee="withheld")

    assert (
        "Give the reason the fee is not signed off; it is recorded and the provider sees it."
        in card_texts(daniel.card)
    )
    assert (await only(harness, Meeting)).status == "scheduled"


async def test_an_action_owner_from_outside_the_contract_is_refused_beside_the_field(
    harness: Harness,
) -> None:
    meeting = await scheduled_meeting(harness)
    lewis = await person_id(harness, "lewis")

    daniel = await record(
        harness, meeting, act_1_what="Share the referral data", act_1_owner=str(lewis), act_1_due="2026-11-20"
    )

    texts = card_texts(daniel.card)
    assert "Choose who owns it from the contract's people." in texts
    assert card_inputs(daniel.card)["act_1_what"]["value"] == "Share the referral data"
    assert await count(harness, ActionItem) == 0
    assert (await only(harness, Meeting)).status == "scheduled"


async def test_a_half_filled_new_action_is_refused_beside_its_fields(harness: Harness) -> None:
    meeting = await scheduled_meeting(harness)

    daniel = await record(harness, meeting, act_2_what="Share the referral data")

    texts = card_texts(daniel.card)
    assert "Choose who owns it from the contract's people." in texts
    assert "Choose the due date." in texts
    assert await count(harness, ActionItem) == 0


async def test_a_meeting_held_after_the_deadline_needs_a_reason(harness: Harness) -> None:
    meeting = await scheduled_meeting(harness)
    harness.clock.advance(days=5)  # Wednesday 11 November

    daniel = await record(harness, meeting, held_date="2026-11-11", held_time="09:30")

    assert (
        "It was held after the deadline (Tuesday 10 November 2026). Give the reason; it is recorded."
        in card_texts(daniel.card)
    )
    daniel = await record(
        harness, meeting, held_date="2026-11-11", held_time="09:30", late_reason="Fire alarm on the 6th."
    )
    assert "Deadline: missed (Tuesday 10 November 2026)" in card_texts(daniel.card)
    assert "Reason for the later date: Fire alarm on the 6th." in card_texts(daniel.card)


async def test_a_meeting_cannot_be_recorded_before_it_is_held(harness: Harness) -> None:
    meeting = await scheduled_meeting(harness)

    daniel = await record(harness, meeting, held_date="2026-11-06", held_time="15:00")

    assert "A meeting can be recorded once it has been held: this time is still to come." in card_texts(
        daniel.card
    )


async def test_a_forged_record_press_by_the_provider_is_refused_changes_nothing_and_is_audited(
    harness: Harness,
) -> None:
    meeting = await scheduled_meeting(harness)
    priya = harness.user("priya")

    await priya.press(
        "meeting.record",
        {"meeting_id": meeting, "held_date": "2026-11-06", "held_time": "10:00", "fee": "signed_off"},
    )

    assert card_texts(priya.card)[:2] == [
        "That isn't available to you",
        "You don't have a role on that contract that allows this.",
    ]
    assert (await only(harness, Meeting)).status == "scheduled"
    async with harness.steward.database.session() as session:
        [event] = (await session.execute(select(AuditEvent).where(AuditEvent.action == "refused"))).scalars()
    assert (event.entity_id, event.after["reason"].split(":")[0]) == ("meeting.record", "record_meeting")


async def test_recording_twice_stores_it_once(harness: Harness) -> None:
    meeting = await scheduled_meeting(harness)
    priya = str(await person_id(harness, "priya"))
    entries = {"act_1_what": "Send the staffing plan", "act_1_owner": priya, "act_1_due": "2026-11-20"}
    daniel = await open_record_form(harness, meeting)
    data = {**form_values(daniel.card), **entries, "meeting_id": meeting}

    await daniel.press("meeting.record", data)
    await daniel.press("meeting.record", data)

    assert card_texts(daniel.card)[1] == "This meeting has already been recorded."
    assert await count(harness, ActionItem) == 1
    async with harness.steward.database.session() as session:
        recorded = (
            (await session.execute(select(AuditEvent).where(AuditEvent.action == "meeting.recorded")))
            .scalars()
            .all()
        )
    assert len(recorded) == 1


async def test_the_minutes_are_visible_to_the_provider_but_not_to_another_provider(harness: Harness) -> None:
    meeting = await scheduled_meeting(harness)
    await record(harness, meeting)
    priya, lewis = harness.user("priya"), harness.user("lewis")

    await priya.press("meeting.view", {"meeting_id": meeting})
    await lewis.press("meeting.view", {"meeting_id": meeting})

    assert card_texts(priya.card)[0] == "Minutes: Monthly performance review: October 2026"
    assert list(card_actions(priya.card)) == ["Action log", "My actions"]
    assert card_texts(lewis.card)[:2] == [
        "That isn't available to you",
        "You don't have a role on that contract that allows this.",
    ]


async def test_typing_record_meeting_lists_the_scheduled_meetings(harness: Harness) -> None:
    await scheduled_meeting(harness)
    daniel = harness.user("daniel")

    await daniel.say("record meeting")

    [reply] = [
        c for c in harness.connector.sent(daniel.conversation_id) if "Meetings to record" in str(c.card)
    ]
    assert card_texts(reply.card) == [
        "Meetings to record",
        "Integrated Victims and Witnesses Service: Monthly performance review: October 2026",
        "Friday 6 November 2026 at 10:00",
    ]


async def test_the_monthly_agenda_brings_the_returns_figures_open_actions_and_the_fee(
    harness: Harness,
) -> None:
    await schedule(harness, await submit_return(harness, values=IVWS_SHORT))
    hannah = harness.user("hannah")

    await hannah.press("meeting.agenda", {"meeting_id": await meeting_id(harness)})

    texts = card_texts(hannah.card)
    assert texts[:4] == [
        "Agenda: Monthly performance review: October 2026",
        "Contract: Integrated Victims and Witnesses Service",
        "When: Friday 6 November 2026 at 10:00",
        "Deadline: Tuesday 10 November 2026, close of business (17:30)",
    ]
    first = texts.index("1. Review outcomes against performance indicators")
    assert texts[first + 1 : first + 5] == [
        "• Referrals received: 2,710 (Green)",
        "⚠ Victims contacted within two working days: 87% (Amber)",
        "• Needs assessments completed: 88% (Green)",
        "⚠ High-risk victims supported: 120 (Red)",
    ]
    assert (
        "⚠ Below the minimum: Victims contacted within two working days, High-risk victims supported" in texts
    )
    assert "• No open actions." in texts
    assert texts[-2:] == [
        "8. Sign off payment of the monthly service fee",
        "⚠ Minimum service requirements not all met: sign-off needs a recorded reason.",
    ]
    assert list(card_actions(hannah.card)) == ["Record the meeting", "Action log"]
