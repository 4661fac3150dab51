"""The conversation gate: one turn at a time per conversation, no waiting across conversations."""

from __future__ import annotations

import asyncio

from bot.gate import ConversationGate


async def test_turns_of_one_conversation_run_one_after_the_other() -> None:
    gate, order = ConversationGate(), []

    async def turn(name: str) -> None:
        async with gate.turn("a:one"):
            order.append(f"{name} starts")
            await asyncio.sleep(0)
            order.append(f"{name} ends")

    await asyncio.gather(turn("first"), turn("second"))

    assert order == ["first starts", "first ends", "second starts", "second ends"]


async def test_turns_of_different_conversations_do_not_wait_for_each_other() -> None:
    gate, order = ConversationGate(), []

    async def turn(conversation: str) -> None:
        async with gate.turn(conversation):
            order.append(f"{conversation} starts")
            await asyncio.sleep(0)
            order.append(f"{conversation} ends")

    await asyncio.gather(turn("a:one"), turn("a:two"))

    assert order == ["a:one starts", "a:two starts", "a:one ends", "a:two ends"]


async def test_the_gate_forgets_a_conversation_once_its_turns_are_done() -> None:
    gate = ConversationGate()

    async def turn() -> None:
        async with gate.turn("a:one"):
            await asyncio.sleep(0)

    await asyncio.gather(turn(), turn(), turn())

    assert len(gate) == 0


async def test_a_failing_turn_lets_the_next_one_run() -> None:
    gate = ConversationGate()

    async def failing() -> None:
        async with gate.turn("a:one"):
            raise RuntimeError("the dialog broke")

    results = await asyncio.gather(failing(), failing(), return_exceptions=True)

    assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    assert len(gate) == 0
