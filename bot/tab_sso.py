"""The Teams tab's single sign-on: Microsoft identity platform tokens checked through bot/auth.py's keys.

The page asks Teams for a token (`microsoftTeams.authentication.getAuthToken`) and sends it as a Bearer
token. It is checked like the bot's own tokens, by the same code: RS256 only, a signing key from the
configured OpenID metadata (cached, refreshed sparingly), signature, audience (the tab's application ID
URI), times on our clock; then the issuer must be one of TAB_TOKEN_ISSUERS for the token's own tenant, and
that tenant must be allowed (ALLOWED_TENANTS).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp

from bot.auth import (
    CLOCK_LEEWAY,
    AuthenticationFailed,
    Clock,
    OpenIdKeys,
    SigningKeysUnavailable,
    bearer_token,
    check_times,
    unverified_kid,
    utc_now,
    verified_claims,
)
from bot.settings import Settings
from tab.identity import SignedIn, SignInRefused, SignInUnavailable

log = logging.getLogger(__name__)
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class TabTokens:
    """Checks the tab's SSO tokens; `verify` is what the tab calls with a request's Authorization header."""

    def __init__(
        self,
        settings: Settings,
        session: aiohttp.ClientSession,
        keys: OpenIdKeys | None = None,
        clock: Clock = utc_now,
        *,
        leeway: timedelta = CLOCK_LEEWAY,
    ) -> None:
        self._audience = settings.tab_audience
        self._issuers = tuple(settings.tab_token_issuers)
        self._tenants = frozenset(settings.allowed_tenants)
        self._keys = keys or OpenIdKeys(settings, session, metadata_url=settings.tab_openid_metadata_url)
        self._clock = clock
        self._leeway = leeway.total_seconds()

    async def verify(self, authorization: str | None) -> SignedIn:
        """Who the token names; SignInRefused (401) or SignInUnavailable (503) when it cannot be trusted."""
        try:
            return await self._verify(authorization)
        except AuthenticationFailed as error:
            log.info("tab sign-in refused: %s", error.reason)
            raise SignInRefused(error.reason) from None
        except SigningKeysUnavailable as error:
            raise SignInUnavailable(str(error)) from None

    async def _verify(self, authorization: str | None) -> SignedIn:
        if not self._audience:
            raise AuthenticationFailed("the tab has no application ID URI (set TAB_APP_ID_URI or PUBLIC_URL)")
        token = bearer_token(authorization)
        key = await self._keys.signing_key(unverified_kid(token))
        if key is None:
            raise AuthenticationFailed("token signed with an unknown key")
        claims = self._verified_claims(token, key.public_key)
        check_times(claims, self._clock().timestamp(), self._leeway)
        tenant = self._tenant(claims)
        object_id = claims.get("oid")
        if not isinstance(object_id, str) or not object_id:
            raise AuthenticationFailed("token has no oid claim")
        login = claims.get("preferred_username", claims.get("upn", ""))
        expires = datetime.fromtimestamp(float(claims["exp"]), UTC)
        return SignedIn(tenant, object_id, login if isinstance(login, str) else "", expires)

    def _verified_claims(self, token: str, public_key: Any) -> dict[str, Any]:
        """Signature and audience via PyJWT; the issuer depends on the tenant, so it is checked after."""
        return verified_claims(
            token,
            public_key,
            audience=self._audience,
            issuer=None,
            require=("iss", "aud", "exp", "tid", "oid"),
        )

    def _tenant(self, claims: Mapping[str, Any]) -> str:
        tenant = claims.get("tid")
        if not isinstance(tenant, str) or not _GUID.match(tenant):
            raise AuthenticationFailed("token tid is not a tenant id")
        if claims.get("iss") not in {issuer.format(tenant=tenant) for issuer in self._issuers}:
            raise AuthenticationFailed("token from an unexpected issuer")
        if self._tenants and tenant not in self._tenants:
            raise AuthenticationFailed("token from a tenant that is not allowed")
        return tenant
