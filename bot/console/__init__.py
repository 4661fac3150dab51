"""`steward chat`: the real bot driven from a terminal, through the same /api/messages protocol Teams uses."""

from bot.console.chat import ChatOptions, open_chat, run_chat
from bot.console.errors import ChatError

__all__ = ["ChatError", "ChatOptions", "open_chat", "run_chat"]
