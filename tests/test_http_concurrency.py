"""Concurrent and repeated requests are normal traffic: every one answered 2xx, nothing lost or done twice."""

from __future__ import annotations

import asyncio
from typing import Any

from storage.models import ReturnVersion
from tests.conftest import Harness
from tests.teams import TeamsUser, card_texts, next_id
from tests.test_monthly_return_journey import IVWS_GOOD, count, ivws_id


def press_activity(
    user: TeamsUser, verb: str, data: dict[str, Any], activity_id: str | None = None
) -> dict[str, Any]:
    activity = user.envelope(
        "invoke",
        name="adaptiveCard/action",
        replyToId="card-1",
        value={
            "action": {"type": "Action.Execute", "verb": verb, "data": {"verb": verb, **data}},
            "trigger": "manual",
        },
    )
    activity["id"] = activity_id or activity["id"]
    return activity


async def test_presses_at_once_in_a_conversation_never_seen_are_all_answered(harness: Harness) -> None:
    priya = harness.user("priya")
    contract = {"contract_id": await ivws_id(harness), "month": "2026-10"}

    answers = await asyncio.gather(
        *(priya.post(press_activity(priya, "return.open", contract)) for _ in range(6))
    )

    assert [status for status, _ in answers] == [200] * 6
    assert {card_texts(body["value"])[0] for _, body in answers} == {"Monthly return: October 2026"}


async def test_one_submit_delivered_ten_times_at_once_is_stored_once_and_all_get_the_receipt(
    harness: Harness,
) -> None:
    priya = harness.user("priya")
    data = {"contract_id": await ivws_id(harness), "month": "2026-10", **IVWS_GOOD}
    activity = press_activity(priya, "return.submit", data, activity_id=next_id())

    answers = await asyncio.gather(*(priya.post(activity) for _ in range(10)))

    assert [status for status, _ in answers] == [200] * 10
    assert {card_texts(body["value"])[0] for _, body in answers} == {"Return received: October 2026"}
    assert await count(harness, ReturnVersion) == 1


async def test_a_message_delivered_three_times_is_answered_once(harness: Harness) -> None:
    priya = harness.user("priya")
    message = priya.envelope("message", text="help")

    for _ in range(3):
        assert (await priya.post(message))[0] == 200
    await harness.settle()

    assert len(harness.connector.sent(priya.conversation_id)) == 1


async def test_a_message_delivered_three_times_at_once_is_answered_once(harness: Harness) -> None:
    priya = harness.user("priya")
    message = priya.envelope("message", text="help")

    answers = await asyncio.gather(*(priya.post(message) for _ in range(3)))
    await harness.settle()

    assert [status for status, _ in answers] == [200] * 3
    assert len(harness.connector.sent(priya.conversation_id)) == 1


async def test_help_in_fifty_conversations_twenty_at_a_time_is_all_answered(harness: Harness) -> None:
    people = [harness.user(name) for name in ("priya", "tom", "daniel", "hannah", "leila")]
    chats = [
        TeamsUser(p.client, p.service_url, p.name, p.aad_object_id, conversation_id=f"a:chat-{n}-{p.user_id}")
        for n in range(10)
        for p in people
    ]
    limit = asyncio.Semaphore(20)

    async def say_help(chat: TeamsUser) -> int:
        async with limit:
            return (await chat.say("help"))[0]

    statuses = await asyncio.gather(*(say_help(chat) for chat in chats))
    await harness.settle()

    assert statuses == [200] * 50
    assert len(harness.connector.sent()) == 50


async def test_one_submit_delivered_to_two_replicas_at_once_is_stored_once_and_both_answer_the_receipt(
    harness: Harness,
) -> None:
    replica = await Harness(harness.database_url, harness.clock, harness.connector).start()
    try:
        data = {"contract_id": await ivws_id(harness), "month": "2026-10", **IVWS_GOOD}
        first, second = harness.user("priya"), replica.user("priya")
        activity = press_activity(first, "return.submit", data, activity_id=next_id())

        answers = await asyncio.gather(first.post(activity), second.post(activity))
    finally:
        await replica.close()

    assert [status for status, _ in answers] == [200, 200]
    assert [card_texts(body["value"])[0] for _, body in answers] == ["Return received: October 2026"] * 2
    assert await count(harness, ReturnVersion) == 1
