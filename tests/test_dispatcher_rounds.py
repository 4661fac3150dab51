"""A delivery round: pages claimed together, many sends at once sharing commits, each person's order kept."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from commissioning.clock import FrozenClock
from scheduler.together import Together
from storage.models import Notification
from storage.outbox import Outbox, Queued
from tests.connector_standin import ConnectorStandIn
from tests.test_reminders_month import World, make_world, portfolio

TUESDAY = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)  # working hours in London
REFUSED = (403, {}, {"error": {"code": "BotNotInConversationRoster"}})


@pytest.fixture
async def world(tmp_path, connector: ConnectorStandIn) -> AsyncIterator[World]:
    made = await make_world(
        f"sqlite:///{tmp_path / 'rounds.db'}",
        FrozenClock(TUESDAY),
        connector,
        text=portfolio(vs_starts="2026-10-01", with_vs2=False),
    )
    yield made
    await made.close()


async def queue(world: World, *messages: tuple[str, str]) -> None:
    """(person, text) urgent messages, queued in this order."""
    async with world.database.session() as session:
        await Outbox(session).enqueue_many(
            [
                Queued(
                    key=f"test:{number}",
                    kind="remind.test",
                    recipient_id=world.people[person],
                    payload={"summary": text, "text": text},
                    urgent=True,
                )
                for number, (person, text) in enumerate(messages)
            ],
            now=TUESDAY,
        )


async def statuses(world: World) -> list[tuple[str, str]]:
    return [(n.key, n.status) for n in await world.notifications() if n.kind == "remind.test"]


async def test_one_round_delivers_everything_due_however_many_pages_it_takes(world: World) -> None:
    await queue(world, ("bob", "one"), ("ann", "two"), ("dee", "three"), ("bob", "four"), ("ann", "five"))

    delivered = await world.dispatcher.run_once(limit=2)

    assert delivered == 5
    assert await statuses(world) == [(f"test:{n}", "sent") for n in range(5)]
    assert [len(world.standin.sent(chat)) for chat in ("a:bob", "a:ann", "a:dee")] == [2, 2, 1]


async def test_one_persons_messages_arrive_in_the_order_they_were_queued_across_pages(world: World) -> None:
    await queue(world, *(("bob", f"message {n}") for n in range(1, 6)))

    await world.dispatcher.run_once(limit=2)

    assert [call.body["text"] for call in world.standin.sent("a:bob")] == [  # type: ignore[index]
        "message 1",
        "message 2",
        "message 3",
        "message 4",
        "message 5",
    ]


async def test_once_a_send_is_refused_the_rest_of_the_round_for_that_person_waits_without_a_try(
    world: World,
) -> None:
    await queue(world, ("bob", "first"), ("bob", "second"))
    world.standin.script.append(REFUSED)

    await world.dispatcher.run_once()

    assert len(world.standin.sent("a:bob")) == 1  # the refused one only
    assert await statuses(world) == [("test:0", "unreachable"), ("test:1", "unreachable")]
    reports = [n for n in await world.notifications() if n.kind == "report.unreachable"]
    assert [(n.recipient_id, n.status) for n in reports] == [(world.people["ann"], "pending")]  # told once


async def test_a_page_is_claimed_whole_leaving_out_what_another_dispatcher_took(world: World) -> None:
    await queue(world, ("bob", "one"), ("ann", "two"), ("dee", "three"))
    async with world.database.session() as session:
        ids = [n.id for n in await Outbox(session).due(TUESDAY)]
    async with world.database.session() as session:
        await Outbox(session).claim(ids[1], TUESDAY)  # another dispatcher has the second

    async with world.database.session() as session:
        claimed = await Outbox(session).claim_many(list(reversed(ids)), TUESDAY + timedelta(seconds=1))

    assert [(n.id, n.status, n.attempts) for n in claimed] == [(ids[2], "claimed", 1), (ids[0], "claimed", 1)]


async def test_enqueueing_many_skips_keys_already_queued_and_counts_what_it_added(world: World) -> None:
    await queue(world, ("bob", "one"))
    async with world.database.session() as session:
        added = await Outbox(session).enqueue_many(
            [
                Queued(key="test:0", kind="remind.test", recipient_id=world.people["bob"], payload={"x": 2}),
                Queued(key="test:1", kind="remind.test", recipient_id=world.people["ann"], payload={"x": 3}),
            ],
            now=TUESDAY,
        )
    notifications: list[Notification] = await world.notifications()

    assert added == 1
    assert [(n.key, n.payload.get("x")) for n in notifications] == [("test:0", None), ("test:1", 3)]


async def test_what_arrives_together_is_written_in_one_go_and_each_caller_waits_for_its_own() -> None:
    writes: list[list[str]] = []
    done: list[str] = []

    async def write(items: Sequence[str]) -> None:
        await asyncio.sleep(0)
        writes.append(list(items))

    together: Together[str] = Together(write)

    async def add(item: str) -> None:
        await together.add(item)
        done.append(item)  # only once its write is over
        assert any(item in batch for batch in writes)

    await asyncio.gather(add("a"), add("b"), add("c"))
    await add("d")

    assert writes == [["a", "b", "c"], ["d"]]
    assert done == ["a", "b", "c", "d"]


async def test_a_write_that_fails_fails_every_caller_whose_item_was_in_it() -> None:
    async def write(items: Sequence[str]) -> None:
        raise RuntimeError(f"disk full writing {', '.join(items)}")

    together: Together[str] = Together(write)

    results = await asyncio.gather(together.add("a"), together.add("b"), return_exceptions=True)

    assert [str(result) for result in results] == ["disk full writing a, b"] * 2
