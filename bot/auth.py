"""Inbound Bot Framework token validation on PyJWT and aiohttp, replacing the SDK's (STACK.md §3)."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.algorithms import RSAAlgorithm

from bot.settings import Settings
from connector.urls import is_loopback

log = logging.getLogger(__name__)

ALGORITHM = "RS256"
CLOCK_LEEWAY = timedelta(minutes=5)  # the Bot Framework SDK allows the same skew
MAX_DOCUMENT_BYTES = 1024 * 1024  # metadata and JWKS are a few kB; refuse anything absurd

Clock = Callable[[], datetime]
Monotonic = Callable[[], float]


def utc_now() -> datetime:
    """The default clock: aware UTC, so it can be compared with token timestamps."""
    return datetime.now(UTC)


class AuthenticationFailed(Exception):
    """The request's token is missing or invalid: answer 401. The message never contains token content."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SigningKeysUnavailable(Exception):
    """The channel's signing keys cannot be fetched and none are cached: answer 503, not 401 or 500."""


@dataclass(frozen=True)
class SigningKey:
    """One RS256 public key from the channel's JWKS, with the channel ids it is endorsed for (may be empty)."""

    kid: str
    public_key: RSAPublicKey
    endorsements: frozenset[str]


class _FetchFailed(Exception):
    """Internal: one metadata/JWKS fetch failed; the message is safe to log."""


class OpenIdKeys:
    """The channel's signing keys: fetched without blocking, cached, refreshed sparingly, backed off on failure."""

    def __init__(
        self,
        settings: Settings,
        session: aiohttp.ClientSession,
        *,
        timeout: float = 5.0,
        max_age: float = 24 * 3600,
        unknown_kid_interval: float = 5 * 60,
        backoff_initial: float = 30.0,
        backoff_max: float = 5 * 60,
        monotonic: Monotonic = time.monotonic,
        metadata_url: str | None = None,
    ) -> None:
        # The Bot Framework channel's by default; the tab's SSO tokens use the same machinery on their own.
        self._metadata_url = metadata_url or settings.openid_metadata_url
        self._session = session
        self._timeout = timeout
        self._max_age = max_age
        self._unknown_kid_interval = unknown_kid_interval
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._monotonic = monotonic
        self._lock = asyncio.Lock()
        self._keys: dict[str, SigningKey] | None = None
        self._fetched_at = 0.0  # monotonic time of the last successful fetch
        self._attempted_at: float | None = None  # monotonic time of the last fetch attempt, good or bad
        self._backoff_until = 0.0
        self._backoff_delay = 0.0

    async def signing_key(self, kid: str) -> SigningKey | None:
        """The key with this id, or None if the channel does not publish it (after at most one refresh).

        Raises SigningKeysUnavailable only when no keys have ever been fetched and fetching fails or
        is backing off; once keys are cached, a failed refresh keeps the old ones.
        """
        if self._needs_refresh() and not (self._keys is not None and self._lock.locked()):
            # With cached keys, a routine refresh already under way is not worth waiting for.
            await self._refresh(self._needs_refresh)
        if self._keys is None:  # _refresh raises first; kept so a logic slip is a 503, not a crash
            raise SigningKeysUnavailable("signing keys unavailable")
        key = self._keys.get(kid)
        if key is None and self._may_refresh_for(kid):
            await self._refresh(lambda: self._may_refresh_for(kid))
            key = self._keys.get(kid)
        return key

    def _needs_refresh(self) -> bool:
        return self._keys is None or self._monotonic() - self._fetched_at >= self._max_age

    def _may_refresh_for(self, kid: str) -> bool:
        """An unknown kid may mean the channel rotated keys, but a forger can send any kid: rate-limit it."""
        if self._keys is not None and kid in self._keys:
            return False
        if self._attempted_at is None:
            return True
        return self._monotonic() - self._attempted_at >= self._unknown_kid_interval

    async def _refresh(self, still_needed: Callable[[], bool]) -> None:
        """Fetch once for everyone waiting; callers queued behind a fetch re-check and reuse its result."""
        async with self._lock:
            if not still_needed():
                return
            now = self._monotonic()
            if now < self._backoff_until:
                if self._keys is None:
                    raise SigningKeysUnavailable(
                        "signing keys unavailable (backing off after a failed fetch)"
                    )
                return
            self._attempted_at = now
            try:
                async with asyncio.timeout(self._timeout):
                    keys = await self._fetch()
            except (_FetchFailed, TimeoutError) as error:
                reason = str(error) or f"no answer within {self._timeout:g} s"
                self._backoff_delay = min(
                    self._backoff_max,
                    self._backoff_delay * 2 if self._backoff_delay else self._backoff_initial,
                )
                self._backoff_until = self._monotonic() + self._backoff_delay
                if self._keys is None:
                    log.warning("cannot fetch signing keys (%s); retry in %g s", reason, self._backoff_delay)
                    raise SigningKeysUnavailable(f"signing keys unavailable: {reason}") from None
                log.warning(
                    "cannot refresh signing keys (%s); keeping %d cached keys, retry in %g s",
                    reason,
                    len(self._keys),
                    self._backoff_delay,
                )
                return
            self._keys = keys
            self._fetched_at = self._monotonic()
            self._backoff_delay = 0.0
            self._backoff_until = 0.0
            log.info("fetched %d signing keys", len(keys))

    async def _fetch(self) -> dict[str, SigningKey]:
        metadata = await self._get_json(self._metadata_url)
        jwks_uri = metadata.get("jwks_uri")
        if not isinstance(jwks_uri, str) or not jwks_uri:
            raise _FetchFailed("OpenID metadata has no jwks_uri")
        scheme = urlsplit(jwks_uri).scheme
        if scheme != "https" and not (scheme == "http" and is_loopback(jwks_uri)):
            raise _FetchFailed("jwks_uri must be https (http only on loopback)")
        jwks = await self._get_json(jwks_uri)
        entries = jwks.get("keys")
        if not isinstance(entries, list):
            raise _FetchFailed("JWKS has no keys list")
        keys = {key.kid: key for key in map(_parse_jwk, entries) if key is not None}
        if not keys:
            raise _FetchFailed("JWKS has no usable RS256 keys")
        return keys

    async def _get_json(self, url: str) -> dict[str, Any]:
        """GET a small JSON object; every way it can go wrong becomes _FetchFailed with a loggable reason."""
        where = _origin(url)
        try:
            async with self._session.get(url, headers={"Accept": "application/json"}) as response:
                if response.status != 200:
                    raise _FetchFailed(f"HTTP {response.status} from {where}")
                if response.content_length is not None and response.content_length > MAX_DOCUMENT_BYTES:
                    raise _FetchFailed(f"document from {where} is too large")
                body = bytearray()
                async for chunk in response.content.iter_chunked(64 * 1024):
                    body += chunk
                    if len(body) > MAX_DOCUMENT_BYTES:
                        raise _FetchFailed(f"document from {where} is too large")
        except aiohttp.ClientError as error:
            raise _FetchFailed(f"{type(error).__name__} from {where}") from None
        try:
            document = json.loads(body)
        except ValueError:
            raise _FetchFailed(f"invalid JSON from {where}") from None
        if not isinstance(document, dict):
            raise _FetchFailed(f"JSON from {where} is not an object")
        return document


