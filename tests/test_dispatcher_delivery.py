"""The dispatcher end to end against the Bot Connector stand-in: crashes, timeouts, 429, 5xx and 403."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import select, update

from bot.core import notification_cards
from commissioning.calendar import WorkingCalendar
from commissioning.clock import FrozenClock
from commissioning.deadlines import LONDON
from commissioning.reminder_policy import default_policy
from commissioning.reminders import WorkingHours
from connector.client import BotConnector
from scheduler.dispatcher import Dispatcher
from storage.models import ConversationRef, Notification, Person
from storage.outbox import Outbox
from tests.connector_standin import ConnectorStandIn
from tests.teams import card_texts
from tests.test_reminders_month import World, make_world, portfolio

CARDS = notification_cards()

# Tuesday 10 November 2026, 10:00 in London: VS's October return (due Friday 13th) is "due soon" for Bob.
TUESDAY = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)
HOURS = WorkingHours.of(default_policy(), LONDON, WorkingCalendar())


class Crash(Exception):
    """The process dies here."""


class DiesAfterSending(Dispatcher):
    """The connector answered, and the process died before it could mark the notification sent."""

    async def _mark_sent(self, claimed, activity_id):  # type: ignore[no-untyped-def]
        raise Crash


class DiesBeforeSending(Dispatcher):
    """The process died after claiming, before the HTTP call."""

    async def _start_sending(self, claimed):  # type: ignore[no-untyped-def]
        raise Crash


@pytest.fixture
async def world(tmp_path, connector: ConnectorStandIn) -> AsyncIterator[World]:
    clock = FrozenClock(TUESDAY)
    made = await make_world(
        f"sqlite:///{tmp_path / 'd.db'}",
        clock,
        connector,
        text=portfolio(vs_starts="2026-10-01", with_vs2=False),
    )
    yield made
    await made.close()
    assert not connector.invalid_cards, connector.invalid_cards


def restarted(world: World, kind: type[Dispatcher] = Dispatcher) -> Dispatcher:
    """A dispatcher as a fresh process would build it, on the same database and connector."""
    return kind(world.database, world.dispatcher._connector, world.clock, cards=CARDS, hours=HOURS)


async def statuses(world: World) -> list[tuple[str, str]]:
    return [(n.kind, n.status) for n in await world.notifications()]


async def test_a_crash_after_the_connector_answered_and_before_marking_sent_sends_nothing_again(
    world: World,
) -> None:
    await world.sweep.run_once()
    with pytest.raises(Crash):
        await restarted(world, DiesAfterSending).run_once()
    assert len(world.standin.sent("a:bob")) == 1
    assert await statuses(world) == [("remind.return.due_soon", "sending")]

    again = restarted(world)
    await again.run_once()  # straight after the restart the send is not yet known to be stale
    await world.sweep.run_once()  # and the sweep does not write it again: its key exists
    world.clock.advance(minutes=10)
    await again.run_once()
    await again.run_once()

    assert len(world.standin.sent("a:bob")) == 1  # nothing duplicated
    assert await statuses(world) == [
        ("remind.return.due_soon", "uncertain"),
        ("report.uncertain", "sent"),  # nothing lost unseen: the administrator is told
    ]
    [report] = world.standin.sent("a:dee")
    assert card_texts(report.card)[0] == "A message may not have been delivered"  # type: ignore[arg-type]
    assert "About: Victim service: October 2026 return due Friday 13 November" in card_texts(report.card)  # type: ignore[arg-type]


async def test_a_crash_after_claiming_and_before_sending_sends_it_once_after_restart(world: World) -> None:
    await world.sweep.run_once()
    with pytest.raises(Crash):
        await restarted(world, DiesBeforeSending).run_once()
    assert world.standin.sent("a:bob") == []
    assert await statuses(world) == [("remind.return.due_soon", "claimed")]

    again = restarted(world)
    world.clock.advance(minutes=10)
    await again.run_once()
    await again.run_once()

    assert len(world.standin.sent("a:bob")) == 1
    assert await statuses(world) == [("remind.return.due_soon", "sent")]


async def test_a_429_with_retry_after_is_obeyed_and_the_reminder_arrives_once(world: World) -> None:
    world.standin.script.append((429, {"Retry-After": "3"}, {"error": {"code": "TooManyRequests"}}))

    await world.tick()

    assert world.sleeps == [3.0]
    assert len(world.standin.sent("a:bob")) == 2  # the refused try and the delivered one
    assert await statuses(world) == [("remind.return.due_soon", "sent")]


async def test_repeated_5xx_is_retried_with_backoff_then_dead_lettered_and_the_administrator_told(
    world: World,
) -> None:
    world.standin.script.extend([(503, {}, {})] * 20)  # 5 rounds of 4 tries each
    await world.sweep.run_once()
    retries = []
    for _ in range(5):
        await world.dispatcher.run_once()
        async with world.database.session() as session:
            [notification] = (
                await session.execute(select(Notification).where(Notification.kind.startswith("remind.")))  # type: ignore[attr-defined]
            ).scalars()
        retries.append(
            (notification.status, notification.attempts, notification.not_before - world.clock.now())
        )
        world.clock.set(notification.not_before)

    assert retries == [
        ("pending", 1, timedelta(minutes=2)),
        ("pending", 2, timedelta(minutes=4)),
        ("pending", 3, timedelta(minutes=8)),
        ("pending", 4, timedelta(minutes=16)),
        ("dead", 5, timedelta(0)),
    ]
    assert len(world.standin.sent("a:bob")) == 20
    assert len(world.sleeps) == 15  # jittered backoff between the tries of each round
    await world.dispatcher.run_once()
    [report] = world.standin.sent("a:dee")
    texts = card_texts(report.card)  # type: ignore[arg-type]
    assert texts[0] == "A message could not be delivered"
    assert "Attempts: 5" in texts
    assert "To: Bob Provider" in texts


async def test_a_person_who_removed_the_app_is_marked_unreachable_and_their_commissioner_told_once(
    world: World,
) -> None:
    world.standin.script.append((403, {}, {"error": {"code": "BotNotInConversationRoster"}}))

    await world.tick()
    await world.dispatcher.run_once()

    async with world.database.session() as session:
        bob = await session.get(Person, world.people["bob"])
    assert bob.unreachable_since == TUESDAY  # type: ignore[union-attr]
    [told] = world.standin.sent("a:ann")
    texts = card_texts(told.card)  # type: ignore[arg-type]
    assert texts[0] == "Bob Provider could not be reached"
    assert "About: Victim service: October 2026 return due Friday 13 November" in texts
    assert "Contract: Victim service" in texts

    # Friday: the next reminder waits for Bob to add Steward again, without another try or another report.
    world.clock.set(datetime(2026, 11, 13, 9, tzinfo=UTC))
    await world.tick()
    await world.dispatcher.run_once()
    assert len(world.standin.sent("a:bob")) == 1
    assert len(world.standin.sent("a:ann")) == 1
    assert await statuses(world) == [
        ("remind.return.due_soon", "cancelled"),  # kept while it was due; only the current stage is sent
        ("report.unreachable", "sent"),
        ("remind.return.due_today", "unreachable"),
    ]


REFUSED = (403, {}, {"error": {"code": "BotNotInConversationRoster"}})


async def test_an_unreachable_person_is_reported_once_per_spell_not_once_per_contract(
    tmp_path, connector: ConnectorStandIn
) -> None:
    # Bob is the provider contact on two contracts; Ann commissions both.
    world = await make_world(
        f"sqlite:///{tmp_path / 'two.db'}",
        FrozenClock(TUESDAY),
        connector,
        text=portfolio(vs_starts="2026-10-01"),
    )
    try:
        connector.script.append(REFUSED)
        await world.tick()  # both October returns are due soon: one summary card for Bob, refused
        await world.dispatcher.run_once()
        world.clock.set(datetime(2026, 11, 11, 9, tzinfo=UTC))  # Witness service's is due today
        connector.script.append(REFUSED)
        await world.tick()
        await world.dispatcher.run_once()
        world.clock.set(datetime(2026, 11, 13, 9, tzinfo=UTC))  # and Victim service's
        await world.tick()
        await world.dispatcher.run_once()

        reports = [n for n in await world.notifications() if n.kind == "report.unreachable"]
        assert [(n.recipient_id, n.status) for n in reports] == [(world.people["ann"], "sent")]
        assert len(world.standin.sent("a:ann")) == 1
        bobs = {n.status for n in await world.notifications() if n.recipient_id == world.people["bob"]}
        assert "unreachable" in bobs and bobs <= {
            "unreachable",
            "cancelled",
        }  # kept, or no longer due
    finally:
        await world.close()


async def test_the_unreachable_notice_says_who_was_told_why_what_fixes_it_and_that_nothing_is_lost(
    world: World,
) -> None:
    world.standin.script.append(REFUSED)

    await world.tick()
    await world.dispatcher.run_once()

    [told] = world.standin.sent("a:ann")
    assert card_texts(told.card) == [  # type: ignore[arg-type]
        "Bob Provider could not be reached",
        "Contract: Victim service",
        "To: Bob Provider",
        "About: Victim service: October 2026 return due Friday 13 November",
        "Told: Ann Commissioner",
        "Why: Teams would not let Steward reach Bob Provider. They have removed the Steward app, or never "
        "installed it.",
        "What fixes it: Bob Provider installs the Steward app in Teams again (Apps, search for Steward, Add). "
        "Please let them know.",
        "Their notifications are kept, this one included, and delivered once they are back.",
        "An administrator can list everyone Steward cannot reach with: steward people --unreachable, "
        "and what waits for them with: steward deliveries --status unreachable",
    ]


async def test_a_new_spell_after_they_came_back_is_reported_again(world: World) -> None:
    world.standin.script.append(REFUSED)
    await world.tick()
    await world.dispatcher.run_once()

    # Bob adds Steward again (the handler clears the mark and requeues what waited), then removes it again.
    async with world.database.session() as session:
        await session.execute(
            update(Person).where(Person.id == world.people["bob"]).values(unreachable_since=None)
        )
        await session.execute(
            update(Notification)
            .where(Notification.recipient_id == world.people["bob"], Notification.status == "unreachable")
            .values(status="pending", not_before=TUESDAY)
        )
        await session.commit()
    world.clock.set(datetime(2026, 11, 12, 10, tzinfo=UTC))
    world.standin.script.append(REFUSED)
    await world.dispatcher.run_once()  # refused again: a new spell
    await world.dispatcher.run_once()  # its report goes out

    assert len(world.standin.sent("a:ann")) == 2
    async with world.database.session() as session:
        bob = await session.get(Person, world.people["bob"])
    assert bob.unreachable_since == datetime(2026, 11, 12, 10, tzinfo=UTC)  # type: ignore[union-attr]


async def test_a_non_urgent_reminder_waits_for_working_hours_even_when_its_time_has_come(
    world: World,
) -> None:
    saturday = datetime(2026, 11, 14, 12, tzinfo=UTC)
    world.clock.set(saturday)
    async with world.database.session() as session:
        for kind, urgent in (("remind.return.overdue", False), ("remind.breach.persistent", True)):
            await Outbox(session).enqueue(
                key=f"k:{kind}",
                kind=kind,
                recipient_id=world.people["dee"],
                payload={"summary": kind, "text": kind},
                now=saturday - timedelta(days=1),
                urgent=urgent,
            )

    await world.dispatcher.run_once()
    assert await statuses(world) == [
        ("remind.return.overdue", "pending"),
        ("remind.breach.persistent", "sent"),
    ]

    world.clock.set(datetime(2026, 11, 16, 9, tzinfo=UTC))  # Monday 09:00
    await world.dispatcher.run_once()
    assert await statuses(world) == [("remind.return.overdue", "sent"), ("remind.breach.persistent", "sent")]


async def test_a_message_caused_by_someone_acting_is_not_held_to_working_hours(world: World) -> None:
    evening = datetime(2026, 11, 10, 20, tzinfo=UTC)
    world.clock.set(evening)
    async with world.database.session() as session:
        await Outbox(session).enqueue(
            key="return.submitted:1:v1:ann",
            kind="return.submitted",
            recipient_id=world.people["ann"],
            payload={"summary": "return received", "text": "return received"},
            now=evening,
        )

    await world.dispatcher.run_once()

    assert await statuses(world) == [("return.submitted", "sent")]


async def test_several_waiting_reminders_for_one_person_go_as_one_card_marked_with_its_activity_id(
    world: World,
) -> None:
    async with world.database.session() as session:
        for number in (1, 2, 3):
            await Outbox(session).enqueue(
                key=f"remind:test:{number}",
                kind="remind.action.overdue",
                recipient_id=world.people["bob"],
                payload={"summary": f"action {number} overdue"},
                now=TUESDAY,
            )

    await world.dispatcher.run_once()

    [post] = world.standin.sent("a:bob")
    assert card_texts(post.card)[:5] == [  # type: ignore[arg-type]
        "3 things from Steward",
        "Gathered into one message rather than one each.",
        "• action 1 overdue",
        "• action 2 overdue",
        "• action 3 overdue",
    ]
    sent = await world.notifications()
    assert {(n.status, n.activity_id) for n in sent} == {("sent", "act-1")}


# -- a Bot Connector that never answers -----------------------------------------------------------------------


class Silent:
    """Accepts each request and never answers it: the client's timeout decides."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.release = asyncio.Event()
        self.server: TestServer | None = None

    async def handle(self, request: web.Request) -> web.Response:
        self.calls.append(request.method)
        await self.release.wait()
        return web.json_response({"id": "late"})

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return str(self.server.make_url("/"))

    async def close(self) -> None:
        self.release.set()
        if self.server is not None:
            await self.server.close()


async def test_a_send_that_times_out_is_not_retried_blindly_and_is_reported_as_uncertain(
    world: World,
) -> None:
    silent = Silent()
    url = await silent.start()
    try:
        async with world.database.session() as session:
            await session.execute(
                update(ConversationRef)
                .where(ConversationRef.conversation_id == "a:bob")
                .values(service_url=url)
            )
        async with aiohttp.ClientSession() as http:
            impatient = BotConnector(http, tokens=None, timeout=0.2, sleep=world.dispatcher._connector._sleep)
            dispatcher = Dispatcher(world.database, impatient, world.clock, cards=CARDS, hours=HOURS)
            await world.sweep.run_once()
            await dispatcher.run_once()
            assert silent.calls == ["POST"]  # one try: it may have been delivered
            assert await statuses(world) == [
                ("remind.return.due_soon", "uncertain"),
                ("report.uncertain", "pending"),
            ]
            await world.dispatcher.run_once()
    finally:
        await silent.close()
    [report] = world.standin.sent("a:dee")
    assert card_texts(report.card)[0] == "A message may not have been delivered"  # type: ignore[arg-type]
