"""The real app with Bot Framework authentication on: loopback key server, HTTPS token endpoint, signed tokens.

Nothing here switches validation off: the app's own BotAuthenticator checks every token against keys it
fetches from the key stand-in, and its BotTokenProvider fetches its outbound token from the token stand-in
over TLS that is trusted only through SSL_CERT_FILE (a CA made by trustme for the test). The stand-ins are
tests/test_auth.py's, which unit-tests the same code.
"""

from __future__ import annotations

import functools
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import trustme
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, inspect, select, table

from storage.engine import Database
from tests.teams import TeamsUser
from tests.test_auth import KeyStandIn, TokenStandIn, public_jwk

APP_ID = "6f1c2b8e-3d4a-4e5f-9a7b-0c1d2e3f4a5b"
SECRET = "client-secret-never-logged"
ISSUER = "https://api.botframework.com"
KID = "loopback-kid-1"
OTHER_TENANT = "99999999-8888-4777-8666-555544443333"


@functools.cache
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def claims(service_url: str, **overrides: Any) -> dict[str, Any]:
    """Claims as the Bot Framework channel sends them, valid now (the app checks times on its own clock);
    None removes a claim."""
    now = datetime.now(UTC)
    base: dict[str, Any] = {
        "serviceurl": service_url,
        "nbf": int((now - timedelta(minutes=1)).timestamp()),
        "exp": int((now + timedelta(minutes=59)).timestamp()),
        "iss": ISSUER,
        "aud": APP_ID,
    }
    base.update(overrides)
    return {name: value for name, value in base.items() if value is not None}


def mint(
    service_url: str, *, key: rsa.RSAPrivateKey | None = None, kid: str | None = KID, **overrides: Any
) -> str:
    """An RS256 token signed with the loopback key (or `key`), carrying `kid` in its header."""
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(
        claims(service_url, **overrides), key or signing_key(), algorithm="RS256", headers=headers
    )


def unsigned(service_url: str) -> str:
    """`alg: none`: a token with valid claims and no signature at all."""
    return jwt.encode(claims(service_url), None, algorithm="none", headers={"kid": KID})


async def key_server() -> KeyStandIn:
    """OpenID metadata and a JWKS holding the loopback signing key, on 127.0.0.1."""
    server = KeyStandIn([public_jwk(signing_key(), KID, endorsements=["msteams", "emulator"])])
    await server.start()
    return server


async def token_server(ca: trustme.CA) -> TokenStandIn:
    """The client-credentials endpoint on https://127.0.0.1, with a certificate from the test's own CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = TokenStandIn(context)
    await server.start()
    return server


@dataclass
class SignedUser(TeamsUser):
    """A TeamsUser whose every POST carries `authorization` (a valid token unless a test says otherwise)."""

    authorization: str | None = None

    def sign(self, **overrides: Any) -> SignedUser:
        """Use a freshly minted valid token (claims overridable) from now on."""
        self.authorization = f"Bearer {mint(self.service_url, **overrides)}"
        return self

    async def post(self, activity: dict[str, Any]) -> tuple[int, Any]:
        headers = {"Authorization": self.authorization} if self.authorization is not None else {}
        response = await self.client.post("/api/messages", json=activity, headers=headers)
        body = await response.json() if response.content_type == "application/json" else await response.text()
        return response.status, body


def signed_user(user: TeamsUser) -> SignedUser:
    """The same person and chat as `user`, signing requests with a valid token."""
    return SignedUser(
        client=user.client,
        service_url=user.service_url,
        name=user.name,
        aad_object_id=user.aad_object_id,
        user_id=user.user_id,
        conversation_id=user.conversation_id,
        tenant_id=user.tenant_id,
    ).sign()


async def row_counts(database: Database) -> dict[str, int]:
    """Rows in every table the migrations made: compared before and after a request, proves it wrote nothing."""
    async with database.engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        counts = {}
        for name in sorted(names):
            if name == "alembic_version":
                continue
            counts[name] = (
                await connection.execute(select(func.count()).select_from(table(name)))
            ).scalar_one()
    return counts
