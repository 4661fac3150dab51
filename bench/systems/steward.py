"""Steward itself as `python -m bot serve` runs it: `create_app` with Settings from the environment the bench sets."""

from __future__ import annotations

from aiohttp import web

from bot.app import create_app
from bot.runtime import settle_on_startup
from bot.settings import Settings


def app() -> web.Application:
    steward = create_app(Settings(_env_file=None))  # type: ignore[call-arg]
    steward.on_startup.append(settle_on_startup)
    return steward
