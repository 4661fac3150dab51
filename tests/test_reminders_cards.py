"""Reminder cards in Teams, over HTTP: act on the spot, acknowledge, snooze; escalations name who is responsible."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.core import notification_cards
from commissioning.rules import Rules
from scheduler.sweep import Sweep
from storage.models import AuditEvent, Notification
from storage.reminder_models import ReminderAcknowledgement, ReminderSnooze
from tests.conftest import Harness
from tests.teams import TeamsUser, card_actions, card_texts

CARDS = notification_cards()

CRS = "Commissioned rehabilitative service - accommodation"


async def tick(harness: Harness, moment: datetime) -> None:
    """The scheduler's round at `moment`: the sweep, then the dispatch."""
    harness.clock.set(moment)
    sweep = Sweep(harness.steward.database, harness.clock, Rules.build(), notice=CARDS.notice)
    await sweep.run_once()
    await harness.steward.dispatcher.run_once()


async def settled(harness: Harness, *people: str) -> dict[str, TeamsUser]:
    """People who have Steward in Teams, with what was due before Tuesday 10 November already sent."""
    users = {name: harness.user(name) for name in people}
    for user in users.values():
        await user.install()
    await harness.settle()
    await tick(harness, datetime(2026, 11, 3, 10, tzinfo=UTC))  # September's overdue returns, caught up
    harness.connector.clear()
    return users


async def reminder_for(harness: Harness, user: TeamsUser) -> dict:
    [post] = harness.connector.sent(user.conversation_id)
    return post.card  # type: ignore[return-value]


async def test_a_due_soon_card_opens_the_right_form_on_the_spot(harness: Harness) -> None:
    users = await settled(harness, "lewis")
    await tick(harness, datetime(2026, 11, 10, 9, tzinfo=UTC))

    card = await reminder_for(harness, users["lewis"])
    assert card_texts(card) == [
        "October 2026 return due Friday 13 November",
        CRS,
        "The monthly return for October 2026 is due on Friday 13 November 2026. You can save a draft and "
        "finish it later.",
    ]
    assert list(card_actions(card)) == ["Submit the return", "Acknowledge", "Remind me tomorrow"]

    await users["lewis"].press("return.start", card_actions(card)["Submit the return"]["data"])

    assert card_texts(users["lewis"].card)[:2] == ["Monthly return: October 2026", CRS]


async def test_acknowledging_updates_the_card_in_place_and_quietens_reminders_until_it_is_late(
    harness: Harness,
) -> None:
    users = await settled(harness, "lewis")
    await tick(harness, datetime(2026, 11, 10, 9, tzinfo=UTC))
    card = await reminder_for(harness, users["lewis"])
    harness.clock.set(datetime(2026, 11, 10, 10, 5, tzinfo=UTC))

    await users["lewis"].press("reminder.ack", card_actions(card)["Acknowledge"]["data"])

    texts = card_texts(users["lewis"].card)
    assert texts[:2] == [
        "October 2026 return due Friday 13 November",
        "You acknowledged this at 10:05 on Tuesday 10 November. Steward won't remind you again before it is due.",
    ]
    assert list(card_actions(users["lewis"].card)) == ["Submit the return"]
    async with harness.steward.database.session() as session:
        [ack] = (await session.execute(select(ReminderAcknowledgement))).scalars()
        [event] = (
            await session.execute(select(AuditEvent).where(AuditEvent.action == "reminder.acknowledged"))
        ).scalars()
    assert (ack.subject, ack.due_on.isoformat()) == (event.after["subject"], "2026-11-13")

    harness.connector.clear()
    await tick(harness, datetime(2026, 11, 13, 9, tzinfo=UTC))  # due today: not for someone who acknowledged
    assert harness.connector.sent(users["lewis"].conversation_id) == []
    await tick(harness, datetime(2026, 11, 16, 9, tzinfo=UTC))  # overdue: yes
    assert card_texts(await reminder_for(harness, users["lewis"]))[0] == "October 2026 return overdue"


