"""The interactive console: read a line, act on it, show what the bot sends, also while the person types."""

from __future__ import annotations

import asyncio
import signal

from bot.console.errors import ChatError
from bot.console.fields import Field
from bot.console.script import parse_clock
from bot.console.session import Ask, ChatSession
from bot.console.terminal import Terminal
from bot.console.text import line, styled

HELP = (
    ("a message", 'sent to Steward as typed, e.g. "help" or "submit return"'),
    ("a number", "press that button on the open card; its inputs are asked for first"),
    ("[Button title]", "press a button by its title"),
    ("/as NAME", "chat as someone else from the portfolio (name or email)"),
    ("/card", "show the open card again"),
    ("/clock 2026-11-03 10:00", "set the bot's clock (+2 days moves it on); only for a bot started here"),
    ("/help", "this list"),
    ("/quit", "leave (Ctrl-D too)"),
)


async def interactive(session: ChatSession, terminal: Terminal, as_person: str | None = None) -> None:
    """Open the person's chat, then take lines until /quit or the end of input."""
    out = session.out
    out.write(line(styled(f"Steward console: {session.bot.description}.", "bold")))
    out.write("Type a message (try \"help\"), a button's number, or /help for the console's own commands.")
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    interrupted = False

    def interrupt() -> None:
        nonlocal interrupted
        interrupted = True
        if task is not None:
            task.cancel()

    try:
        # through the loop, so Ctrl-C is seen whichever thread the signal lands on
        loop.add_signal_handler(signal.SIGINT, interrupt)
        handling = True
    except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
        handling = False
    try:
        await _converse(session, terminal, as_person)
    except asyncio.CancelledError:
        if not interrupted or task is None:
            raise
        task.uncancel()
        out.write()
    finally:
        if handling:
            loop.remove_signal_handler(signal.SIGINT)


async def _converse(session: ChatSession, terminal: Terminal, as_person: str | None) -> None:
    out = session.out
    if as_person:
        await session.open(as_person)
    while True:
        chat = session.chat
        prompt = f"{chat.person.first_name}> " if chat else "> "
        typed = await read_showing_arrivals(session, terminal, prompt)
        if typed is None:
            out.write()
            return
        typed = typed.strip()
        if not typed:
            continue
        if typed.lower() in ("/quit", "/exit", "/q"):
            return
        try:
            await _act(session, terminal, typed)
        except ChatError as error:
            out.write(line(styled(f"! {error}", "attention")))


async def read_showing_arrivals(session: ChatSession, terminal: Terminal, prompt: str) -> str | None:
    """Read a line; whatever the bot sends meanwhile is shown at once and the prompt put back."""
    reading = asyncio.ensure_future(terminal.read(prompt))
    try:
        while True:
            arriving = asyncio.ensure_future(session.arrival())
            done, _ = await asyncio.wait({reading, arriving}, return_when=asyncio.FIRST_COMPLETED)
            if reading in done:
                arriving.cancel()
                return reading.result()
            if session.show_arrivals():
                terminal.reprompt(prompt)
    finally:
        reading.cancel()


async def _act(session: ChatSession, terminal: Terminal, typed: str) -> None:
    out = session.out
    command, _, rest = typed.partition(" ")
    if command == "/help":
        width = max(len(name) for name, _ in HELP)
        for name, meaning in HELP:
            out.write(f"  {name.ljust(width)}  {meaning}")
    elif command == "/as":
        await session.open(rest)
    elif command == "/card":
        if session.view() is None:
            raise ChatError("No card is open.")
        session.show_card()
    elif command == "/clock":
        try:
            moment = parse_clock(rest)
        except ValueError as error:
            raise ChatError(str(error)) from None
        await session.move_clock(moment)
    elif command.startswith("/"):
        raise ChatError(f"{command} is not a console command; /help lists them.")
    elif typed.isdigit():
        await session.press(int(typed), ask=asker(session, terminal))
    elif typed.startswith("[") and typed.endswith("]"):
        await session.press(typed[1:-1].strip(), ask=asker(session, terminal))
    else:
        await session.say(typed)


def asker(session: ChatSession, terminal: Terminal) -> Ask:
    """Ask for each input in turn: its label, hints and the bot's error beside it, then the value."""
    out = session.out
    started = False

    async def ask(field: Field) -> str | None:
        nonlocal started
        if not started:
            out.write("Fill in the card. Enter keeps the value in brackets; a single - empties it.")
            started = True
        out.write(line(styled(field.label, "bold")))
        for hint in field.hints:
            out.write(line("  ", styled(hint, "subtle")))
        for error in field.errors:
            out.write(line("  ", styled(f"! {error}", "attention")))
        if field.kind == "choice":
            out.write("  " + "   ".join(f"{n}. {title}" for n, (title, _) in enumerate(field.choices, 1)))
        current = field.shown()
        prompt = f"  {field.limits()}" + (f" [{current}]" if current else "") + ": "
        while True:
            typed = await terminal.read(prompt)
            if typed is None:
                return None
            if not typed.strip():
                return field.value
            if typed.strip() == "-":
                return ""
            try:
                return field.accept(typed)
            except ValueError as error:
                out.write(line("  ", styled(f"! {error}", "attention")))

    return ask
