"""The quarterly contract meeting over HTTP: deliverables checklist, KPI review, deep-dive focus, notice, agenda."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.meeting_models import DeliverableRecord, Meeting
from storage.models import AuditEvent, Notification, Person
from tests.conftest import Harness
from tests.meeting_steps import (
    contract_id,
    count,
    meeting_id,
    only,
    open_record_form,
    record,
    schedule,
    submit_return,
)
from tests.teams import TeamsUser, card_actions, card_inputs, card_texts
from tests.test_kpi_return_journey import submit as submit_kpi_return
from tests.test_quarter_card_journey import KPI_RETURN

Q2 = "2026Q2"
SOME = {
    "dl_performance_framework_status": "supplied",
    "dl_performance_framework_where": "https://sharepoint.example/ivws/q2/framework.xlsx",
    "dl_risk_register_status": "supplied",
    "dl_risk_register_where": "IVWS risk register Q2.xlsx",
    "dl_risk_register_note": "Two new risks on staffing",
    "dl_transition_plan_status": "not_applicable",
    "dl_transition_plan_reason": "Transition ended in Q1",
}


async def recipients(harness: Harness, kind: str) -> list[str]:
    async with harness.steward.database.session() as session:
        query = (
            select(Person.name)
            .join(Notification, Notification.recipient_id == Person.id)
            .where(Notification.kind == kind)
            .order_by(Person.name)
        )
        return list((await session.execute(query)).scalars())


async def save_checklist(harness: Harness, entries: dict[str, str], who: str = "priya") -> TeamsUser:
    person = harness.user(who)
    await person.press(
        "deliverables.save", {"contract_id": await contract_id(harness), "quarter": Q2, **entries}
    )
    return person


async def quarterly_meeting(harness: Harness) -> int:
    """September's return (the last month of Q2) received; its quarterly meeting scheduled for Monday 9 November."""
    await schedule(harness, await submit_return(harness, "2026-09"), "2026-11-09", "10:00")
    return await meeting_id(harness)


# -- deliverables ---------------------------------------------------------------------------------------------


async def test_the_provider_picks_a_contract_and_sees_the_eleven_deliverables_for_the_quarter_just_closed(
    harness: Harness,
) -> None:
    priya = harness.user("priya")

    await priya.say("deliverables")
    [choice] = [c for c in harness.connector.sent(priya.conversation_id)]
    assert list(card_actions(choice.card)) == [
        "First contact assessment and referral service",
        "Integrated Victims and Witnesses Service",
    ]
    await priya.press(
        "deliverables.open", card_actions(choice.card)["Integrated Victims and Witnesses Service"]["data"]
    )

    texts = card_texts(priya.card)
    assert texts[:4] == [
        "Quarterly deliverables: Q2 2026/27",
        "Integrated Victims and Witnesses Service",
        "Seed 001 §4.4: needed before the quarterly contract meeting.",
        "0 of 11 done; 11 missing.",
    ]
    assert [t for t in texts if t.split(".")[0].isdigit()] == [
        "1. Completed quarterly Performance Framework",
        "2. Quarterly performance report",
        "3. Completed monthly framework & cumulative monthly framework",
        "4. Action log",
        "5. Continuous development and improvement plan",
        "6. Deep dive focussed report including case studies",
        "7. Updated Risk Register",
        "8. Updated Transition Plan",
        "9. Business Continuity Plan",
        "10. Financial Monitoring Report",
        "11. Staffing and training update",
    ]
    assert card_inputs(priya.card)["dl_action_log_status"]["value"] == "missing"


async def test_the_provider_marks_items_supplied_with_a_link_or_file_name_or_not_applicable_with_a_reason(
    harness: Harness,
) -> None:
    priya = await save_checklist(harness, SOME)

    assert "Saved. 3 of 11 done; 8 still missing." in card_texts(priya.card)
    async with harness.steward.database.session() as session:
        rows = (
            (await session.execute(select(DeliverableRecord).order_by(DeliverableRecord.code)))
            .scalars()
            .all()
        )
    assert [(r.code, r.status, r.location, r.note, r.reason, r.quarter_start.isoformat()) for r in rows] == [
        (
            "performance_framework",
            "supplied",
            "https://sharepoint.example/ivws/q2/framework.xlsx",
            "",
            "",
            "2026-07-01",
        ),
        (
            "risk_register",
            "supplied",
            "IVWS risk register Q2.xlsx",
            "Two new risks on staffing",
            "",
            "2026-07-01",
        ),
        ("transition_plan", "not_applicable", "", "", "Transition ended in Q1", "2026-07-01"),
    ]
    await priya.press("deliverables.open", {"contract_id": await contract_id(harness), "quarter": Q2})
    assert card_inputs(priya.card)["dl_risk_register_where"]["value"] == "IVWS risk register Q2.xlsx"