async def test_snoozing_holds_the_reminder_until_the_next_working_morning(harness: Harness) -> None:
    users = await settled(harness, "lewis")
    await tick(harness, datetime(2026, 11, 10, 9, tzinfo=UTC))
    card = await reminder_for(harness, users["lewis"])
    harness.clock.set(datetime(2026, 11, 10, 11, tzinfo=UTC))

    await users["lewis"].press("reminder.snooze", card_actions(card)["Remind me tomorrow"]["data"])

    assert (
        card_texts(users["lewis"].card)[1]
        == "Snoozed: Steward will remind you again at 09:00 on Wednesday 11 November."
    )
    async with harness.steward.database.session() as session:
        [snooze] = (await session.execute(select(ReminderSnooze))).scalars()
    assert snooze.until == datetime(2026, 11, 11, 9, tzinfo=UTC)
    harness.connector.clear()
    await tick(harness, datetime(2026, 11, 10, 16, tzinfo=UTC))
    assert harness.connector.sent(users["lewis"].conversation_id) == []
    await tick(harness, datetime(2026, 11, 11, 9, tzinfo=UTC))
    assert (
        card_texts(await reminder_for(harness, users["lewis"]))[0]
        == "October 2026 return due Friday 13 November"
    )


async def test_only_the_recipient_may_acknowledge_a_reminder_and_a_forged_press_is_audited(
    harness: Harness,
) -> None:
    users = await settled(harness, "lewis", "tom")
    await tick(harness, datetime(2026, 11, 10, 9, tzinfo=UTC))
    data = card_actions(await reminder_for(harness, users["lewis"]))["Acknowledge"]["data"]

    await users["tom"].press("reminder.ack", data)

    assert "Only the person this reminder was sent to can acknowledge or snooze it." in card_texts(
        users["tom"].card
    )
    async with harness.steward.database.session() as session:
        acks = list((await session.execute(select(ReminderAcknowledgement))).scalars())
        [refusal] = (
            await session.execute(select(AuditEvent).where(AuditEvent.action == "refused"))
        ).scalars()
    assert acks == []
    assert (refusal.entity_id, refusal.after["reason"]) == ("reminder.ack", "not the recipient")


async def test_an_escalation_says_what_is_late_since_when_who_is_responsible_and_what_happens_next(
    harness: Harness,
) -> None:
    users = await settled(harness, "lewis", "samir")
    await tick(harness, datetime(2026, 11, 18, 9, tzinfo=UTC))

    card = await reminder_for(harness, users["samir"])
    assert card_texts(card) == [
        "Escalation: October 2026 return overdue",
        CRS,
        "What is late: The October 2026 monthly return, due Friday 13 November 2026",
        "Overdue since: Saturday 14 November 2026 (3 working days late)",
        "Responsible: <at>Lewis Grant</at>",
        "What happens next: If it is still outstanding on Friday 27 November, the director will be told.",
    ]
    assert card["msteams"] == {
        "entities": [
            {
                "type": "mention",
                "text": "<at>Lewis Grant</at>",
                "mentioned": {"id": users["lewis"].user_id, "name": "Lewis Grant"},
            }
        ]
    }
    assert list(card_actions(card)) == ["Acknowledge", "Remind me tomorrow"]  # nothing for him to submit


async def test_a_summary_card_can_be_acknowledged_all_at_once(harness: Harness) -> None:
    users = await settled(harness, "priya")
    await tick(harness, datetime(2026, 11, 10, 9, tzinfo=UTC))  # IVWS's and FCAR's October returns
    card = await reminder_for(harness, users["priya"])
    assert card_texts(card)[0] == "2 things from Steward"

    await users["priya"].press("reminder.ack_all", card_actions(card)["Acknowledge all"]["data"])

    assert card_texts(users["priya"].card)[:2] == [
        "2 things from Steward",
        "You acknowledged all of these at 09:00 on Tuesday 10 November.",
    ]
    async with harness.steward.database.session() as session:
        acks = list((await session.execute(select(ReminderAcknowledgement))).scalars())
    assert len(acks) == 2


async def test_an_overdue_return_is_said_to_be_due_on_its_day_and_now_overdue(harness: Harness) -> None:
    users = await settled(harness, "lewis")
    await tick(harness, datetime(2026, 11, 16, 9, tzinfo=UTC))  # the Monday after Friday 13th's deadline

    card = await reminder_for(harness, users["lewis"])
    assert card_texts(card)[2] == (
        "The monthly return for October 2026 was due on Friday 13 November 2026 and has not been received."
    )
    async with harness.steward.database.session() as session:
        overdue = (
            await session.execute(select(Notification).where(Notification.kind == "remind.return.overdue"))
        ).scalars()
        summaries = {n.payload["summary"] for n in overdue if n.sent_at == harness.clock.now()}
    assert summaries == {f"{CRS}: October 2026 return due Friday 13 November, now overdue"}
