"""A Bot Connector stand-in in its own process: counts every call, can enforce Teams' limits and inject faults.

Run as `python -m bench.standin --port P [--enforce] [--fault-every K]`. The bench's conversation ids
carry their tenant (`a:t07-p0123` is tenant 7), which is how the stand-in applies the per-tenant limit.
GET /stats answers what it saw; POST /reset forgets it.
"""

from __future__ import annotations

import argparse
import itertools
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field

from aiohttp import web

# Teams: 50 requests per second per app per tenant; per bot per conversation 7/1 s, 8/2 s, 60/30 s, 1800/h.
TENANT_LIMIT: tuple[int, float] = (50, 1.0)
CONVERSATION_LIMITS: tuple[tuple[int, float], ...] = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
_TENANT = re.compile(r"^a:t(\d+)-")


@dataclass
class Window:
    """A sliding window: at most `count` events in any `seconds`."""

    count: int
    seconds: float
    times: deque[float] = field(default_factory=deque)

    def room(self, now: float) -> bool:
        while self.times and now - self.times[0] >= self.seconds:
            self.times.popleft()
        return len(self.times) < self.count

    def add(self, now: float) -> None:
        self.times.append(now)


@dataclass
class StandIn:
    """The counters and the rules: `enforce` answers 429 above Teams' limits; `fault_every` injects faults."""

    enforce: bool = False
    fault_every: int = 0
    calls: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    delivered: Counter[str] = field(default_factory=Counter)
    first: float = 0.0
    last: float = 0.0
    tenants: dict[str, Window] = field(default_factory=dict)
    conversations: dict[str, list[Window]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def reset(self) -> None:
        self.calls, self.first, self.last = 0, 0.0, 0.0
        self.statuses.clear()
        self.delivered.clear()
        self.tenants.clear()
        self.conversations.clear()

    def admit(self, conversation: str, now: float) -> bool:
        """True when Teams would take this call; records it against the tenant's and conversation's windows."""
        if not self.enforce:
            return True
        match = _TENANT.match(conversation)
        tenant = self.tenants.setdefault(match.group(1) if match else "", Window(*TENANT_LIMIT))
        windows = self.conversations.setdefault(conversation, [Window(*w) for w in CONVERSATION_LIMITS])
        ok = tenant.room(now) and all(w.room(now) for w in windows)
        tenant.add(now)  # Teams counts refused calls too
        for window in windows:
            window.add(now)
        return ok

    def answer(self, conversation: str, method: str) -> tuple[int, dict[str, str], dict[str, object]]:
        now = time.monotonic()
        self.calls += 1
        self.first = self.first or now
        self.last = now
        if not self.admit(conversation, now):
            return 429, {"Retry-After": "1"}, {"error": {"code": "TooManyRequests"}}
        if self.fault_every and self.calls % self.fault_every == 0:
            if (self.calls // self.fault_every) % 2:
                return 429, {"Retry-After": "1"}, {"error": {"code": "TooManyRequests"}}
            return 503, {}, {"error": {"code": "ServiceUnavailable"}}
        if method == "GET":
            return 404, {}, {"error": {"code": "MemberNotFoundInConversation"}}
        if method == "POST":
            self.delivered[conversation] += 1
        return (201 if method == "POST" else 200), {}, {"id": f"act-{next(self._ids)}"}

    def stats(self) -> dict[str, object]:
        return {
            "calls": self.calls,
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "seconds": self.last - self.first,
            "delivered": dict(self.delivered),
        }


def build(standin: StandIn) -> web.Application:
    """The Bot Connector routes the bench's bots call, plus /stats and /reset."""

    async def call(request: web.Request) -> web.Response:
        if request.can_read_body:
            await request.read()
        status, headers, body = standin.answer(request.match_info["conversation"], request.method)
        standin.statuses[status] += 1
        return web.json_response(body, status=status, headers=headers)

    async def stats(_: web.Request) -> web.Response:
        return web.json_response(standin.stats())

    async def reset(_: web.Request) -> web.Response:
        standin.reset()
        return web.json_response({})

    app = web.Application()
    base = "/v3/conversations/{conversation}"
    app.router.add_post(base + "/activities", call)
    app.router.add_post(base + "/activities/{activity}", call)
    app.router.add_put(base + "/activities/{activity}", call)
    app.router.add_delete(base + "/activities/{activity}", call)
    app.router.add_get(base + "/members/{member}", call)
    app.router.add_get("/stats", stats)
    app.router.add_post("/reset", reset)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--enforce", action="store_true", help="answer 429 above Teams' rate limits")
    parser.add_argument("--fault-every", type=int, default=0, help="every Kth call: 429, then 503, in turn")
    args = parser.parse_args()
    standin = StandIn(enforce=args.enforce, fault_every=args.fault_every)
    web.run_app(build(standin), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
