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


class Ticks:
    """A clock for the limiter that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def admitted(limits: TeamsLimits, calls: list[tuple[str | None, str | None]]) -> int:
    """Each call let through is answered at once, as on a quick connector."""
    count = 0
    for tenant, conversation in calls:
        if limits.try_acquire(tenant, conversation) is None:
            limits.release(tenant, conversation)
            count += 1
    return count


def test_a_call_still_waiting_for_its_answer_keeps_its_place_past_the_window() -> None:
    # 50 calls go out and the connector is slow: 1.5 s later none has answered, so Teams may yet count
    # them all in one second with the next; the 51st waits (a short look again) until answers come back.
    clock = Ticks()
    limits = TeamsLimits(clock)
    for n in range(50):
        assert limits.try_acquire("tenant-a", f"a:{n}") is None

    clock.now += 1.5
    assert limits.try_acquire("tenant-a", "a:late") == 0.005
    for n in range(50):
        limits.release("tenant-a", f"a:{n}")
    clock.now += 0.5
    assert limits.try_acquire("tenant-a", "a:late") == 0.5  # the answered calls leave one second after
    clock.now += 0.5
    assert limits.try_acquire("tenant-a", "a:late") is None


def test_a_conversation_takes_seven_posts_at_once_and_the_eighth_waits_for_the_first_to_leave() -> None:
    clock = Ticks()
    limits = TeamsLimits(clock)
    admitted(limits, [("tenant-a", "a:one")] * 7)

    clock.now += 0.25
    assert limits.try_acquire("tenant-a", "a:one") == 0.75  # the first post leaves the one-second window
    clock.now += 0.75
    assert limits.try_acquire("tenant-a", "a:one") is None


def test_a_conversation_takes_eight_in_two_seconds_not_fourteen() -> None:
    clock = Ticks()
    limits = TeamsLimits(clock)

    first = admitted(limits, [("tenant-a", "a:one")] * 7)
    clock.now += 1.0
    second = admitted(limits, [("tenant-a", "a:one")] * 7)

    assert (first, second) == (7, 1)


def test_a_tenant_takes_its_fifty_calls_in_a_second_and_no_more() -> None:
    limits = TeamsLimits(Ticks())

    assert admitted(limits, [("tenant-a", f"a:{n}") for n in range(51)]) == 50


def test_each_tenant_has_its_own_limit() -> None:
    limits = TeamsLimits(Ticks())
    admitted(limits, [("tenant-a", f"a:{n}") for n in range(50)])

    assert admitted(limits, [("tenant-b", f"b:{n}") for n in range(50)]) == 50


def test_a_member_lookup_counts_against_its_tenant_only() -> None:
    limits = TeamsLimits(Ticks())
    admitted(limits, [("tenant-a", "a:one")] * 7)  # the conversation is full

    assert admitted(limits, [("tenant-a", None)] * 43) == 43  # the tenant still has 43 of its 50
    assert admitted(limits, [("tenant-a", None)]) == 0


def test_a_call_refused_by_one_window_takes_no_place_in_the_others() -> None:
    limits = TeamsLimits(Ticks())
    admitted(limits, [("tenant-a", "a:one")] * 7)
    admitted(limits, [("tenant-a", "a:one")] * 10)  # all refused by the conversation's window

    assert admitted(limits, [("tenant-a", f"a:{n}") for n in range(2, 51)]) == 43


def test_the_tenant_is_read_from_the_activitys_conversation() -> None:
    assert _tenant_of({"conversation": {"id": "a:one", "tenantId": "tenant-a"}}) == "tenant-a"
    assert _tenant_of({"conversation": {"id": "a:one"}}) is None
