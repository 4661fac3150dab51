"""The tab's door: who is looking (a session cookie or SSO token, or the demo person), and what they may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from commissioning.clock import Clock
from storage.models import Contract, Person
from storage.repositories import Repositories
from tab.identity import COOKIE, Sessions, SignedIn, SignInRefused, Verify
from tab.views import Viewer

THEMES = {"default": "default", "light": "default", "dark": "dark", "contrast": "contrast"}
NOT_YOURS = (
    "You cannot see this contract",
    "It is not one of your contracts, or there is no such contract. Your portfolio lists the ones you can see.",
)


class Denied(Exception):
    """The request ends here with this page (a refusal, a sign-in, the demo's choice of person)."""

    def __init__(
        self, status: int, title: str, message: str = "", template: str = "message.html", **extra: Any
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.message = message
        self.template = template
        self.extra = extra


def theme_of(request: web.Request) -> str:
    """?theme= (Teams' default, dark or contrast; light is default), else 'auto': the browser decides."""
    return THEMES.get(request.query.get("theme", "").strip().lower(), "auto")


@dataclass(frozen=True)
class Looking:
    """One request's viewer, theme and links: every link keeps the theme (and, in the demo, the person)."""

    viewer: Viewer
    theme: str
    demo_as: str = ""
    kept: dict[str, str] = field(default_factory=dict)

    def link(self, path: str, **params: str) -> str:
        query = {**self.kept, **{name: value for name, value in params.items() if value}}
        return path + ("?" + urlencode(query) if query else "")

    def may_see(self, key: str) -> Contract:
        """The contract with this key if the viewer holds a role on it; a 403 alike for any other key."""
        for contract in self.viewer.contracts:
            if contract.key == key:
                return contract
        raise Denied(403, *NOT_YOURS)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def demo_person(people: list[Person], wanted: str) -> Person | None:
    """The one person `?as=` names: email, its part before @, full name, or a first name only one has."""
    wanted = _norm(wanted)
    tests = (
        lambda p: _norm(p.email) == wanted,
        lambda p: _norm(p.email.split("@")[0]) == wanted,
        lambda p: _norm(p.name) == wanted,
        lambda p: _norm(p.name.split(" ")[0]) == wanted,
    )
    for test in tests:
        found = [person for person in people if test(person)]
        if len(found) == 1:
            return found[0]
    return None


class Gate:
    """Finds who is looking. Local mode: the demo person `?as=` names. Otherwise a Teams SSO token (Bearer)
    or the session cookie made from one; with neither, the sign-in page (401) that gets one from Teams."""

    def __init__(self, local_mode: bool, sessions: Sessions, verify: Verify | None, clock: Clock) -> None:
        self._local = local_mode
        self._sessions = sessions
        self._verify = verify
        self._clock = clock

    async def looking(self, request: web.Request, repos: Repositories) -> Looking:
        theme = theme_of(request)
        kept = {"theme": theme} if theme != "auto" else {}
        if self._local:
            person, wanted = await self._demo(request, repos, theme)
            kept = {"as": wanted, **kept}
            return Looking(await self._viewer(repos, person, demo=True), theme, wanted, kept)
        person = await self._signed_in(request, repos)
        return Looking(await self._viewer(repos, person, demo=False), theme, "", kept)

    async def _viewer(self, repos: Repositories, person: Person, *, demo: bool) -> Viewer:
        return Viewer(person, tuple(await repos.people.memberships(person.id)), demo)

    async def _demo(self, request: web.Request, repos: Repositories, theme: str) -> tuple[Person, str]:
        wanted = request.query.get("as", "").strip()
        people = await repos.people.people()
        person = demo_person(people, wanted) if wanted else None
        if person is None:
            status, title = (
                (404, f"Nobody called “{wanted}” is in the demo") if wanted else (200, "Who are you?")
            )
            choices = [
                (p.email.split("@")[0], p.name, p.job_title) for p in sorted(people, key=lambda p: p.name)
            ]
            raise Denied(status, title, template="choose.html", people=choices, theme=theme)
        return person, wanted

    async def _signed_in(self, request: web.Request, repos: Repositories) -> Person:
        authorization = request.headers.get("Authorization")
        if authorization is not None and self._verify is not None:
            try:
                signed_in = await self._verify(authorization)
            except SignInRefused:
                raise Denied(401, "Your sign-in was refused", "Open Steward from Teams again.") from None
            person = await self.person_for(repos, signed_in)
        else:
            session = self._sessions.check(request.cookies.get(COOKIE), self._clock.now())
            if session is None:
                raise Denied(401, "Signing you in with Teams…", template="signin.html")
            person = await repos.people.person(session.person_id)
            if person is not None and person.tenant_id not in (None, session.tenant_id):
                person = None
        if person is None:
            raise Denied(403, "You are not in Steward's portfolio", "Ask your contract manager to add you.")
        return person

    async def person_for(self, repos: Repositories, signed_in: SignedIn) -> Person | None:
        """The person a sign-in names: by (tenant, object id), else by sign-in name within the tenant."""
        person = await repos.people.by_aad_object_id(signed_in.object_id, signed_in.tenant_id)
        if person is None and "@" in signed_in.login:
            person = await repos.people.by_email(signed_in.login)
            if person is not None and (
                person.tenant_id not in (None, signed_in.tenant_id)
                or person.aad_object_id not in (None, signed_in.object_id)
            ):
                return None  # the same address in another tenant, or bound to another account
        return person