async def test_not_applicable_without_a_reason_is_refused_beside_it_and_nothing_is_saved(
    harness: Harness,
) -> None:
    priya = await save_checklist(harness, {**SOME, "dl_transition_plan_reason": ""})

    texts = card_texts(priya.card)
    assert "Please correct the entries below. Nothing has been saved yet." in texts
    assert texts[texts.index("8. Updated Transition Plan") + 2] == "Say why it does not apply this quarter."
    assert card_inputs(priya.card)["dl_risk_register_where"]["value"] == "IVWS risk register Q2.xlsx"
    assert card_inputs(priya.card)["dl_transition_plan_status"]["value"] == "not_applicable"
    assert await count(harness, DeliverableRecord) == 0


async def test_supplied_without_a_link_or_file_name_is_refused(harness: Harness) -> None:
    priya = await save_checklist(
        harness, {"dl_action_log_status": "supplied", "dl_action_log_note": "Attached"}
    )

    assert "Give a link (https://…) or the file name, so the commissioner can find it." in card_texts(
        priya.card
    )
    assert card_inputs(priya.card)["dl_action_log_note"]["value"] == "Attached"
    assert await count(harness, DeliverableRecord) == 0


async def test_marking_an_item_missing_again_removes_it_and_every_change_is_audited(harness: Harness) -> None:
    await save_checklist(harness, SOME)

    priya = await save_checklist(harness, {**SOME, "dl_risk_register_status": "missing"})

    assert "Saved. 2 of 11 done; 9 still missing." in card_texts(priya.card)
    assert await count(harness, DeliverableRecord) == 2
    async with harness.steward.database.session() as session:
        events = (
            (await session.execute(select(AuditEvent).where(AuditEvent.action == "deliverables.updated")))
            .scalars()
            .all()
        )
    assert [sorted(e.after) for e in events] == [
        ["performance_framework", "risk_register", "transition_plan"],
        ["risk_register"],
    ]
    assert events[1].before["risk_register"]["location"] == "IVWS risk register Q2.xlsx"
    assert events[1].after["risk_register"]["status"] == "missing"


async def test_the_commissioner_sees_what_is_missing_and_what_was_supplied(harness: Harness) -> None:
    await save_checklist(harness, SOME)
    daniel = harness.user("daniel")

    await daniel.say("deliverables")

    [view] = harness.connector.sent(daniel.conversation_id)
    texts = card_texts(view.card)
    assert texts[:4] == [
        "Quarterly deliverables: Q2 2026/27",
        "Integrated Victims and Witnesses Service",
        "3 of 11 done; 8 missing.",
        "Missing",
    ]
    assert "• Action log" in texts
    assert "Updated Transition Plan: Not applicable: Transition ended in Q1" in texts
    assert "Updated Risk Register: Supplied: IVWS risk register Q2.xlsx (Two new risks on staffing)" in texts
    assert list(card_actions(view.card)) == ["Ask the provider for what is missing", "Earlier quarter"]
    assert not card_inputs(view.card)


async def test_asking_the_provider_for_what_is_missing_tells_them_once_a_day(harness: Harness) -> None:
    await save_checklist(harness, SOME)
    daniel = harness.user("daniel")
    ref = {"contract_id": await contract_id(harness), "quarter": Q2}

    await daniel.press("deliverables.chase", ref)
    assert "Asked Priya Shah, Tom Whitaker for the 8 missing." in card_texts(daniel.card)
    await daniel.press("deliverables.chase", ref)

    assert "Already asked today." in card_texts(daniel.card)
    assert await recipients(harness, "deliverables.chase") == ["Priya Shah", "Tom Whitaker"]


async def test_the_reviewers_hear_when_every_deliverable_is_in(harness: Harness) -> None:
    from commissioning.deliverables import REQUIRED_DELIVERABLES

    entries = {f"dl_{d.code}_status": "supplied" for d in REQUIRED_DELIVERABLES}
    entries.update({f"dl_{d.code}_where": f"{d.code}.pdf" for d in REQUIRED_DELIVERABLES})

    priya = await save_checklist(harness, entries)

    assert "Saved. 11 of 11 done." in card_texts(priya.card)
    assert await recipients(harness, "deliverables.complete") == ["Daniel Reyes", "Hannah Clarke"]


async def test_text_the_provider_typed_is_shown_inert(harness: Harness) -> None:
    await save_checklist(
        harness,
        {
            "dl_action_log_status": "supplied",
            "dl_action_log_where": "log.xlsx",
            "dl_action_log_note": "[see](https://evil.example)",
        },
    )
    daniel = harness.user("daniel")

    await daniel.press("deliverables.open", {"contract_id": await contract_id(harness), "quarter": Q2})

    assert "Action log: Supplied: log.xlsx (\\[see\\](https:\u2060//evil.example))" in card_texts(daniel.card)


