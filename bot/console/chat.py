"""Start a console chat: the connector stand-in, the bot (here or at a URL), then a script or the prompt."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bot.console.bots import Bot, InProcessBot, RemoteBot, messages_url
from bot.console.connector import LocalConnector
from bot.console.errors import ChatError
from bot.console.repl import interactive
from bot.console.script import parse_script, play
from bot.console.session import ChatSession, Output
from bot.console.terminal import Terminal, Writer
from bot.settings import Settings
from commissioning.clock import Clock

# The connector listens here when it can, so a chat saved by an earlier console run still reaches it.
CONNECTOR_PORT = 3979


@dataclass
class ChatOptions:
    settings: Settings
    url: str | None = None  # a running bot; None starts one here
    fresh: bool = False  # start the bot here on a new temporary database
    clock: Clock | None = None  # for a bot started here (tests freeze it)
    connector_port: int = CONNECTOR_PORT
    width: int = 100


@asynccontextmanager
async def open_chat(options: ChatOptions, writer: Writer) -> AsyncIterator[ChatSession]:
    """A chat session with everything it needs running; all of it stopped on the way out."""
    if options.url is not None:
        messages_url(options.url)  # refuses anything but loopback before a port is opened
        if options.fresh:
            raise ChatError("--fresh starts the bot here; it cannot be used with --url.")
    connector = await LocalConnector().start(options.connector_port)
    try:
        bot: Bot
        if options.url is not None:
            bot = RemoteBot(options.url, options.settings)
        else:
            bot = await InProcessBot.start(options.settings, clock=options.clock, fresh=options.fresh)
        tenants = options.settings.allowed_tenants if options.url is not None else []
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:
                yield ChatSession(
                    bot=bot,
                    connector=connector,
                    http=http,
                    output=Output(writer),
                    width=options.width,
                    tenant_id=tenants[0] if tenants else None,
                )
        finally:
            await bot.close()
    finally:
        await connector.close()


async def run_chat(
    options: ChatOptions,
    *,
    writer: Writer,
    terminal: Terminal | None = None,
    as_person: str | None = None,
    script: Path | None = None,
) -> str:
    """Play a script, or chat at the prompt; returns the transcript. Raises ChatError (ScriptFailed)."""
    steps = None
    if script is not None:
        try:
            text = await asyncio.to_thread(script.read_text, encoding="utf-8")
        except OSError as error:
            raise ChatError(f"cannot read {script}: {error.strerror}") from None
        steps = parse_script(text, str(script))
    async with open_chat(options, writer) as session:
        if steps is None:
            terminal = terminal or Terminal(writer)
            try:
                await interactive(session, terminal, as_person)
            finally:
                terminal.close()
        else:
            if as_person:
                await session.open(as_person)
            await play(session, steps, str(script))
        return session.out.text
