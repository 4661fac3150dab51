"""Problems the person at the console can fix, shown as one clear message without a traceback."""

from __future__ import annotations


class ChatError(Exception):
    """The chat cannot go on as asked: unknown person, no such button, the bot refused the console."""


class ScriptFailed(ChatError):
    """A scripted session did not go as the script expected; the message names the file and line."""