async def test_forged_saves_by_the_commissioner_or_another_provider_are_refused_and_audited(
    harness: Harness,
) -> None:
    for who in ("daniel", "lewis"):
        person = await save_checklist(harness, SOME, who)
        assert card_texts(person.card)[1] == "You don't have a role on that contract that allows this."

    assert await count(harness, DeliverableRecord) == 0
    async with harness.steward.database.session() as session:
        refused = (
            (await session.execute(select(AuditEvent).where(AuditEvent.action == "refused"))).scalars().all()
        )
    assert [(e.entity_id, e.after["reason"].split(":")[0]) for e in refused] == [
        ("deliverables.save", "supply_deliverables"),
        ("deliverables.save", "supply_deliverables"),
    ]


async def test_a_quarter_that_has_not_started_is_refused(harness: Harness) -> None:
    priya = harness.user("priya")

    await priya.press("deliverables.open", {"contract_id": await contract_id(harness), "quarter": "2026Q4"})

    assert card_texts(priya.card)[1] == "Q4 2026/27 has not started yet."


# -- the quarterly meeting ------------------------------------------------------------------------------------


async def test_the_return_for_a_quarters_last_month_goes_to_the_quarterly_meeting_and_its_seats(
    harness: Harness,
) -> None:
    meeting = await quarterly_meeting(harness)

    stored = await only(harness, Meeting)
    assert (stored.id, stored.kind, stored.period_label, stored.period_start.isoformat()) == (
        meeting,
        "quarterly_contract",
        "Q2 2026/27",
        "2026-07-01",
    )
    assert await recipients(harness, "meeting.invite") == ["Amara Okafor", "Hannah Clarke", "Tom Whitaker"]


async def test_the_quarterly_agenda_leads_with_the_missing_deliverables(harness: Harness) -> None:
    await save_checklist(harness, SOME)
    meeting = await quarterly_meeting(harness)
    tom = harness.user("tom")

    await tom.press("meeting.agenda", {"meeting_id": meeting})

    texts = card_texts(tom.card)
    assert texts[:5] == [
        "Agenda: Quarterly contract meeting: Q2 2026/27",
        "Contract: Integrated Victims and Witnesses Service",
        "When: Monday 9 November 2026 at 10:00",
        "Deadline: Tuesday 10 November 2026, close of business (17:30)",
        "1. Required deliverables",
    ]
    assert texts[5].startswith("⚠ Missing (8): Quarterly performance report, Completed monthly framework")
    # IVWS has `kpis`: the KPIs are worked out from the returns; the KPI return is not in yet
    assert "• Code of Practice for Victims compliance: not reported (minimum at least 95)" in texts
    assert "• Continuous improvement plan: missing." in texts
    assert list(card_actions(tom.card)) == ["Deliverables", "Action log"]  # a provider cannot record it


async def test_recording_the_quarterly_meeting_keeps_the_kpi_review_focus_and_gives_notice_of_an_audit(
    harness: Harness,
) -> None:
    for month in ("2026-07", "2026-08"):
        await submit_return(harness, month)
    meeting = await quarterly_meeting(harness)
    await submit_kpi_return(harness, {**KPI_RETURN, "kpi_BEST": "76"})
    harness.clock.set(datetime(2026, 11, 9, 12, 0, tzinfo=UTC))

    daniel = await record(
        harness,
        meeting,
        kpi_KPI1="78",  # the older typed-in results are not asked for, and ignored, where the contract has kpis
        kpi_note_BEST="New witness service in two courts.",
        deep_dive="Witness care at Crown Court",
        notice_kind="audit",
        notice_date="2027-01-12",
        notice_note="Internal audit: case files and safeguarding records.",
    )

    texts = card_texts(daniel.card)
    assert texts[0] == "Minutes: Quarterly contract meeting: Q2 2026/27"
    assert "Deep-dive focus, quarter ahead: Witness care at Crown Court" in texts
    assert "Notice of audit: Tuesday 12 January 2027" in texts
    stored = await only(harness, Meeting)
    assert [(k["code"], k["shown"], k["rag"]) for k in stored.kpi_review] == [
        ("REF", "8,130 (100% achieved)", "green"),
        ("SAT", "84 (100% achieved)", "green"),
        ("COPE", "72 (0% achieved)", "red"),
        ("BEST", "76 (0% achieved)", "red"),
        ("VCOP", "96 (100% achieved)", "green"),
    ]
    assert stored.kpi_review[3]["note"] == "New witness service in two courts."
    assert (stored.notice_kind, stored.notice_on.isoformat()) == ("audit", "2027-01-12")
    assert await recipients(harness, "meeting.notice") == ["Priya Shah", "Tom Whitaker"]


