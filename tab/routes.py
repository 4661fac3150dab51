"""The tab's routes under /tab/: who is asking, what they may see, the page, and the headers Teams needs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from aiohttp import web

from commissioning.actions import ActionLevel, ActionStatus
from commissioning.clock import Clock
from commissioning.download_links import REPORTS, ReportGrant
from storage.engine import Database
from storage.repositories import Repositories
from tab.charts import trend_svg
from tab.gate import NOT_YOURS, Denied, Gate, Looking
from tab.identity import COOKIE, Sessions, SignInRefused, SignInUnavailable, Verify
from tab.render import Renderer
from tab.views import ActionFilter, Clocked, card, contract_trends, contract_view, workbook_quarters

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors "


@dataclass(frozen=True, slots=True)
class TabConfig:
    """What the tab is told once, from the settings."""

    local_mode: bool
    frame_ancestors: tuple[str, ...]
    session_key: bytes
    session_minutes: int = 30


class Workbook(Protocol):
    @property
    def filename(self) -> str: ...

    @property
    def data(self) -> bytes: ...


WorkbookSource = Callable[..., Awaitable[Workbook | None]]


@dataclass(frozen=True, slots=True)
class TabSources:
    """The running app's parts the tab reads, made at start-up: the database, the clock, the zone, the
    SSO token check (None in local mode)."""

    database: Database
    clock: Clock
    zone: ZoneInfo
    verify: Verify | None
    # Builds a report link's workbook after re-checking the person (bot/report_downloads.py), handed in
    # by the app so the tab imports nothing of bot/; None: the tab offers the links but serves 404.
    workbook: WorkbookSource | None = None


Sources = Callable[[web.Application], TabSources]


def security_headers(config: TabConfig) -> dict[str, str]:
    """The headers every /tab/ response carries: framed only by Teams, scripts and styles only our own."""
    policy = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            # The Teams library fetches Teams' list of its own origins from Microsoft's CDN.
            "connect-src 'self' https://res.cdn.office.net",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors " + (" ".join(config.frame_ancestors) or "'none'"),
        ]
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }


def add_tab_routes(app: web.Application, config: TabConfig, sources: Sources) -> None:
    """Mount the tab under /tab/ on the bot's app."""
    tab = Tab(config, sources, Renderer())
    headers = security_headers(config)

    async def stamp(request: web.Request, response: web.StreamResponse) -> None:
        if request.path == "/tab" or request.path.startswith("/tab/"):
            for name, value in headers.items():
                response.headers.setdefault(name, value)
            if not request.path.startswith("/tab/static/"):
                response.headers["Cache-Control"] = "no-store"

    app.on_response_prepare.append(stamp)
    app.router.add_get("/tab", tab.home)
    app.router.add_get("/tab/", tab.portfolio)
    app.router.add_get("/tab/contracts/{key}", tab.contract)
    app.router.add_get("/tab/contracts/{key}/trends/{code}.svg", tab.trend_chart)
    app.router.add_get("/tab/contracts/{key}/workbooks/{report}/{quarter}.xlsx", tab.workbook)
    app.router.add_get("/tab/configure", tab.configure)
    app.router.add_post("/tab/session", tab.sign_in)
    app.router.add_static("/tab/static/", STATIC)


Page = Callable[[Repositories, Looking, web.Request], Awaitable[web.Response]]


