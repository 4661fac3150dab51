"""Who is looking at the tab: a Teams SSO sign-in checked by the bot, or the demo person in local mode."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

COOKIE = "steward_tab"
_LABEL = b"steward tab session v1|"


@dataclass(frozen=True, slots=True)
class SignedIn:
    """What a valid Teams SSO token says about the person: their tenant, object id and sign-in name."""

    tenant_id: str
    object_id: str
    login: str
    expires_at: datetime


class SignInRefused(Exception):
    """The token is missing or invalid: answer 401. The reason never contains token content."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SignInUnavailable(Exception):
    """The signing keys cannot be had right now: answer 503."""


Verify = Callable[[str | None], Awaitable[SignedIn]]
"""Checks an Authorization header's Teams SSO token (the bot's key machinery, bot/tab_sso.py)."""


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in person's tab session: who, in which tenant, until when."""

    person_id: int
    tenant_id: str
    expires_at: datetime


class Sessions:
    """The tab's session cookie: person, tenant and expiry, signed with HMAC-SHA256 so it cannot be forged."""

    def __init__(self, key: bytes, lifetime: timedelta) -> None:
        self._key = key
        self._lifetime = lifetime

    def issue(self, person_id: int, signed_in: SignedIn, now: datetime) -> tuple[str, Session]:
        """A cookie value lasting the session's lifetime, never longer than the token it came from."""
        expires = min(now + self._lifetime, signed_in.expires_at)
        session = Session(person_id, signed_in.tenant_id, expires)
        body = f"{person_id}.{signed_in.tenant_id}.{int(expires.timestamp())}"
        return f"{body}.{self._sign(body)}", session

    def check(self, value: str | None, now: datetime) -> Session | None:
        """The session a cookie carries, or None if it is absent, altered, malformed or expired."""
        if not value or value.count(".") != 3:
            return None
        person_id, tenant_id, expiry, signature = value.split(".")
        body = f"{person_id}.{tenant_id}.{expiry}"
        if not hmac.compare_digest(signature, self._sign(body)):
            return None
        if not person_id.isdigit() or not expiry.isdigit():
            return None
        expires = datetime.fromtimestamp(int(expiry), UTC)
        if now >= expires:
            return None
        return Session(int(person_id), tenant_id, expires)

    def _sign(self, body: str) -> str:
        digest = hmac.new(self._key, _LABEL + body.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