async def test_the_minutes_sent_to_the_attendees_keep_the_notice_details(harness: Harness) -> None:
    hannah = harness.user("hannah")
    await hannah.install()
    meeting = await quarterly_meeting(harness)
    harness.clock.set(datetime(2026, 11, 9, 12, 0, tzinfo=UTC))
    await record(
        harness,
        meeting,
        deep_dive="Witness care",
        notice_kind="audit",
        notice_date="2027-01-12",
        notice_note="Internal audit: case files and safeguarding records.",
    )
    await harness.settle()

    [minutes] = [c for c in harness.connector.sent(hannah.conversation_id) if "Minutes:" in str(c.card)]

    texts = card_texts(minutes.card)
    notice = texts.index("Notice of audit: Tuesday 12 January 2027")
    assert texts[notice + 1] == "Notice details: Internal audit: case files and safeguarding records."


async def test_the_provider_gets_formal_notice_of_the_audit(harness: Harness) -> None:
    priya = harness.user("priya")
    await priya.install()
    meeting = await quarterly_meeting(harness)
    harness.clock.set(datetime(2026, 11, 9, 12, 0, tzinfo=UTC))
    await record(
        harness, meeting, deep_dive="Witness care", notice_kind="monitoring_visit", notice_date="2026-12-08"
    )
    await harness.settle()

    [notice] = [c for c in harness.connector.sent(priya.conversation_id) if "Notice of" in str(c.card)]

    assert card_texts(notice.card) == [
        "Notice of monitoring visit",
        "Contract: Integrated Victims and Witnesses Service",
        "Planned for: Tuesday 8 December 2026",
        "Notice given at the Quarterly contract meeting: Q2 2026/27. Please support and facilitate it fully.",
    ]


async def test_the_quarterly_meeting_must_agree_a_deep_dive_focus_and_give_notice_in_advance(
    harness: Harness,
) -> None:
    meeting = await quarterly_meeting(harness)
    harness.clock.set(datetime(2026, 11, 9, 12, 0, tzinfo=UTC))

    daniel = await record(
        harness, meeting, kpi_note_COPE="Survey late", notice_kind="audit", notice_date="2026-11-01"
    )

    texts = card_texts(daniel.card)
    assert "Please correct 2 entries below. Nothing has been saved yet." in texts
    assert "Agree the deep-dive focus for the quarter ahead (seed 001 §4.2)." in texts
    assert "Notice is given in advance: choose a date after the meeting." in texts
    assert card_inputs(daniel.card)["kpi_note_COPE"]["value"] == "Survey late"
    assert (await only(harness, Meeting)).status == "scheduled"


async def test_the_record_form_seats_the_director_and_shows_the_missing_deliverables(
    harness: Harness,
) -> None:
    meeting = await quarterly_meeting(harness)

    daniel = await open_record_form(harness, meeting)

    texts = card_texts(daniel.card)
    assert "Director of Criminal Justice & Commissioning" in texts
    assert "Contracts & Innovation Manager" in texts  # Daniel holds one seat, not two
    assert "Heads of Service" in texts  # Tom is not seated as the Service Director as well
    assert (
        "No one holds: Senior Policy & Commissioning Manager, VAWG Programme Manager, "
        "Restorative Justice Programme Manager, Service Director"
    ) in texts
    assert any(
        t.startswith("Deliverables still missing: Completed quarterly Performance Framework") for t in texts
    )


async def test_next_quarters_agenda_carries_the_agreed_focus_and_the_notice(harness: Harness) -> None:
    meeting = await quarterly_meeting(harness)
    harness.clock.set(datetime(2026, 11, 9, 12, 0, tzinfo=UTC))
    await record(
        harness,
        meeting,
        deep_dive="Witness care at Crown Court",
        notice_kind="audit",
        notice_date="2027-01-20",
    )
    harness.clock.set(datetime(2027, 1, 5, 10, 0, tzinfo=UTC))

    await schedule(harness, await submit_return(harness, "2026-12"), "2027-01-08", "10:00")
    tom = harness.user("tom")
    await tom.say("agenda")

    [agenda] = [c for c in harness.connector.sent(tom.conversation_id) if "Agenda:" in str(c.card)]
    texts = card_texts(agenda.card)
    assert texts[0] == "Agenda: Quarterly contract meeting: Q3 2026/27"
    assert "• Focus agreed last quarter: Witness care at Crown Court" in texts
    assert "• Audit planned for Wednesday 20 January 2027" in texts
