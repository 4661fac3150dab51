"""The outbound sender's rules the dispatcher relies on: an unanswered POST is uncertain, limits are Teams'."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from connector.client import (
    APP_LIMIT,
    CONVERSATION_LIMITS,
    BotConnector,
    DeliveryFailed,
    DeliveryUncertain,
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


def test_each_conversation_has_teams_limits_stacked_under_the_per_app_limit() -> None:
    sender = BotConnector(None, tokens=None)  # type: ignore[arg-type]

    first, second = sender._limiters("a:one"), sender._limiters("a:two")

    assert [(limiter.max_rate, limiter.time_period) for limiter in first] == [
        (50, 1),  # per app, per tenant: 50 a second
        (7, 1),  # per conversation: 7 a second, 8 in 2 seconds, 60 in 30 seconds, 1,800 an hour
        (8, 2),
        (60, 30),
        (1800, 3600),
    ]
    assert (APP_LIMIT, CONVERSATION_LIMITS) == ((50, 1), ((7, 1), (8, 2), (60, 30), (1800, 3600)))
    assert first[0] is second[0]  # one app limiter shared by every conversation
    assert all(a is not b for a, b in zip(first[1:], second[1:], strict=True))
    assert sender._limiters("a:one") == first  # the same conversation keeps its limiters
    assert sender._limiters(None) == (first[0],)  # lookups count against the app limit only
