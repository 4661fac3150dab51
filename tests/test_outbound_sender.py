"""The outbound sender against a Bot Connector stand-in that answers 429, 5xx, 403 and worse."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlalchemy import select

from connector.client import BotConnector, DeliveryFailed, RecipientUnreachable
from storage.models import Notification, Person
from tests.conftest import Harness
from tests.connector_standin import ConnectorStandIn

MESSAGE = {"type": "message", "text": "hello"}


class Tokens:
    def __init__(self) -> None:
        self.calls = 0
        self.invalidated = 0

    async def token(self) -> str:
        self.calls += 1
        return "bot-token"

    def invalidate(self) -> None:
        self.invalidated += 1


@pytest.fixture
async def sender(connector: ConnectorStandIn) -> AsyncIterator[tuple[BotConnector, list[float], Tokens]]:
    sleeps: list[float] = []

    async def no_wait(seconds: float) -> None:
        sleeps.append(seconds)

    tokens = Tokens()
    async with aiohttp.ClientSession() as session:
        yield BotConnector(session, tokens=tokens, timeout=5, sleep=no_wait), sleeps, tokens


async def test_a_429_is_retried_after_the_time_retry_after_gives(sender, connector: ConnectorStandIn) -> None:
    bot, sleeps, _ = sender
    connector.script.append((429, {"Retry-After": "2"}, {"error": {"code": "TooManyRequests"}}))

    activity_id = await bot.send(connector.url, "a:conv", MESSAGE)

    assert activity_id == "act-1"
    assert sleeps == [2.0]
    assert len(connector.sent("a:conv")) == 2


async def test_5xx_and_408_are_retried_with_growing_jittered_backoff(
    sender, connector: ConnectorStandIn
) -> None:
    bot, sleeps, _ = sender
    connector.script.extend([(503, {}, {}), (502, {}, "Bad Gateway"), (408, {}, {})])

    await bot.send(connector.url, "a:conv", MESSAGE)

    assert len(connector.sent("a:conv")) == 4
    assert len(sleeps) == 3
    assert 0.5 <= sleeps[0] <= 1.0 and 1.0 <= sleeps[1] <= 1.5 and 2.0 <= sleeps[2] <= 2.5


async def test_repeated_5xx_gives_up_after_four_attempts(sender, connector: ConnectorStandIn) -> None:
    bot, _, _ = sender
    connector.script.extend([(500, {}, {})] * 4)

    with pytest.raises(DeliveryFailed) as failure:
        await bot.send(connector.url, "a:conv", MESSAGE)

    assert failure.value.status == 500
    assert len(connector.sent("a:conv")) == 4
    assert "gave up after 4 attempts" in str(failure.value)


@pytest.mark.parametrize("status", [403, 404])
async def test_403_and_404_mean_unreachable_and_are_not_retried(
    sender, connector: ConnectorStandIn, status: int
) -> None:
    bot, sleeps, _ = sender
    connector.script.append((status, {}, {"error": {"code": "BotNotInConversationRoster"}}))

    with pytest.raises(RecipientUnreachable) as failure:
        await bot.send(connector.url, "a:conv", MESSAGE)

    assert failure.value.code == "BotNotInConversationRoster"
    assert sleeps == []


async def test_a_refused_token_is_dropped_and_the_call_retried_with_a_fresh_one(
    sender, connector: ConnectorStandIn
) -> None:
    bot, _, tokens = sender
    connector.script.append((401, {}, {"error": {"code": "Unauthorized"}}))

    activity_id = await bot.send(connector.url, "a:conv", MESSAGE)

    assert activity_id == "act-1"
    assert (tokens.invalidated, tokens.calls) == (1, 2)


async def test_a_400_is_a_final_failure(sender, connector: ConnectorStandIn) -> None:
    bot, sleeps, _ = sender
    connector.script.append((400, {}, {"error": {"code": "BadArgument"}}))

    with pytest.raises(DeliveryFailed) as failure:
        await bot.send(connector.url, "a:conv", MESSAGE)

    assert (failure.value.status, failure.value.code, sleeps) == (400, "BadArgument", [])


async def test_each_call_carries_the_bots_token_and_reuses_one_connection(
    sender, connector: ConnectorStandIn
) -> None:
    bot, _, tokens = sender

    for _ in range(20):
        await bot.send(connector.url, "a:conv", MESSAGE)

    assert {call.headers["Authorization"] for call in connector.sent()} == {"Bearer bot-token"}
    assert len(set(connector.client_ports)) == 1
    assert tokens.calls == 20  # the provider caches; the sender asks it every call


async def test_a_recipient_who_removed_the_app_is_recorded_as_unreachable(harness: Harness) -> None:
    daniel, priya = harness.user("daniel"), harness.user("priya")
    await daniel.install()
    from tests.test_monthly_return_journey import IVWS_GOOD, ivws_id

    harness.connector.script.append((403, {}, {"error": {"code": "BotNotInConversationRoster"}}))
    await priya.press(
        "return.submit", {"contract_id": await ivws_id(harness), "month": "2026-10", **IVWS_GOOD}
    )
    await harness.settle()

    async with harness.steward.database.session() as session:
        statuses = {n.recipient_id: n.status for n in (await session.execute(select(Notification))).scalars()}
        dan = (await session.execute(select(Person).where(Person.name == "Daniel Reyes"))).scalar_one()
    assert statuses[dan.id] == "unreachable"  # kept for him, not lost
    assert dan.unreachable_since == harness.clock.now()

    # Daniel adds Steward again: the return that met the 403 reaches him.
    await daniel.install()
    await harness.settle()
    async with harness.steward.database.session() as session:
        statuses = {n.recipient_id: n.status for n in (await session.execute(select(Notification))).scalars()}
    assert statuses[dan.id] == "sent"


@pytest.mark.parametrize(
    "service_url",
    ["http://127.0.0.1:99999/", "http://evil.example\\@127.0.0.1:4320/", "http://user@127.0.0.1:4320/"],
)
async def test_a_stored_service_url_the_client_cannot_use_is_reported_not_raised(
    sender: tuple[BotConnector, list[float], Tokens], service_url: str
) -> None:
    connector, sleeps, tokens = sender

    with pytest.raises(DeliveryFailed) as failure:
        await connector.send(service_url, "a:conv", MESSAGE)

    assert failure.value.code == "BadServiceUrl"
    assert (sleeps, tokens.calls) == ([], 0)  # refused before any attempt: no token, no retry


async def test_a_service_url_where_nothing_listens_is_tried_twice_not_backed_off_for_seconds(
    sender: tuple[BotConnector, list[float], Tokens], unused_tcp_port: int
) -> None:
    connector, sleeps, _ = sender

    with pytest.raises(DeliveryFailed) as failure:
        await connector.send(f"http://127.0.0.1:{unused_tcp_port}/", "a:conv", MESSAGE)

    assert sleeps == [0.2]
    assert "gave up after 2 attempts" in str(failure.value)  # what the log says is what was tried
