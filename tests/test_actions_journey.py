"""The action log over HTTP: my actions, progress, done, new due dates, and the escalation path to the board."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.meeting_models import ActionEvent, ActionItem
from storage.models import AuditEvent, Notification, Person
from tests.conftest import Harness
from tests.meeting_steps import (
    form_values,
    held_meeting_with_action,
    meeting_id,
    only,
    open_record_form,
    record,
    schedule,
    submit_return,
)
from tests.teams import card_actions, card_inputs, card_texts


async def history(harness: Harness) -> list[tuple[str, str]]:
    async with harness.steward.database.session() as session:
        rows = await session.execute(select(ActionEvent.kind, ActionEvent.note).order_by(ActionEvent.id))
        return [tuple(row) for row in rows.all()]  # type: ignore[misc]


async def sent_to(harness: Harness, kind: str) -> list[str]:
    async with harness.steward.database.session() as session:
        query = (
            select(Person.name)
            .join(Notification, Notification.recipient_id == Person.id)
            .where(Notification.kind == kind)
            .order_by(Person.name)
        )
        return list((await session.execute(query)).scalars())


async def test_my_actions_lists_each_action_with_its_due_date_and_where_it_stands(harness: Harness) -> None:
    await held_meeting_with_action(harness)
    priya = harness.user("priya")

    await priya.say("my actions")

    [reply] = [c for c in harness.connector.sent(priya.conversation_id) if "Your actions" in str(c.card)]
    assert card_texts(reply.card) == [
        "Your actions",
        "1 open.",
        "Recover contact times to 90%",
        "Integrated Victims and Witnesses Service · due 20 Nov 2026 · Open, followed up at the monthly "
        "performance review.",
    ]


async def test_someone_without_actions_is_told_so(harness: Harness) -> None:
    tom = harness.user("tom")

    await tom.press("actions.mine")

    assert card_texts(tom.card) == ["Your actions", "You have no open actions."]


async def test_the_owner_updates_progress_then_marks_done_and_each_change_is_in_the_history(
    harness: Harness,
) -> None:
    _, action = await held_meeting_with_action(harness)
    priya = harness.user("priya")

    await priya.press("actions.progress", {"action_id": action, "note": "Two new starters in post."})
    assert "Progress recorded." in card_texts(priya.card)
    assert "Status: In progress, followed up at the monthly performance review." in card_texts(priya.card)
    await priya.press("actions.done", {"action_id": action, "note": "Back at 92% in November."})

    texts = card_texts(priya.card)
    assert "Marked done. Thank you." in texts
    assert "Status: Done." in texts
    assert texts[-3:] == [
        "Friday 6 November 2026 at 12:00 · Daniel Reyes · Created: Recover contact times to 90%",
        "Friday 6 November 2026 at 12:00 · Priya Shah · Progress: Two new starters in post.",
        "Friday 6 November 2026 at 12:00 · Priya Shah · Marked done: Back at 92% in November.",
    ]
    assert list(card_actions(priya.card)) == ["My actions"]
    assert [kind for kind, _ in await history(harness)] == ["created", "progress", "done"]
    stored = await only(harness, ActionItem)
    assert (stored.status, stored.progress, stored.closed_at) == (
        "done",
        "Back at 92% in November.",
        harness.clock.now(),
    )
    async with harness.steward.database.session() as session:
        audited = (
            (await session.execute(select(AuditEvent.action).where(AuditEvent.entity == "action")))
            .scalars()
            .all()
        )
    assert audited == ["action.progress", "action.done"]


async def test_marking_done_without_a_note_is_refused_beside_the_field(harness: Harness) -> None:
    _, action = await held_meeting_with_action(harness)
    priya = harness.user("priya")

    await priya.press("actions.done", {"action_id": action, "note": "", "reason": "kept"})

    texts = card_texts(priya.card)
    assert "Say what was done, so the meeting can close it." in texts
    assert card_inputs(priya.card)["reason"]["value"] == "kept"
    assert (await only(harness, ActionItem)).status == "open"


async def test_a_new_due_date_is_asked_for_and_approved_by_the_commissioner(harness: Harness) -> None:
    _, action = await held_meeting_with_action(harness)
    priya, daniel = harness.user("priya"), harness.user("daniel")

    await priya.press(
        "actions.request_due",
        {"action_id": action, "new_due": "2026-12-04", "reason": "Recruitment closes on 27 November."},
    )
    assert "Asked. The commissioner will approve or refuse it." in card_texts(priya.card)
    assert await sent_to(harness, "action.due_requested") == ["Daniel Reyes", "Hannah Clarke"]
    await daniel.press("actions.view", {"action_id": action})
    assert "New due date asked for: 4 Dec 2026: Recruitment closes on 27 November." in card_texts(daniel.card)
    assert list(card_actions(daniel.card))[2:4] == ["Approve new due date", "Refuse new due date"]

    await daniel.press("actions.approve_due", {"action_id": action})

    assert "New due date 4 Dec 2026 approved." in card_texts(daniel.card)
    assert "Due: 4 Dec 2026" in card_texts(daniel.card)
    stored = await only(harness, ActionItem)
    assert (stored.due_on.isoformat(), stored.requested_due_on) == ("2026-12-04", None)
    assert await sent_to(harness, "action.due_approved") == ["Priya Shah"]
    assert await history(harness) == [
        ("created", "Recover contact times to 90%"),
        ("due_requested", "4 Dec 2026: Recruitment closes on 27 November."),
        ("due_approved", "4 Dec 2026"),
    ]


async def test_refusing_a_new_due_date_needs_a_note_and_keeps_the_due_date(harness: Harness) -> None:
    _, action = await held_meeting_with_action(harness)
    await harness.user("priya").press(
        "actions.request_due", {"action_id": action, "new_due": "2026-12-04", "reason": "Recruitment"}
    )
    daniel = harness.user("daniel")

    await daniel.press("actions.refuse_due", {"action_id": action, "decision_note": ""})
    assert "Say why the request is refused; the owner sees it." in card_texts(daniel.card)
    assert (await only(harness, ActionItem)).requested_due_on is not None
    await daniel.press(
        "actions.refuse_due", {"action_id": action, "decision_note": "Needed before the quarterly meeting."}
    )

    stored = await only(harness, ActionItem)
    assert (stored.due_on.isoformat(), stored.requested_due_on) == ("2026-11-20", None)
    assert await sent_to(harness, "action.due_refused") == ["Priya Shah"]
    assert (await history(harness))[-1] == ("due_refused", "4 Dec 2026: Needed before the quarterly meeting.")


async def test_a_new_due_date_before_the_current_one_is_refused_beside_the_field_with_the_reason_kept(
    harness: Harness,
) -> None:
    _, action = await held_meeting_with_action(harness)
    priya = harness.user("priya")

    await priya.press(
        "actions.request_due", {"action_id": action, "new_due": "2026-11-13", "reason": "Sooner"}
    )

    assert "Choose a date after the current due date." in card_texts(priya.card)
    assert card_inputs(priya.card)["new_due"]["value"] == "2026-11-13"
    assert card_inputs(priya.card)["reason"]["value"] == "Sooner"
    assert (await only(harness, ActionItem)).requested_due_on is None


async def test_a_forged_approval_by_the_provider_is_refused_changes_nothing_and_is_audited(
    harness: Harness,
) -> None:
    _, action = await held_meeting_with_action(harness)
    priya = harness.user("priya")
    await priya.press(
        "actions.request_due", {"action_id": action, "new_due": "2026-12-04", "reason": "Recruitment"}
    )

    await priya.press("actions.approve_due", {"action_id": action})

    assert card_texts(priya.card)[1] == "Only the commissioner can decide a new due date."
    assert (await only(harness, ActionItem)).due_on.isoformat() == "2026-11-20"
    async with harness.steward.database.session() as session:
        [event] = (await session.execute(select(AuditEvent).where(AuditEvent.action == "refused"))).scalars()
    assert (event.entity_id, event.after["reason"]) == ("actions.approve_due", f"decide_due:{action}")


async def test_someone_who_does_not_own_the_action_cannot_change_it(harness: Harness) -> None:
    _, action = await held_meeting_with_action(harness)
    tom = harness.user("tom")

    await tom.press("actions.done", {"action_id": action, "note": "Done, I think"})
    await tom.press(
        "actions.request_due", {"action_id": action, "new_due": "2026-12-04", "reason": "More time"}
    )

    assert card_texts(tom.card)[1] == "Only the action's owner can ask for a new due date."
    assert (await only(harness, ActionItem)).status == "open"
    assert [kind for kind, _ in await history(harness)] == ["created"]


async def test_another_providers_person_cannot_see_the_action(harness: Harness) -> None:
    _, action = await held_meeting_with_action(harness)
    lewis = harness.user("lewis")

    await lewis.press("actions.view", {"action_id": action})

    assert card_texts(lewis.card)[1] == "You don't have a role on that contract that allows this."
    assert "Recover contact" not in str(lewis.card)


async def test_the_commissioner_carries_an_action_to_the_quarterly_meeting_then_escalates_it_to_the_board(
    harness: Harness,
) -> None:
    _, action = await held_meeting_with_action(harness)
    daniel = harness.user("daniel")

    await daniel.press("actions.carry", {"action_id": action})
    assert "Carried to the Q2 2026/27 quarterly meeting's agenda." in card_texts(daniel.card)
    assert "Status: Open, carried to the Q2 2026/27 quarterly contract meeting." in card_texts(daniel.card)
    await daniel.press(
        "actions.escalate", {"action_id": action, "decision_note": "Needs police data-sharing."}
    )

    texts = card_texts(daniel.card)
    assert "Escalated to the governance board; the director is told." in texts
    assert "Status: Open, escalated to the governance board." in texts
    assert "Escalated: Friday 6 November 2026 at 12:00" in texts
    assert await sent_to(harness, "action.escalated") == ["Amara Okafor"]
    assert [kind for kind, _ in await history(harness)] == ["created", "carried", "escalated"]


async def test_an_action_cannot_skip_the_quarterly_meeting_on_its_way_to_the_board(harness: Harness) -> None:
    _, action = await held_meeting_with_action(harness)
    daniel = harness.user("daniel")

    await daniel.press("actions.escalate", {"action_id": action})

    assert (
        "Only the quarterly contract meeting escalates to the governance board: carry it there first."
        in card_texts(daniel.card)
    )
    assert (await only(harness, ActionItem)).level == "monthly_review"


async def test_the_action_log_shows_where_each_action_stands(harness: Harness) -> None:
    _, action = await held_meeting_with_action(harness)
    daniel = harness.user("daniel")
    await daniel.press("actions.carry", {"action_id": action})

    await daniel.say("action log")

    [log] = [c for c in harness.connector.sent(daniel.conversation_id) if "Action log" in str(c.card)]
    texts = card_texts(log.card)
    assert texts[:7] == [
        "Action log",
        "Integrated Victims and Witnesses Service",
        "Open: 1",
        "Overdue: 0",
        "With the quarterly meeting: 1",
        "With the governance board: 0",
        "Done: 0",
    ]
    assert "With the quarterly contract meeting" in texts


async def test_an_unresolved_action_goes_from_the_monthly_meeting_to_the_quarterly_agenda_and_on_to_the_board(
    harness: Harness,
) -> None:
    _, action = await held_meeting_with_action(harness)
    # December: November's monthly review cannot resolve the action.
    harness.clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    await schedule(harness, await submit_return(harness, "2026-11"), "2026-12-04", "10:00")
    november = await meeting_id(harness)
    harness.clock.set(datetime(2026, 12, 4, 12, 0, tzinfo=UTC))
    form = await open_record_form(harness, november)
    assert (
        card_inputs(form.card)[f"fate_{action}"]["label"] == "Recover contact times to 90% (due 20 Nov 2026)"
    )
    await form.press(
        "meeting.record", {**form_values(form.card), "meeting_id": november, f"fate_{action}": "carry"}
    )
    assert (await only(harness, ActionItem)).level == "quarterly_contract"

    # The quarterly meeting for Q2 (September's return) sees it among the escalated items, and escalates it.
    await schedule(harness, await submit_return(harness, "2026-09"), "2026-12-07", "10:00")
    quarterly = await meeting_id(harness)
    hannah = harness.user("hannah")
    await hannah.press("meeting.agenda", {"meeting_id": quarterly})
    texts = card_texts(hannah.card)
    heading = texts.index("• Escalated from the monthly reviews (not resolved there):")
    assert texts[heading + 1] == "⚠ Recover contact times to 90% (Priya Shah, due 20 Nov 2026, OVERDUE)"
    harness.clock.set(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    await record(harness, quarterly, deep_dive="Contact times", **{f"fate_{action}": "escalate"})

    priya = harness.user("priya")
    await priya.press("actions.view", {"action_id": action})
    assert "Status: Open, overdue by 17 days, escalated to the governance board." in card_texts(priya.card)
    assert [kind for kind, _ in await history(harness)] == ["created", "carried", "escalated"]
    assert (await history(harness))[1] == (
        "carried",
        "Not resolved at the Monthly performance review: November 2026.",
    )
    assert await sent_to(harness, "action.escalated") == ["Amara Okafor"]


async def test_every_card_queued_along_the_way_is_a_valid_adaptive_card(harness: Harness) -> None:
    """Cards for people who never opened a chat are not delivered in tests, so check the outbox itself."""
    from tests.cardschema import card_problems

    _, action = await held_meeting_with_action(harness)
    priya, daniel = harness.user("priya"), harness.user("daniel")
    await priya.press(
        "actions.request_due", {"action_id": action, "new_due": "2026-12-04", "reason": "Recruitment"}
    )
    await daniel.press("actions.refuse_due", {"action_id": action, "decision_note": "Needed now"})
    await daniel.press("actions.carry", {"action_id": action})
    await daniel.press("actions.escalate", {"action_id": action})
    await schedule(harness, await submit_return(harness, "2026-09"), "2026-11-09", "10:00")
    harness.clock.set(datetime(2026, 11, 9, 12, 0, tzinfo=UTC))
    await record(
        harness,
        await meeting_id(harness),
        deep_dive="Witness care",
        notice_kind="audit",
        notice_date="2027-01-12",
    )
    await daniel.press(
        "deliverables.chase",
        {"contract_id": (await only(harness, ActionItem)).contract_id, "quarter": "2026Q2"},
    )

    async with harness.steward.database.session() as session:
        queued = (await session.execute(select(Notification.kind, Notification.payload))).all()
    kinds = {kind for kind, _ in queued}
    assert {
        "action.escalated",
        "action.due_refused",
        "meeting.notice",
        "deliverables.chase",
        "meeting.invite",
    } <= kinds
    assert {
        kind: card_problems(payload["card"]) for kind, payload in queued if card_problems(payload["card"])
    } == {}


async def test_carrying_in_december_goes_to_the_next_quarterly_meeting_due_not_one_already_past(
    harness: Harness,
) -> None:
    _, action = await held_meeting_with_action(harness)
    harness.clock.set(datetime(2026, 12, 8, 11, 0, tzinfo=UTC))  # no Q2 meeting was ever held
    daniel = harness.user("daniel")

    await daniel.press("actions.carry", {"action_id": action})

    assert "Carried to the Q3 2026/27 quarterly meeting's agenda." in card_texts(daniel.card)
    assert (await only(harness, ActionItem)).carried_to == "Q3 2026/27"
