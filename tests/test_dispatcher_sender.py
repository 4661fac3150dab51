"""The outbound sender's rules the dispatcher relies on: an unanswered POST is uncertain, limits are Teams'."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from connector.client import BotConnector, DeliveryFailed, DeliveryUncertain, _tenant_of
from connector.limits import CONVERSATION_LIMITS, TENANT_LIMIT, TeamsLimits
from tests.test_dispatcher_delivery import Silent

MESSAGE = {"type": "message", "text": "hello"}


@pytest.fixture
async def silent() -> AsyncIterator[tuple[Silent, str]]:
    server = Silent()
    url = await server.start()
    yield server, url
    await server.close()


@pytest.fixture
async def impatient() -> AsyncIterator[tuple[BotConnector, list[float]]]:
    sleeps: list[float] = []

    async def no_wait(seconds: float) -> None:
        sleeps.append(seconds)

    async with aiohttp.ClientSession() as http:
        yield BotConnector(http, tokens=None, timeout=0.2, sleep=no_wait), sleeps


async def test_a_post_with_no_answer_in_time_is_uncertain_and_not_retried(silent, impatient) -> None:
    server, url = silent
    sender, sleeps = impatient

    with pytest.raises(DeliveryUncertain) as failure:
        await sender.send(url, "a:conv", MESSAGE)

    assert server.calls == ["POST"]
    assert sleeps == []
    assert "it may have been delivered, so it is not sent again" in str(failure.value)
    assert isinstance(failure.value, DeliveryFailed)  # callers that only know DeliveryFailed still cope


async def test_an_update_with_no_answer_is_retried_because_it_is_idempotent(silent, impatient) -> None:
    server, url = silent
    sender, sleeps = impatient

    with pytest.raises(DeliveryFailed) as failure:
        await sender.update(url, "a:conv", "act-1", MESSAGE)

    assert not isinstance(failure.value, DeliveryUncertain)
    assert server.calls == ["PUT"] * 4
    assert len(sleeps) == 3


async def test_a_member_lookup_with_no_answer_is_retried(silent, impatient) -> None:
    server, url = silent
    sender, _ = impatient

    with pytest.raises(DeliveryFailed):
        await sender.member(url, "a:conv", "29:someone")

    assert server.calls == ["GET"] * 4


def test_teams_limits_are_its_documented_ones() -> None:
    assert (TENANT_LIMIT, CONVERSATION_LIMITS) == ((50, 1), ((7, 1), (8, 2), (60, 30), (1800, 3600)))


async def admitted(limits: TeamsLimits, calls: list[tuple[str | None, str | None]]) -> int:
    return sum([await limits.try_acquire(tenant, conversation) is None for tenant, conversation in calls])


async def test_a_conversation_takes_seven_posts_at_once_and_the_eighth_waits() -> None:
    limits = TeamsLimits()

    assert await admitted(limits, [("tenant-a", "a:one")] * 8) == 7
    assert (await limits.try_acquire("tenant-a", "a:one") or 0) > 0  # how long until the window has room


async def test_a_tenant_takes_forty_six_calls_in_a_second_keeping_four_of_its_fifty_back() -> None:
    limits = TeamsLimits()

    calls = [("tenant-a", f"a:{n}") for n in range(51)]

    assert await admitted(limits, calls) == 46


async def test_each_tenant_has_its_own_limit() -> None:
    limits = TeamsLimits()
    await admitted(limits, [("tenant-a", f"a:{n}") for n in range(50)])

    assert await admitted(limits, [("tenant-b", f"b:{n}") for n in range(50)]) == 46


async def test_a_member_lookup_counts_against_its_tenant_only() -> None:
    limits = TeamsLimits()
    await admitted(limits, [("tenant-a", "a:one")] * 7)  # the conversation is full

    assert await admitted(limits, [("tenant-a", None)] * 39) == 39  # the tenant still has 39 of its 46
    assert await admitted(limits, [("tenant-a", None)]) == 0


async def test_a_call_refused_by_one_window_takes_no_place_in_the_others() -> None:
    limits = TeamsLimits()
    await admitted(limits, [("tenant-a", "a:one")] * 7)
    await admitted(limits, [("tenant-a", "a:one")] * 10)  # all refused by the conversation's window

    assert await admitted(limits, [("tenant-a", f"a:{n}") for n in range(2, 50)]) == 39


def test_the_tenant_is_read_from_the_activitys_conversation() -> None:
    assert _tenant_of({"conversation": {"id": "a:one", "tenantId": "tenant-a"}}) == "tenant-a"
    assert _tenant_of({"conversation": {"id": "a:one"}}) is None
