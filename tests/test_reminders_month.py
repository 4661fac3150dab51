"""A clock driven through the autumn: exactly which reminders go to whom and when, none twice, none missing.

The world is small and known: one commissioner's office, one provider, two contracts, everyone in a
1:1 chat with Steward. The sweep and the dispatcher run every hour, as the scheduler would, except
while the bot is down.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy import select

from bot.core import notification_cards
from commissioning.calendar import WorkingCalendar
from commissioning.clock import FrozenClock
from commissioning.deadlines import LONDON
from commissioning.periods import Month
from commissioning.portfolio import parse_portfolio
from commissioning.reminder_policy import ReminderPolicy, default_policy
from commissioning.rules import Rules
from connector.client import BotConnector
from scheduler.dispatcher import Dispatcher
from scheduler.sweep import Sweep
from storage.contracts import ContractsRepository
from storage.engine import Database
from storage.models import Contract, ConversationRef, Notification, Person
from storage.portfolio import import_portfolio
from storage.returns import ReturnsRepository
from tests.connector_standin import ConnectorStandIn
from tests.teams import card_texts

CARDS = notification_cards()

BOT = "28:steward-bot"


def portfolio(*, vs_starts: str = "2026-09-01", with_vs2: bool = True, extra: str = "") -> str:
    """Dee directs, Ann commissions (Dee is her manager), Hal heads the service, Bob is the provider contact."""
    vs2 = """
  - key: VS2
    name: Witness service
    commissioner: opcc
    provider: charity
    starts_on: 2026-10-01
    ends_on: 2028-03-31
    reminders: {monthly_return: {due_working_day: 8}}
    roles: {provider_contact: [bob@charity.example], head_of_service: [hal@charity.example],
            commissioner: [ann@opcc.example], director: [dee@opcc.example]}
    indicators:
      - {code: W1, name: Witnesses supported, kind: count, requirement: 10, amber_margin: 2}
"""
    return f"""
organisations:
  - {{key: opcc, name: Example OPCC, kind: commissioner}}
  - {{key: charity, name: Example Charity, kind: provider}}