class Tab:
    """The tab's handlers: every page finds who is looking first and refuses what they may not see."""

    def __init__(self, config: TabConfig, sources: Sources, renderer: Renderer) -> None:
        self._config = config
        self._sources = sources
        self._render = renderer
        self._ancestors = " ".join(config.frame_ancestors) or "'none'"
        self._sessions = Sessions(config.session_key, timedelta(minutes=config.session_minutes))

    def _gate(self, request: web.Request) -> Gate:
        sources = self._sources(request.app)
        return Gate(self._config.local_mode, self._sessions, sources.verify, sources.clock)

    async def home(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(request.rel_url.with_path("/tab/"))

    async def _serve(self, request: web.Request, page: Page) -> web.Response:
        sources = self._sources(request.app)
        try:
            async with sources.database.session() as session:
                repos = Repositories.on(session)
                looking = await self._gate(request).looking(request, repos)
                return await page(repos, looking, request)
        except Denied as denied:
            return self._render.denied(request, denied)
        except SignInUnavailable:
            return self._render.message(
                request, 503, "Steward cannot check sign-ins just now", "Try again in a minute."
            )

    def _clocked(self, request: web.Request) -> Clocked:
        sources = self._sources(request.app)
        return Clocked(sources.clock.now(), sources.zone)

    async def portfolio(self, request: web.Request) -> web.Response:
        async def page(repos: Repositories, looking: Looking, request: web.Request) -> web.Response:
            clock = self._clocked(request)
            cards = [await card(repos, looking.viewer, c, clock) for c in looking.viewer.contracts]
            return self._render.page(request, looking, "portfolio.html", cards=cards, today=clock.today)

        return await self._serve(request, page)

    async def contract(self, request: web.Request) -> web.Response:
        async def page(repos: Repositories, looking: Looking, request: web.Request) -> web.Response:
            contract = looking.may_see(request.match_info["key"])
            wanted = _action_filter(request)
            view = await contract_view(repos, looking.viewer, contract, self._clocked(request), wanted)
            return self._render.page(request, looking, "contract.html", view=view, wanted=wanted)

        return await self._serve(request, page)

    async def trend_chart(self, request: web.Request) -> web.Response:
        """One indicator's twelve-month chart, for <img>: refused like the contract page it belongs to."""

        async def page(repos: Repositories, looking: Looking, request: web.Request) -> web.Response:
            contract = looking.may_see(request.match_info["key"])
            clock = self._clocked(request)
            found = await contract_trends(repos, contract, clock, request.match_info["code"])
            trend = found[0] if found else None
            if trend is None:
                raise Denied(404, "No such indicator", "This contract has no indicator with that code.")
            theme = looking.theme if looking.theme != "auto" else "default"
            return web.Response(
                body=trend_svg(trend, theme),
                content_type="image/svg+xml",
                # An image: its own inline styles, and no script even when opened on its own.
                headers={"Content-Security-Policy": CHART_POLICY + self._ancestors},
            )

        return await self._serve(request, page)

    async def workbook(self, request: web.Request) -> web.Response:
        """One of the contract's workbooks for a closed quarter: refused like the contract page it is on."""

        async def page(repos: Repositories, looking: Looking, request: web.Request) -> web.Response:
            contract = looking.may_see(request.match_info["key"])
            clock = self._clocked(request)
            report, quarter = request.match_info["report"], request.match_info["quarter"]
            offered = {q.key for q in workbook_quarters(contract, clock.today)}
            kind = next((k for k in REPORTS if k == report), None)
            if kind is None or quarter not in offered:
                raise Denied(404, "No such workbook", "Choose a workbook from the contract's page.")
            grant = ReportGrant(contract.id, kind, quarter, looking.viewer.person.id, clock.now)
            build = self._sources(request.app).workbook
            if build is None:
                raise Denied(404, "No such workbook", "Workbooks are not served here.")
            found = await build(repos, grant, clock.now, clock.zone, via="tab")
            if found is None:  # the rule the bot's links use (commissioning/roles.py may_see_contract)
                raise Denied(403, *NOT_YOURS)
            return web.Response(
                body=found.data,
                headers={
                    "Content-Type": XLSX,
                    "Content-Disposition": f'attachment; filename="{found.filename}"',
                },
            )

        return await self._serve(request, page)

    async def configure(self, request: web.Request) -> web.Response:
        async def page(repos: Repositories, looking: Looking, request: web.Request) -> web.Response:
            return self._render.page(request, looking, "configure.html", contracts=looking.viewer.contracts)

        return await self._serve(request, page)

    async def sign_in(self, request: web.Request) -> web.Response:
        """POST with the Teams SSO token as a Bearer token: a short-lived session cookie for the pages."""
        sources = self._sources(request.app)
        if self._config.local_mode or sources.verify is None:
            return web.json_response({"error": "local mode has no sign-in: add ?as=NAME"}, status=404)
        try:
            signed_in = await sources.verify(request.headers.get("Authorization"))
        except SignInRefused:
            return web.json_response(
                {"error": "sign-in refused"}, status=401, headers={"WWW-Authenticate": "Bearer"}
            )
        except SignInUnavailable:
            return web.json_response({"error": "sign-in cannot be checked just now"}, status=503)
        async with sources.database.session() as session:
            person = await self._gate(request).person_for(Repositories.on(session), signed_in)
        if person is None:
            return web.json_response({"error": "you are not in Steward's portfolio"}, status=403)
        value, issued = self._sessions.issue(person.id, signed_in, sources.clock.now())
        response = web.json_response({"name": person.name})
        max_age = int((issued.expires_at - sources.clock.now()).total_seconds())
        # Inside Teams the tab is a third-party frame: SameSite=None and Secure, partitioned per top site.
        response.headers["Set-Cookie"] = (
            f"{COOKIE}={value}; Path=/tab/; Max-Age={max_age}; HttpOnly; Secure; SameSite=None; Partitioned"
        )
        return response


def _action_filter(request: web.Request) -> ActionFilter:
    """The action log's filters; a value the page never offers is a 400, not a silent 'any'."""
    status = request.query.get("status", "")
    owner = request.query.get("owner", "")
    level = request.query.get("level", "")
    if status and status not in {s.value for s in ActionStatus}:
        raise Denied(400, "That is not an action status", "Choose open, in progress or done.")
    if level and level not in {lv.value for lv in ActionLevel}:
        raise Denied(400, "That is not an action level", "Choose a level from the list.")
    if owner and not owner.isdigit():
        raise Denied(400, "That is not an owner", "Choose an owner from the list.")
    return ActionFilter(status, owner, level)
