"""Steward itself: `bot.app.create_app` with Settings read from the environment the bench sets."""

from __future__ import annotations

from aiohttp import web

from bot.app import create_app
from bot.settings import Settings


def app() -> web.Application:
    return create_app(Settings(_env_file=None))  # type: ignore[call-arg]
