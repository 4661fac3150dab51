"""The bot's own outbound AAD token (client credentials), cached across turns, and the outbound TLS trust."""

from __future__ import annotations

import asyncio
import logging
import math
import os
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import aiohttp

log = logging.getLogger(__name__)

REFRESH_MARGIN = timedelta(minutes=5)
MAX_ERROR_DETAIL = 200
MAX_LIFETIME_SECONDS = 24 * 3600.0  # AAD tokens last about an hour; cap absurd values

Clock = Callable[[], datetime]
PUBLIC_LOGIN_URL = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"


class Credentials(Protocol):
    """The bot's identity for the token endpoint: what the composition root's settings provide."""

    @property
    def app_id(self) -> str: ...
    @property
    def app_password(self) -> str: ...
    @property
    def app_type(self) -> str: ...
    @property
    def app_tenant_id(self) -> str: ...
    @property
    def login_url(self) -> str: ...
    @property
    def oauth_scope(self) -> str: ...
    @property
    def outbound_timeout_seconds(self) -> float: ...


def utc_now() -> datetime:
    """The default clock: aware UTC."""
    return datetime.now(UTC)


def client_ssl_context() -> ssl.SSLContext:
    """TLS trust for every outbound call: the bundle in SSL_CERT_FILE if set, else the system default.

    As with OpenSSL itself, SSL_CERT_FILE replaces the default bundle rather than adding to it. Build the
    app's one ClientSession with aiohttp.TCPConnector(ssl=client_ssl_context()).
    """
    cafile = os.environ.get("SSL_CERT_FILE") or None
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as error:
        raise RuntimeError(f"SSL_CERT_FILE={cafile!r} is not a readable PEM CA bundle: {error}") from error


class TokenUnavailable(Exception):
    """The bot could not get its outbound token; the message says why and never contains the secret."""


@dataclass(frozen=True)
class _CachedToken:
    value: str
    refresh_at: datetime


class BotTokenProvider:
    """Client-credentials token for calls to the Bot Connector, fetched once and reused until near expiry.

    Posts straight to settings.login_url (no MSAL, so no instance discovery against a public host).
    MultiTenant bots use the default botframework.com tenant URL. A SingleTenant bot must set
    ToChannelFromBotLoginUrl to its own tenant, https://login.microsoftonline.com/<tenant id>/oauth2/v2.0/token.
    UserAssignedMSI is not supported: it needs the managed identity endpoint, not a client secret.
    """

    def __init__(
        self,
        settings: Credentials,
        session: aiohttp.ClientSession,
        clock: Clock = utc_now,
        *,
        timeout: float | None = None,
    ) -> None:
        if settings.app_type == "UserAssignedMSI":
            raise ValueError("MicrosoftAppType=UserAssignedMSI is not supported; use a client secret")
        if settings.app_type == "SingleTenant" and settings.login_url == PUBLIC_LOGIN_URL:
            log.warning(
                "MicrosoftAppType=SingleTenant but ToChannelFromBotLoginUrl is the botframework.com tenant; "
                "set it to https://login.microsoftonline.com/%s/oauth2/v2.0/token",
                settings.app_tenant_id,
            )
        self._settings = settings
        self._session = session
        self._clock = clock
        self._timeout = aiohttp.ClientTimeout(total=timeout or settings.outbound_timeout_seconds)
        self._lock = asyncio.Lock()
        self._cached: _CachedToken | None = None

    async def token(self) -> str:
        """A valid access token; concurrent callers share one fetch. Raises TokenUnavailable."""
        cached = self._fresh()
        if cached is not None:
            return cached
        async with self._lock:
            cached = self._fresh()  # someone else may have fetched while we waited
            if cached is not None:
                return cached
            self._cached = await self._fetch()
            return self._cached.value

    def invalidate(self) -> None:
        """Forget the cached token, e.g. after the connector answers 401 to it; the next call refetches."""
        self._cached = None

    def _fresh(self) -> str | None:
        if self._cached is not None and self._clock() < self._cached.refresh_at:
            return self._cached.value
        return None

    async def _fetch(self) -> _CachedToken:
        settings = self._settings
        if not settings.app_id:
            raise TokenUnavailable("no MicrosoftAppId: local mode sends no token")
        form = {
            "grant_type": "client_credentials",
            "client_id": settings.app_id,
            "client_secret": settings.app_password,
            "scope": settings.oauth_scope,
        }
        requested = self._clock()
        try:
            async with self._session.post(
                settings.login_url, data=form, headers={"Accept": "application/json"}, timeout=self._timeout
            ) as response:
                status = response.status
                try:
                    body = await response.json(content_type=None)
                except ValueError:
                    body = None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise TokenUnavailable(f"token endpoint unreachable: {type(error).__name__}") from None
        if not isinstance(body, dict):
            raise TokenUnavailable(f"token endpoint answered HTTP {status} without a JSON object")
        if status != 200:
            detail = _error_detail(body, settings.app_password)
            raise TokenUnavailable(f"token endpoint refused (HTTP {status}): {detail}")
        value = body.get("access_token")
        lifetime = _seconds(body.get("expires_in"))
        if not isinstance(value, str) or not value or lifetime is None:
            raise TokenUnavailable("token endpoint answered without access_token/expires_in")
        # Refresh 5 minutes early; a token shorter-lived than 10 minutes is refreshed halfway instead.
        margin = min(REFRESH_MARGIN, timedelta(seconds=lifetime / 2))
        log.info("fetched bot token, valid for %d s", lifetime)
        return _CachedToken(value=value, refresh_at=requested + timedelta(seconds=lifetime) - margin)


def _seconds(value: object) -> float | None:
    """expires_in as a positive number of seconds; AAD v1 endpoints send it as a string."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value <= 0:
        return None
    return min(float(value), MAX_LIFETIME_SECONDS)


def _error_detail(body: dict[str, object], secret: str) -> str:
    """AAD's error code and description, truncated; the secret is masked should an endpoint ever echo it."""
    parts = (body.get("error"), body.get("error_description"))
    detail = " ".join(part for part in parts if isinstance(part, str) and part)
    if secret:
        detail = detail.replace(secret, "***")
    return detail[:MAX_ERROR_DETAIL] or "no error detail"