def _origin(url: str) -> str:
    """Scheme, host and path of a URL for log lines (no query string)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _parse_jwk(entry: object) -> SigningKey | None:
    """An RS256 signing key from one JWK, or None for keys we must not or cannot use."""
    if not isinstance(entry, dict):
        return None
    kid = entry.get("kid")
    if not isinstance(kid, str) or not kid or entry.get("kty") != "RSA":
        return None
    if entry.get("use", "sig") != "sig" or entry.get("alg", ALGORITHM) != ALGORITHM:
        return None
    endorsements = entry.get("endorsements") or []
    if not isinstance(endorsements, list) or not all(isinstance(item, str) for item in endorsements):
        log.warning("ignoring signing key %s: malformed endorsements", kid)
        return None
    try:
        public_key = RSAAlgorithm.from_jwk(entry)
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        log.warning("ignoring signing key %s: not a valid RSA public key", kid)
        return None
    if not isinstance(public_key, RSAPublicKey):
        return None
    return SigningKey(kid=kid, public_key=public_key, endorsements=frozenset(endorsements))


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise AuthenticationFailed("missing Authorization header")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise AuthenticationFailed("Authorization is not a Bearer token")
    token = token.strip()
    if not token or " " in token:
        raise AuthenticationFailed("empty or malformed Bearer token")
    return token


def _timestamp(claims: Mapping[str, Any], name: str) -> float | None:
    """A NumericDate claim as a finite number; json.loads accepts NaN, which would defeat comparisons."""
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise AuthenticationFailed(f"token {name} claim is not a number")
    return float(value)


def unverified_kid(token: str) -> str:
    """Read kid and alg before verifying: they choose the key, and only RS256 may be used with it."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise AuthenticationFailed("malformed token") from None
    except Exception as error:  # PyJWT should wrap everything; a bad token must still be a 401
        log.warning("unexpected %s reading a token header", type(error).__name__)
        raise AuthenticationFailed("malformed token") from None
    if header.get("alg") != ALGORITHM:
        raise AuthenticationFailed("token algorithm not allowed")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise AuthenticationFailed("token has no key id")
    return kid


