"""One turn at a time per conversation: turns of one chat queue, turns of different chats run freely."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class ConversationGate:
    """Serialises the turns of each conversation in this process.

    Two presses at once in one chat, or a retried activity arriving while the first is still running,
    would otherwise race on that chat's rows. Queued behind the first, a duplicate finds the first's
    answer already recorded and replays it. A lock lives only while a turn holds or awaits it, so the
    gate holds nothing for quiet conversations.
    """

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def turn(self, conversation_id: str) -> AsyncIterator[None]:
        lock, waiting = self._locks.get(conversation_id, (asyncio.Lock(), 0))
        self._locks[conversation_id] = (lock, waiting + 1)
        try:
            async with lock:
                yield
        finally:
            lock, waiting = self._locks[conversation_id]
            if waiting == 1:
                del self._locks[conversation_id]
            else:
                self._locks[conversation_id] = (lock, waiting - 1)

    def __len__(self) -> int:
        """Conversations with a turn running or queued."""
        return len(self._locks)
