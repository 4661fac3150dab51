"""A Bot Connector for the console: a loopback aiohttp server that receives the bot's replies and messages.

It answers the calls BotConnector makes (send, reply, update, delete, member lookup) the way the Bot
Framework does, and keeps every delivery in arrival order for the chat to show.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Delivery:
    """One call the bot made: a new message (POST), a card replaced in place (PUT) or removed (DELETE)."""

    method: str
    conversation_id: str
    activity_id: str
    body: dict[str, Any]
    reply_to: str | None = None
    answer: bool = False  # arrived while the chat's own request was in flight (set by the session)

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            attachment["content"]
            for attachment in self.body.get("attachments") or []
            if isinstance(attachment, dict)
            and attachment.get("contentType") == "application/vnd.microsoft.card.adaptive"
            and isinstance(attachment.get("content"), dict)
        ]


class LocalConnector:
    """Serves /v3/conversations/... on 127.0.0.1; `deliveries` grows as the bot sends."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.members: dict[str, dict[str, Any]] = {}
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._ids = itertools.count(1)
        self._arrived = asyncio.Event()

    @property
    def url(self) -> str:
        """The serviceUrl the chat puts on its activities; the bot sends back here."""
        return f"http://{LOOPBACK}:{self._port}/"

    async def start(self, port: int = 0) -> LocalConnector:
        """Listen on `port`, or on any free port when it is 0 or already taken."""
        app = web.Application()
        conversation = "/v3/conversations/{conversation}"
        app.router.add_post(conversation + "/activities", self._post)
        app.router.add_post(conversation + "/activities/{activity}", self._post)
        app.router.add_put(conversation + "/activities/{activity}", self._put)
        app.router.add_delete(conversation + "/activities/{activity}", self._delete)
        app.router.add_get(conversation + "/members/{member}", self._member)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, LOOPBACK, port).start()
        except OSError:
            if not port:
                raise
            log.info("port %s is taken; the console's connector listens on a free port instead", port)
            await web.TCPSite(self._runner, LOOPBACK, 0).start()
        self._port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def add_member(self, member_id: str, member: dict[str, Any]) -> None:
        """What the Teams member lookup answers for this id (email, userPrincipalName, aadObjectId)."""
        self.members[member_id] = member

    async def wait_beyond(self, count: int) -> None:
        """Return once more than `count` deliveries have arrived."""
        while len(self.deliveries) <= count:
            self._arrived.clear()
            await self._arrived.wait()

    # -- the Bot Connector REST API ---------------------------------------------------------------------

    async def _body(self, request: web.Request) -> dict[str, Any] | None:
        try:
            body = await request.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def _record(self, delivery: Delivery) -> None:
        self.deliveries.append(delivery)
        self._arrived.set()

    async def _post(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if body is None:
            return _error(400, "BadArgument", "the activity must be a JSON object")
        new_id = f"console-{next(self._ids)}"
        self._record(
            Delivery(
                "POST",
                request.match_info["conversation"],
                new_id,
                body,
                reply_to=request.match_info.get("activity"),
            )
        )
        return web.json_response({"id": new_id}, status=201)

    async def _put(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if body is None:
            return _error(400, "BadArgument", "the activity must be a JSON object")
        activity_id = request.match_info["activity"]
        self._record(Delivery("PUT", request.match_info["conversation"], activity_id, body))
        return web.json_response({"id": activity_id})

    async def _delete(self, request: web.Request) -> web.Response:
        self._record(
            Delivery("DELETE", request.match_info["conversation"], request.match_info["activity"], {})
        )
        return web.json_response({})

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["member"])
        if member is None:
            return _error(404, "MemberNotFoundInConversation", "no such member in this conversation")
        return web.json_response(member)


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)