def check_times(claims: Mapping[str, Any], now: float, leeway: float) -> None:
    """exp (required) and nbf against our own clock, with the leeway for clock skew."""
    expires = _timestamp(claims, "exp")
    if expires is None:
        raise AuthenticationFailed("token has no exp claim")
    if now > expires + leeway:
        raise AuthenticationFailed("token expired")
    not_before = _timestamp(claims, "nbf")
    if not_before is not None and now < not_before - leeway:
        raise AuthenticationFailed("token not yet valid")


def normalise_service_url(url: str) -> str:
    """Compare service URLs as the channel means them: case-insensitive scheme and host, no trailing slash."""
    parts = urlsplit(url.strip())
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, parts.fragment)
    )


class BotAuthenticator:
    """Checks that an activity really comes from the Bot Framework channel, for this bot, for this serviceUrl."""

    def __init__(
        self,
        settings: Settings,
        session: aiohttp.ClientSession,
        keys: OpenIdKeys | None = None,
        clock: Clock = utc_now,
        *,
        leeway: timedelta = CLOCK_LEEWAY,
    ) -> None:
        self._app_id = settings.app_id
        self._issuer = settings.token_issuer
        self._keys = keys if keys is not None else OpenIdKeys(settings, session)
        self._clock = clock
        self._leeway = leeway.total_seconds()

    async def authenticate(
        self, authorization: str | None, *, service_url: str, channel_id: str | None
    ) -> dict[str, Any]:
        """The token's claims if valid; AuthenticationFailed (401) or SigningKeysUnavailable (503) if not."""
        token = bearer_token(authorization)
        kid = unverified_kid(token)
        key = await self._keys.signing_key(kid)
        if key is None:
            raise AuthenticationFailed("token signed with an unknown key")
        if channel_id and key.endorsements and channel_id not in key.endorsements:
            raise AuthenticationFailed("signing key is not endorsed for this channel")
        claims = self._verified_claims(token, key)
        self._check_times(claims)
        self._check_service_url(claims, service_url)
        return claims

    def _verified_claims(self, token: str, key: SigningKey) -> dict[str, Any]:
        """Signature, issuer and audience via PyJWT; times are checked against our own clock afterwards."""
        return verified_claims(
            token, key.public_key, audience=self._app_id, issuer=self._issuer, require=("iss", "aud", "exp")
        )

    def _check_times(self, claims: Mapping[str, Any]) -> None:
        check_times(claims, self._clock().timestamp(), self._leeway)

    @staticmethod
    def _check_service_url(claims: Mapping[str, Any], service_url: str) -> None:
        """The token names the serviceUrl it was issued for; a replay to another URL must not pass."""
        claimed = claims.get("serviceurl", claims.get("serviceUrl"))
        if not isinstance(claimed, str) or not claimed:
            raise AuthenticationFailed("token has no serviceurl claim")
        try:
            same = bool(service_url) and normalise_service_url(claimed) == normalise_service_url(service_url)
        except ValueError:  # urlsplit refuses some malformed URLs, e.g. an unclosed IPv6 bracket
            same = False
        if not same:
            raise AuthenticationFailed("token serviceurl does not match the activity")


def verified_claims(
    token: str, public_key: Any, *, audience: str, issuer: str | None, require: tuple[str, ...]
) -> dict[str, Any]:
    """A token's claims once PyJWT has checked its signature, audience, issuer (unless None) and `require`d
    claims; times are left to `check_times` and our own clock. Every failure is an AuthenticationFailed."""
    try:
        return jwt.decode(
            token,
            public_key,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            options={
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_iss": issuer is not None,
                "strict_aud": True,
                "require": list(require),
            },
        )
    except jwt.InvalidSignatureError:
        raise AuthenticationFailed("bad token signature") from None
    except jwt.InvalidAudienceError:
        raise AuthenticationFailed("token is for another audience") from None
    except jwt.InvalidIssuerError:
        raise AuthenticationFailed("token from an unexpected issuer") from None
    except jwt.MissingRequiredClaimError as error:
        raise AuthenticationFailed(f"token has no {error.claim} claim") from None
    except jwt.PyJWTError:
        raise AuthenticationFailed("invalid token") from None
    except Exception as error:  # PyJWT should wrap everything; a bad token must still be a 401
        log.warning("unexpected %s verifying a token", type(error).__name__)
        raise AuthenticationFailed("invalid token") from None
