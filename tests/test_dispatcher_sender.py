"""The outbound sender's rules the dispatcher relies on: an unanswered POST is uncertain, limits are Teams'."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from connector.client import (
    CONVERSATION_LIMITS,
    TENANT_LIMIT,
    BotConnector,
    DeliveryFailed,
    DeliveryUncertain,
    _Limits,
    _tenant_of,
)
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


def test_each_conversation_has_teams_limits_stacked_under_its_tenants_limit() -> None:
    sender = BotConnector(None, tokens=None)  # type: ignore[arg-type]

    limiters = sender._limiters(_Limits("tenant-a", "a:one"))

    assert [(limiter.max_rate, limiter.time_period) for limiter in limiters] == [
        (50, 1),  # per app, per tenant: 50 a second
        (7, 1),  # per conversation: 7 a second, 8 in 2 seconds, 60 in 30 seconds, 1,800 an hour
        (8, 2),
        (60, 30),
        (1800, 3600),
    ]
    assert (TENANT_LIMIT, CONVERSATION_LIMITS) == ((50, 1), ((7, 1), (8, 2), (60, 30), (1800, 3600)))


def test_conversations_of_one_tenant_share_its_limit_and_keep_their_own() -> None:
    sender = BotConnector(None, tokens=None)  # type: ignore[arg-type]

    first, second = (
        sender._limiters(_Limits("tenant-a", "a:one")),
        sender._limiters(_Limits("tenant-a", "a:two")),
    )

    assert first[0] is second[0]
    assert all(a is not b for a, b in zip(first[1:], second[1:], strict=True))
    assert sender._limiters(_Limits("tenant-a", "a:one")) == first


def test_each_tenant_has_its_own_limit() -> None:
    sender = BotConnector(None, tokens=None)  # type: ignore[arg-type]

    one, other = (
        sender._limiters(_Limits("tenant-a", "a:one")),
        sender._limiters(_Limits("tenant-b", "b:one")),
    )

    assert one[0] is not other[0]


def test_a_member_lookup_counts_against_its_tenants_limit_only() -> None:
    sender = BotConnector(None, tokens=None)  # type: ignore[arg-type]

    posting = sender._limiters(_Limits("tenant-a", "a:one"))

    assert sender._limiters(_Limits("tenant-a", None)) == (posting[0],)


def test_the_tenant_is_read_from_the_activitys_conversation() -> None:
    assert _tenant_of({"conversation": {"id": "a:one", "tenantId": "tenant-a"}}) == "tenant-a"
    assert _tenant_of({"conversation": {"id": "a:one"}}) is None
