"""The console's only terminal I/O: a writer for styled lines and a line reader, both on injectable streams."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from typing import Any, TextIO

try:
    import termios
except ImportError:  # Windows: nothing to restore
    termios = None  # type: ignore[assignment]  # the module does not exist there

from bot.console.text import Line, Segment, plain_text

ANSI = {
    "bold": "1",
    "subtle": "2",
    "attention": "31",
    "good": "32",
    "warning": "33",
    "accent": "36",
}


def wants_colour(stream: TextIO) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


class Writer:
    """Writes lines to a stream, styled with ANSI codes when `colour` is on, plain otherwise."""

    def __init__(self, stream: TextIO, *, colour: bool = False) -> None:
        self.stream = stream
        self.colour = colour

    def write(self, row: Line | str = "") -> None:
        self.raw((row if isinstance(row, str) else self._styled(row)) + "\n")

    def raw(self, text: str) -> None:
        """Text as is, no newline added (a prompt)."""
        self.stream.write(text)
        self.stream.flush()

    def _styled(self, row: Line) -> str:
        if not self.colour:
            return plain_text(row)
        return "".join(_ansi(segment) for segment in row)


def _ansi(segment: Segment) -> str:
    codes = [ANSI[name] for name in ANSI if name in segment.style]
    if not codes or segment.text.isspace():
        return segment.text
    return f"\x1b[{';'.join(codes)}m{segment.text}\x1b[0m"


class Terminal:
    """Reads what the person types. With no stream given it uses input(), so line editing works; a
    given stream (tests, a pipe) is read line by line and what was read is echoed after the prompt.

    Reading happens on a daemon thread so the bot and the connector keep running while someone thinks,
    and a Ctrl-C is never held up by a pending read."""

    def __init__(self, writer: Writer, stdin: TextIO | None = None) -> None:
        self.writer = writer
        self.stdin = stdin
        self._tty = _tty_state() if stdin is None else None
        if self._tty is not None:
            try:
                import readline  # noqa: F401 - gives input() line editing and history
            except ImportError:
                pass

    def close(self) -> None:
        """Put the terminal back as it was, should we leave while input() was reading."""
        if self._tty is not None:
            descriptor, attributes = self._tty
            try:
                termios.tcsetattr(descriptor, termios.TCSADRAIN, attributes)
            except termios.error:
                pass

    async def read(self, prompt: str) -> str | None:
        """The next line without its newline, or None at end of input."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[str | None] = loop.create_future()
        if self.stdin is not None:
            self.writer.raw(prompt)
        reader = self._from_input if self.stdin is None else self._from_stream

        def run() -> None:
            if hasattr(signal, "pthread_sigmask"):  # Ctrl-C must reach the main thread, not this one
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                result: str | None = reader(prompt)
            except (EOFError, KeyboardInterrupt, OSError, ValueError):
                result = None
            loop.call_soon_threadsafe(_settle, answer, result)

        threading.Thread(target=run, name="console-input", daemon=True).start()
        line = await answer
        if self.stdin is not None:
            self.writer.raw(("" if line is None else line) + "\n")
        return line

    def reprompt(self, prompt: str) -> None:
        """Show the prompt again after something was printed while the person was typing."""
        self.writer.raw(prompt)

    @staticmethod
    def _from_input(prompt: str) -> str:
        return input(prompt)

    def _from_stream(self, _prompt: str) -> str | None:
        assert self.stdin is not None
        text = self.stdin.readline()
        return text.rstrip("\r\n") if text else None


def _tty_state() -> tuple[int, Any] | None:
    if termios is None:
        return None
    try:
        descriptor = sys.stdin.fileno()
        return (descriptor, termios.tcgetattr(descriptor)) if os.isatty(descriptor) else None
    except (OSError, ValueError, termios.error):
        return None


def _settle(future: asyncio.Future[str | None], value: str | None) -> None:
    if not future.done():
        future.set_result(value)
