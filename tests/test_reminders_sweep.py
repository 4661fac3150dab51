"""The deadline sweep over the real tables: idempotent under concurrency, and what is due follows the state."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from bot.core import notification_cards
from commissioning.actions import ActionLevel
from commissioning.clock import FrozenClock
from scheduler.sweep import Sweep
from storage.actions import ActionsRepository
from storage.meeting_models import ActionItem, DeliverableRecord, Meeting
from storage.models import Contract
from tests.connector_standin import ConnectorStandIn
from tests.teams import card_texts
from tests.test_reminders_month import World, make_world, portfolio

CARDS = notification_cards()

TUESDAY = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)


@pytest.fixture
async def world(tmp_path, connector: ConnectorStandIn) -> AsyncIterator[World]:
    made = await make_world(f"sqlite:///{tmp_path / 's.db'}", FrozenClock(TUESDAY), connector)
    yield made
    await made.close()
    assert not connector.invalid_cards, connector.invalid_cards


async def waiting(world: World) -> list[tuple[str, str, str]]:
    names = {v: k for k, v in world.people.items()}
    return sorted(
        (n.kind, names[n.recipient_id], n.status)  # type: ignore[index]
        for n in await world.notifications()
    )


def second_sweep(world: World) -> Sweep:
    return Sweep(world.database, world.clock, world.sweep.rules, notice=CARDS.notice)


async def test_two_sweeps_at_once_write_each_notice_once(world: World) -> None:
    results = await asyncio.gather(world.sweep.run_once(), second_sweep(world).run_once())

    keys = [n.key for n in await world.notifications()]
    assert len(keys) == len(set(keys)) == results[0].due == results[1].due
    assert results[0].added + results[1].added == len(keys)
    await world.dispatcher.run_once()
    # Bob: September's overdue and two "due soon" in one summary; Hal, Ann and Dee: September's escalations.
    assert len(world.standin.sent()) == 4


async def test_two_sweeps_at_once_on_postgresql_write_each_notice_once(
    postgres_url: str, connector: ConnectorStandIn
) -> None:
    made = await make_world(postgres_url, FrozenClock(TUESDAY), connector)
    try:
        results = await asyncio.gather(made.sweep.run_once(), second_sweep(made).run_once())
        keys = [n.key for n in await made.notifications()]
    finally:
        await made.close()

    assert len(keys) == len(set(keys)) == results[0].due
    assert results[0].added + results[1].added == len(keys)


async def test_a_reminder_waiting_for_working_hours_is_withdrawn_when_the_return_comes_in(
    world: World,
) -> None:
    world.clock.set(datetime(2026, 11, 11, 6, 0, tzinfo=UTC))  # VS2's return is due today, Wednesday 11th
    await world.tick()
    assert ("remind.return.due_today", "bob", "pending") in await waiting(world)

    world.clock.set(datetime(2026, 11, 11, 8, 30, tzinfo=UTC))
    await world.submit("VS2", "2026-10", {"W1": 12.0})
    result = await world.sweep.run_once()

    assert result.cancelled == 1
    world.clock.set(datetime(2026, 11, 11, 9, 0, tzinfo=UTC))
    await world.tick()
    assert ("remind.return.due_today", "bob", "cancelled") in await waiting(world)
    assert not [c for c in world.standin.sent("a:bob") if "due today" in str(c.body)]


async def test_when_a_due_date_moves_the_waiting_reminder_moves_with_it_and_back(world: World) -> None:
    world.clock.set(datetime(2026, 11, 9, 7, 0, tzinfo=UTC))  # Monday, before working hours
    await world.sweep.run_once()
    before = {
        n.key: n.status for n in await world.notifications() if "return:" in n.key and ":2026-10:" in n.key
    }
    assert before == {
        f"remind:return.due_soon:return:{world.contracts['VS2']}:2026-10:2026-11-11:{world.people['bob']}": "pending"
    }

    async with world.database.session() as session:  # the administrator gives VS2 a later due day
        await session.execute(
            update(Contract)
            .where(Contract.key == "VS2")
            .values(reminders={"monthly_return": {"due_working_day": 12}})
        )
    await world.sweep.run_once()
    moved = {n.key: n.status for n in await world.notifications() if ":2026-10:" in n.key}
    assert list(moved.values()) == ["cancelled"]  # due 18 November now: not yet "due soon"

    async with world.database.session() as session:  # and changes it back
        await session.execute(
            update(Contract)
            .where(Contract.key == "VS2")
            .values(reminders={"monthly_return": {"due_working_day": 8}})
        )
    result = await world.sweep.run_once()
    assert result.revived == 1
    assert {n.key: n.status for n in await world.notifications() if ":2026-10:" in n.key} == before


async def test_an_action_done_before_its_reminder_goes_is_not_reminded(world: World) -> None:
    async with world.database.session() as session:
        item = await ActionsRepository(session).add_action(
            contract_id=world.contracts["VS"],
            meeting_id=None,
            description="Send the referral data",
            owner_id=world.people["bob"],
            due_on=date(2026, 11, 12),
            level=ActionLevel.MONTHLY,
            by_id=world.people["ann"],
            now=TUESDAY,
        )
    world.clock.set(datetime(2026, 11, 10, 20, 0, tzinfo=UTC))
    await world.sweep.run_once()
    assert ("remind.action.due_soon", "bob", "pending") in await waiting(world)

    async with world.database.session() as session:
        await session.execute(update(ActionItem).where(ActionItem.id == item.id).values(status="done"))
    await world.sweep.run_once()

    assert ("remind.action.due_soon", "bob", "cancelled") in await waiting(world)


async def test_an_overdue_action_climbs_to_the_chair_who_raised_it_then_the_owners_manager(
    world: World,
) -> None:
    async with world.database.session() as session:
        meeting = Meeting(
            contract_id=world.contracts["VS"],
            kind="monthly_review",
            period_start=date(2026, 9, 1),
            period_label="September 2026",
            status="held",
            scheduled_by_id=world.people["ann"],
            created_at=TUESDAY,
        )
        session.add(meeting)
        await session.flush()
        await ActionsRepository(session).add_action(
            contract_id=world.contracts["VS"],
            meeting_id=meeting.id,
            description="Fix the contact-time report",
            owner_id=world.people["bob"],
            due_on=date(2026, 11, 12),
            level=ActionLevel.MONTHLY,
            by_id=world.people["ann"],
            now=TUESDAY,
        )
    chair_day = datetime(2026, 11, 17, 10, tzinfo=UTC)  # three working days after Thursday 12th
    manager_day = datetime(2026, 11, 24, 10, tzinfo=UTC)  # eight working days after

    world.clock.set(chair_day)
    await world.sweep.run_once()
    world.clock.set(manager_day)
    await world.sweep.run_once()

    actions = [row for row in await waiting(world) if row[0].startswith("remind.action")]
    assert actions == [
        ("remind.action.chair", "ann", "pending"),
        ("remind.action.manager", "hal", "pending"),
        ("remind.action.overdue", "bob", "pending"),
    ]
    [chair] = [n for n in await world.notifications() if n.kind == "remind.action.chair"]
    texts = card_texts(chair.payload["card"])
    assert texts[:2] == ["Escalation: action overdue", "Victim service"]
    assert "What is late: Action due Thursday 12 November 2026: Fix the contact-time report" in texts
    assert "Overdue since: Friday 13 November 2026 (3 working days late)" in texts
    assert "Responsible: <at>Bob Provider</at>" in texts
    assert (
        "What happens next: If it is still outstanding on Tuesday 24 November, the owner's manager will be told."
        in texts
    )


async def test_missing_quarterly_deliverables_are_chased_before_the_quarterly_meeting(world: World) -> None:
    async with world.database.session() as session:
        session.add(
            Meeting(
                contract_id=world.contracts["VS"],
                kind="quarterly_contract",
                period_start=date(2026, 7, 1),
                period_label="Q2 2026/27",
                status="scheduled",
                scheduled_for=datetime(2026, 11, 17, 10, tzinfo=UTC),
                created_at=TUESDAY,
            )
        )
        for code in ("performance_framework", "performance_report"):
            session.add(
                DeliverableRecord(
                    contract_id=world.contracts["VS"],
                    quarter_start=date(2026, 7, 1),
                    code=code,
                    status="supplied",
                    location="https://example.org/q2",
                    updated_by_id=world.people["bob"],
                    updated_at=TUESDAY,
                )
            )
    await world.sweep.run_once()

    [notice] = [n for n in await world.notifications() if n.kind == "remind.deliverables.missing"]
    texts = card_texts(notice.payload["card"])
    assert texts[0] == "Q2 2026/27 deliverables still missing"
    assert (
        "The quarterly contract meeting is at 10:00 on Tuesday 17 November. These 9 deliverables are needed before it:"
        in texts
    )
    assert "• Action log" in texts
    assert "• Completed quarterly Performance Framework" not in texts
    assert notice.payload["card"]["actions"][0]["data"] == {
        "verb": "deliverables.open",
        "contract_id": world.contracts["VS"],
        "quarter": "2026Q2",
    }


@pytest.fixture
async def early_world(tmp_path, connector: ConnectorStandIn) -> AsyncIterator[World]:
    """VS running since January 2026, so a return can come in months after its month."""
    text = portfolio(vs_starts="2026-01-01", with_vs2=False)
    made = await make_world(f"sqlite:///{tmp_path / 'e.db'}", FrozenClock(TUESDAY), connector, text=text)
    yield made
    await made.close()


async def breach_keys(world: World) -> list[str]:
    return [n.key for n in await world.notifications() if n.kind == "remind.breach.persistent"]


async def test_a_return_sent_months_late_that_repeats_an_old_miss_is_a_breach(early_world: World) -> None:
    early_world.clock.set(datetime(2026, 4, 6, 10, tzinfo=UTC))
    await early_world.submit("VS", "2026-03", {"PI1": 4.0, "PI2": 95.0})
    early_world.clock.set(datetime(2026, 11, 4, 10, tzinfo=UTC))  # April's return, seven months late
    await early_world.submit("VS", "2026-04", {"PI1": 5.0, "PI2": 95.0})

    await early_world.tick()

    assert await breach_keys(early_world) == [
        f"remind:breach.persistent:breach:{early_world.contracts['VS']}:PI1:2026-04:2026-11-04:"
        f"{early_world.people['dee']}"
    ]


async def test_a_late_return_whose_next_month_missed_long_ago_is_a_breach(early_world: World) -> None:
    early_world.clock.set(datetime(2026, 5, 6, 10, tzinfo=UTC))
    await early_world.submit("VS", "2026-04", {"PI1": 5.0, "PI2": 95.0})
    early_world.clock.set(datetime(2026, 11, 4, 10, tzinfo=UTC))  # March's return, after April's
    await early_world.submit("VS", "2026-03", {"PI1": 4.0, "PI2": 95.0})

    await early_world.tick()

    assert await breach_keys(early_world) == [
        f"remind:breach.persistent:breach:{early_world.contracts['VS']}:PI1:2026-04:2026-11-04:"
        f"{early_world.people['dee']}"
    ]


async def test_repeated_misses_that_all_came_in_before_the_chasing_stops_are_not_sent(
    early_world: World,
) -> None:
    for month, day in (
        ("2026-03", datetime(2026, 4, 6, 10, tzinfo=UTC)),
        ("2026-04", datetime(2026, 5, 6, 10, tzinfo=UTC)),
    ):
        early_world.clock.set(day)
        await early_world.submit("VS", month, {"PI1": 4.0, "PI2": 95.0})
    early_world.clock.set(TUESDAY)  # stop_chasing_after_days (60) after both came in

    await early_world.tick()

    assert await breach_keys(early_world) == []


async def test_the_same_indicator_missed_two_months_running_tells_the_director_at_once_even_at_night(
    world: World,
) -> None:
    world.clock.set(datetime(2026, 10, 5, 10, tzinfo=UTC))
    await world.submit("VS", "2026-09", {"PI1": 4.0, "PI2": 95.0})  # PI1 below its minimum of 10
    world.clock.set(datetime(2026, 11, 4, 21, tzinfo=UTC))  # Wednesday night
    await world.submit("VS", "2026-10", {"PI1": 6.0, "PI2": 80.0})  # PI1 again, PI2 for the first time

    await world.tick()

    [breach] = [n for n in await world.notifications() if n.kind == "remind.breach.persistent"]
    assert (breach.status, breach.urgent, breach.recipient_id) == ("sent", True, world.people["dee"])
    [card] = [c.card for c in world.standin.sent("a:dee") if "Persistent breach" in str(c.body)]
    texts = card_texts(card)  # type: ignore[arg-type]
    assert texts[0] == "Persistent breach: Referrals received"
    assert (
        "Referrals received missed its minimum service requirement in September 2026 and again in October 2026."
        in texts
    )
    assert "Responsible: <at>Hal Head</at>" in texts
    assert [a["title"] for a in card["actions"]] == ["View the return", "Acknowledge"]  # type: ignore[index]
    assert not [
        n
        for n in await world.notifications()
        if n.key.startswith("remind:breach.persistent") and "PI2" in n.key
    ]