people:
  - {{email: dee@opcc.example, name: Dee Director, organisation: opcc, administrator: true,
     aad_object_id: 00000000-0000-4000-8000-0000000000d1}}
  - {{email: ann@opcc.example, name: Ann Commissioner, organisation: opcc, manager: dee@opcc.example,
     aad_object_id: 00000000-0000-4000-8000-0000000000a1}}
  - {{email: hal@charity.example, name: Hal Head, organisation: charity,
     aad_object_id: 00000000-0000-4000-8000-0000000000b1}}
  - {{email: bob@charity.example, name: Bob Provider, organisation: charity, manager: hal@charity.example,
     aad_object_id: 00000000-0000-4000-8000-0000000000b2}}
{extra}
contracts:
  - key: VS
    name: Victim service
    commissioner: opcc
    provider: charity
    starts_on: {vs_starts}
    ends_on: 2028-03-31
    roles: {{provider_contact: [bob@charity.example], head_of_service: [hal@charity.example],
            commissioner: [ann@opcc.example], director: [dee@opcc.example]}}
    indicators:
      - {{code: PI1, name: Referrals received, kind: count, requirement: 10, amber_margin: 2}}
      - {{code: PI2, name: Contacted in time, kind: percentage, requirement: 90, amber_margin: 5}}
{vs2 if with_vs2 else ""}
"""


@dataclass
class World:
    """A database with the small portfolio, everyone reachable, and the sweep and dispatcher over it."""

    database: Database
    clock: FrozenClock
    standin: ConnectorStandIn
    http: aiohttp.ClientSession
    sweep: Sweep
    dispatcher: Dispatcher
    people: dict[str, int] = field(default_factory=dict)
    contracts: dict[str, int] = field(default_factory=dict)
    sleeps: list[float] = field(default_factory=list)

    async def tick(self) -> None:
        """One scheduler round: the sweep, then the dispatch."""
        await self.sweep.run_once()
        await self.dispatcher.run_once()

    async def run(self, start: datetime, end: datetime, *, every: timedelta = timedelta(hours=1)) -> None:
        """Tick at `start` and every `every` until `end` (inclusive), moving the clock each time."""
        moment = start
        while moment <= end:
            self.clock.set(moment)
            await self.tick()
            moment += every

    async def sent(self) -> list[tuple[str, str, str, str]]:
        """(UTC time, recipient, kind, subject's period) for every notification sent, in order."""
        names = {v: k for k, v in self.people.items()}
        rows = []
        for n in await self.notifications():
            if n.status == "sent":
                rows.append(
                    (
                        n.sent_at.astimezone(UTC).strftime("%a %d %b %H:%M"),  # type: ignore[union-attr]
                        names.get(n.recipient_id, "?"),  # type: ignore[arg-type]
                        n.kind,
                        _subject(n, {v: k for k, v in self.contracts.items()}),
                    )
                )
        return sorted(
            rows,
            key=lambda row: (
                datetime.strptime(row[0] + " 2026", "%a %d %b %H:%M %Y").replace(tzinfo=UTC),
                row[1:],
            ),
        )

    async def notifications(self) -> list[Notification]:
        async with self.database.session() as session:
            return list((await session.execute(select(Notification).order_by(Notification.id))).scalars())

    async def submit(self, contract: str, month: str, values: dict[str, float], *, by: str = "bob") -> int:
        """A provider submits a return at the clock's time, as the monthly return dialog stores it."""
        async with self.database.session() as session:
            returns = ReturnsRepository(session)
            monthly = await returns.find_or_create(
                self.contracts[contract], Month.parse(month), self.clock.now()
            )
            indicators = await ContractsRepository(session).indicators(self.contracts[contract])
            await returns.submit(
                monthly,
                based_on_version=monthly.current_version,
                values=values,
                indicators=indicators,
                narrative="Submitted in the test.",
                by_id=self.people[by],
                now=self.clock.now(),
            )
            return monthly.id  # type: ignore[return-value]

    async def close(self) -> None:
        await self.dispatcher.close()
        await self.http.close()
        await self.database.dispose()


def _subject(notification: Notification, contract_keys: dict[int, str]) -> str:
    """A readable subject: 'VS 2026-10' for a return, else the stored subject."""
    meta = notification.payload.get("reminder") or {}
    subject = str(meta.get("subject", notification.kind))
    if subject.startswith("return:"):
        _, contract_id, month = subject.split(":")
        return f"{contract_keys.get(int(contract_id), contract_id)} {month}"
    if subject.startswith("meeting:"):
        _, contract_id, kind, start = subject.split(":")
        return f"{contract_keys.get(int(contract_id), contract_id)} {kind} {start[:7]}"
    return subject


async def make_world(
    url: str,
    clock: FrozenClock,
    standin: ConnectorStandIn,
    *,
    text: str | None = None,
    policy: ReminderPolicy | None = None,
    calendar: WorkingCalendar | None = None,
) -> World:
    database = Database(url)
    await database.migrate()
    calendar = calendar or WorkingCalendar()
    policy = policy or default_policy()
    async with database.session() as session:
        await import_portfolio(session, parse_portfolio(text or portfolio()), now=clock.now())
        people = {p.email.split("@")[0]: p.id for p in (await session.execute(select(Person))).scalars()}
        contracts = {c.key: c.id for c in (await session.execute(select(Contract))).scalars()}
        for name, person_id in people.items():
            session.add(
                ConversationRef(
                    conversation_id=f"a:{name}",
                    person_id=person_id,
                    scope="personal",
                    service_url=standin.url,
                    bot_id=BOT,
                    user_id=f"29:{name}",
                    updated_at=clock.now(),
                )
            )
    sleeps: list[float] = []

    async def no_wait(seconds: float) -> None:
        sleeps.append(seconds)

    http = aiohttp.ClientSession()
    connector = BotConnector(http, tokens=None, timeout=5, sleep=no_wait)
    rules = Rules.build(zone=LONDON, closures=calendar.closures, policy=policy)
    dispatcher = Dispatcher(database, connector, clock, cards=CARDS, hours=rules.hours)
    sweep = Sweep(database, clock, rules, notice=CARDS.notice)
    return World(database, clock, standin, http, sweep, dispatcher, people, contracts, sleeps)


@pytest.fixture
async def world(tmp_path, connector: ConnectorStandIn) -> AsyncIterator[World]:
    clock = FrozenClock(datetime(2026, 10, 1, tzinfo=UTC))
    made = await make_world(f"sqlite:///{tmp_path / 'world.db'}", clock, connector)
    yield made
    await made.close()
    assert not connector.invalid_cards, connector.invalid_cards


def at(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


GOOD_VS = {"PI1": 12.0, "PI2": 95.0}


async def test_a_month_of_return_reminders_goes_out_on_time_once_each_across_the_clock_change_and_downtime(
    world: World,
) -> None:
    await world.run(at(1, 10, 0), at(13, 11, 17))  # 1 October to Friday 13 November, 17:00
    # The bot is down from Friday evening until Wednesday 18 November, 11:00.
    await world.run(at(18, 11, 11), at(23, 11, 13))
    world.clock.set(at(23, 11, 14))
    await world.submit("VS", "2026-10", GOOD_VS)  # Monday 23 November: Bob sends October's return for VS
    await world.run(at(23, 11, 14), at(8, 12, 23))

    assert await world.sent() == [
        # September's return for VS, due Wednesday 14 October: 09:00 in London is 08:00 UTC in summer time...
        ("Fri 09 Oct 08:00", "bob", "remind.return.due_soon", "VS 2026-09"),
        ("Wed 14 Oct 08:00", "bob", "remind.return.due_today", "VS 2026-09"),
        ("Thu 15 Oct 08:00", "bob", "remind.return.overdue", "VS 2026-09"),
        ("Mon 19 Oct 08:00", "ann", "remind.return.escalated", "VS 2026-09"),
        ("Mon 19 Oct 08:00", "hal", "remind.return.escalated", "VS 2026-09"),
        # ... and 09:00 UTC once the clocks went back on 25 October.
        ("Wed 28 Oct 09:00", "dee", "remind.return.director", "VS 2026-09"),
        # October's returns: VS2 is due on the 8th working day (its own override), VS on the 10th.
        ("Fri 06 Nov 09:00", "bob", "remind.return.due_soon", "VS2 2026-10"),
        ("Tue 10 Nov 09:00", "bob", "remind.return.due_soon", "VS 2026-10"),
        ("Wed 11 Nov 09:00", "bob", "remind.return.due_today", "VS2 2026-10"),
        ("Thu 12 Nov 09:00", "bob", "remind.return.overdue", "VS2 2026-10"),
        ("Fri 13 Nov 09:00", "bob", "remind.return.due_today", "VS 2026-10"),
        # Back after downtime: what became due meanwhile, each once; Ann and Hal get one card for two items.
        ("Wed 18 Nov 11:00", "ann", "remind.return.escalated", "VS 2026-10"),
        ("Wed 18 Nov 11:00", "ann", "remind.return.escalated", "VS2 2026-10"),
        ("Wed 18 Nov 11:00", "bob", "remind.return.overdue", "VS 2026-10"),
        ("Wed 18 Nov 11:00", "hal", "remind.return.escalated", "VS 2026-10"),
        ("Wed 18 Nov 11:00", "hal", "remind.return.escalated", "VS2 2026-10"),
        # VS's October return came in on Monday 23 November: its review meeting is due by Monday 30th.
        # Not scheduled two working days after receipt: Ann. Not held by the deadline: Dee, her manager.
        ("Wed 25 Nov 09:00", "ann", "remind.meeting.unscheduled", "VS monthly_review 2026-10"),
        ("Wed 25 Nov 09:00", "dee", "remind.return.director", "VS2 2026-10"),
        ("Tue 01 Dec 09:00", "dee", "remind.meeting.not_held", "VS monthly_review 2026-10"),
        # And Dee hears nothing more about VS's October return on the 27th: it came in.
        ("Mon 07 Dec 09:00", "bob", "remind.return.due_soon", "VS2 2026-11"),
    ]
    posts = world.standin.sent()
    assert len(posts) == 18  # 20 notifications, two of them summary cards of two each
    assert len({n.activity_id for n in await world.notifications() if n.status == "sent"}) == 18


async def test_after_downtime_several_items_for_one_person_arrive_as_one_summary_card(world: World) -> None:
    await world.run(at(9, 11, 0), at(13, 11, 17), every=timedelta(hours=3))
    world.standin.clear()
    await world.run(at(18, 11, 11), at(18, 11, 11))

    [hal_card] = [call.card for call in world.standin.sent("a:hal")]
    texts = card_texts(hal_card)  # type: ignore[arg-type]
    assert texts[:1] == ["2 things from Steward"]
    assert "• Victim service: escalation: October 2026 return due Friday 13 November, now overdue" in texts
    assert (
        "• Witness service: escalation: October 2026 return due Wednesday 11 November, now overdue" in texts
    )
    assert [a["title"] for a in hal_card["actions"]] == ["Acknowledge all", "Remind me tomorrow"]  # type: ignore[index]
    together = [
        n
        for n in await world.notifications()
        if n.recipient_id == world.people["hal"] and n.sent_at == at(18, 11, 11)
    ]
    assert len(together) == 2
    assert len({n.activity_id for n in together}) == 1  # both marked sent with the summary's activity id


async def test_nothing_is_sent_at_weekends_or_on_bank_holidays_over_christmas(
    tmp_path, connector: ConnectorStandIn
) -> None:
    clock = FrozenClock(at(1, 12, 0))
    world = await make_world(
        f"sqlite:///{tmp_path / 'xmas.db'}",
        clock,
        connector,
        text=portfolio(vs_starts="2026-11-01", with_vs2=False),
    )
    try:
        # Every three hours, from midnight: 09:00 is one of the ticks.
        await world.run(at(1, 12, 0), datetime(2027, 1, 16, 21, tzinfo=UTC), every=timedelta(hours=3))
        sent = [(n.sent_at, n.kind) for n in await world.notifications() if n.status == "sent"]
    finally:
        await world.close()

    assert [(when.strftime("%a %d %b %Y %H:%M"), kind) for when, kind in sent] == [  # type: ignore[union-attr]
        ("Wed 09 Dec 2026 09:00", "remind.return.due_soon"),  # November's return, due Monday 14 December
        ("Mon 14 Dec 2026 09:00", "remind.return.due_today"),
        ("Tue 15 Dec 2026 09:00", "remind.return.overdue"),
        ("Thu 17 Dec 2026 09:00", "remind.return.escalated"),  # Hal and Ann
        ("Thu 17 Dec 2026 09:00", "remind.return.escalated"),
        # 10 working days after 14 December: Christmas Day and the Boxing Day substitute do not count.
        ("Wed 30 Dec 2026 09:00", "remind.return.director"),
        # December's return: due on the 10th working day of January (New Year's Day does not count).
        ("Tue 12 Jan 2027 09:00", "remind.return.due_soon"),
        ("Fri 15 Jan 2027 09:00", "remind.return.due_today"),
    ]
    assert all(when.weekday() < 5 for when, _ in sent)  # type: ignore[union-attr]
    assert not {when.date() for when, _ in sent} & {date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)}  # type: ignore[union-attr]


async def test_a_summary_of_escalations_says_who_is_responsible_with_mentions_and_what_happens_next(
    world: World,
) -> None:
    await world.run(at(9, 11, 0), at(13, 11, 17), every=timedelta(hours=3))
    world.standin.clear()
    await world.run(at(18, 11, 11), at(18, 11, 11))

    [hal_card] = [call.card for call in world.standin.sent("a:hal")]
    texts = card_texts(hal_card)  # type: ignore[arg-type]
    assert texts.count("Responsible: <at>Bob Provider</at>") == 2
    assert (
        "What happens next: If it is still outstanding on Friday 27 November, the director will be told."
        in texts
    )
    assert hal_card["msteams"]["entities"] == [  # type: ignore[index]
        {
            "type": "mention",
            "text": "<at>Bob Provider</at>",
            "mentioned": {"id": "00000000-0000-4000-8000-0000000000b2", "name": "Bob Provider"},
        }
    ]
