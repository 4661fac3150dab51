"""A loopback stand-in for the Bot Connector REST API: records every call, answers as told."""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.cardschema import card_problems


@dataclass
class Call:
    method: str
    path: str
    conversation_id: str
    activity_id: str | None
    body: Any
    headers: dict[str, str]

    @property
    def card(self) -> dict[str, Any] | None:
        attachments = (self.body or {}).get("attachments") or []
        return attachments[0]["content"] if attachments else None


@dataclass
class ConnectorStandIn:
    """Serves /v3/conversations/...; `script` queues (status, headers, body) answers for the next sends."""

    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    script: deque[tuple[int, dict[str, str], Any]] = field(default_factory=deque)
    server: TestServer | None = None
    invalid_cards: list[str] = field(default_factory=list)
    client_ports: list[int] = field(default_factory=list)
    validate_cards: bool = True  # benchmarks turn this off: the schema check costs more than a turn
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/")).rstrip("/") + "/"

    async def start(self) -> ConnectorStandIn:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._send)
        app.router.add_delete("/v3/conversations/{conversation}/activities/{activity}", self._send)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        peer = request.transport.get_extra_info("peername") if request.transport else None
        if peer:
            self.client_ports.append(peer[1])
        for attachment in (body or {}).get("attachments") or [] if self.validate_cards else []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                self.invalid_cards.extend(card_problems(attachment["content"]))
        self.calls.append(
            Call(
                request.method,
                request.path,
                request.match_info["conversation"],
                request.match_info.get("activity"),
                body,
                dict(request.headers),
            )
        )
        if self.script:
            status, headers, answer = self.script.popleft()
            if isinstance(answer, str):
                return web.Response(status=status, headers=headers, text=answer)
            return web.json_response(answer, status=status, headers=headers)
        if request.method == "PUT":
            return web.json_response({"id": request.match_info["activity"]})
        return web.json_response(
            {"id": f"act-{next(self._ids)}"}, status=201 if request.method == "POST" else 200
        )

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["member"])
        self.calls.append(
            Call("GET", request.path, request.match_info["conversation"], None, None, dict(request.headers))
        )
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(member)

    # -- what tests read -----------------------------------------------------------------------------------

    def sent(self, conversation_id: str | None = None) -> list[Call]:
        """Messages posted (new or reply), optionally to one conversation."""
        return [
            c
            for c in self.calls
            if c.method == "POST" and (conversation_id is None or c.conversation_id == conversation_id)
        ]

    def updates(self) -> list[Call]:
        return [c for c in self.calls if c.method == "PUT"]

    def clear(self) -> None:
        self.calls.clear()
