"""Inbound token validation and the outbound bot token, against loopback stand-ins for the Microsoft endpoints."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import socket
import ssl
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import jwt
import pytest
import trustme
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.auth import (
    AuthenticationFailed,
    BotAuthenticator,
    OpenIdKeys,
    SigningKeysUnavailable,
    normalise_service_url,
)
from bot.settings import Settings
from connector.token import BotTokenProvider, TokenUnavailable, client_ssl_context

APP_ID = "6f1c2b8e-3d4a-4e5f-9a7b-0c1d2e3f4a5b"
SECRET = "s3cr3t-value-never-logged"
ISSUER = "https://api.botframework.com"
KID = "test-kid-1"
SERVICE_URL = "https://smba.trafficmanager.net/uk/"
NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)

# ---------------------------------------------------------------- keys and tokens


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey, kid: str, **extra: Any) -> dict[str, Any]:
    """The JWK a Bot Framework JWKS would publish for this key (kty, use, kid, n, e, maybe endorsements)."""
    jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {**jwk, "kid": kid, "use": "sig", **extra}


def claims(**overrides: Any) -> dict[str, Any]:
    """Claims as the Bot Framework channel sends them, valid at NOW; None removes a claim."""
    base: dict[str, Any] = {
        "serviceurl": SERVICE_URL,
        "nbf": int((NOW - timedelta(minutes=1)).timestamp()),
        "exp": int((NOW + timedelta(minutes=59)).timestamp()),
        "iss": ISSUER,
        "aud": APP_ID,
    }
    base.update(overrides)
    return {name: value for name, value in base.items() if value is not None}


def mint(key: rsa.RSAPrivateKey, kid: str | None = KID, **overrides: Any) -> str:
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(claims(**overrides), key, algorithm="RS256", headers=headers)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_with_public_key(key: rsa.RSAPrivateKey) -> str:
    """The classic key-confusion forgery: HS256 keyed with the public key's PEM bytes."""
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = (
        b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": KID}).encode())
        + "."
        + b64url(json.dumps(claims()).encode())
    )
    signature = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


class FakeMonotonic:
    """A monotonic clock the test moves by hand, for cache ages, rate limits and backoff."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeClock:
    """A wall clock the test moves by hand, for token exp/nbf and the outbound token's expiry."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


# ---------------------------------------------------------------- loopback stand-ins


async def serve(app: web.Application, ssl_context: ssl.SSLContext | None = None) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
    await site.start()
    return runner, runner.addresses[0][1]


class KeyStandIn:
    """OpenID metadata and JWKS on 127.0.0.1, counting requests; `status` other than 200 simulates an outage."""

    def __init__(self, keys: list[dict[str, Any]]) -> None:
        self.keys = keys
        self.status = 200
        self.hits = {"openid": 0, "keys": 0}
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/openid", self._openid)
        app.router.add_get("/keys", self._jwks)
        self._runner, self.port = await serve(app)

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/openid"

    async def _openid(self, request: web.Request) -> web.Response:
        self.hits["openid"] += 1
        if self.status != 200:
            return web.Response(status=self.status, text="unavailable")
        return web.json_response(
            {
                "issuer": ISSUER,
                "jwks_uri": f"http://127.0.0.1:{self.port}/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _jwks(self, request: web.Request) -> web.Response:
        self.hits["keys"] += 1
        return web.json_response({"keys": self.keys})


class BlackHole:
    """Accepts TCP connections on 127.0.0.1 and never answers, like a firewalled endpoint."""

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self._release = asyncio.Event()
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._hold, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        await self._release.wait()

    async def close(self) -> None:
        self._release.set()
        for writer in self._writers:
            writer.close()
        if self._server is not None:
            self._server.close()
        await asyncio.sleep(0)


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings_for(openid_url: str, login_url: str = "https://127.0.0.1:9/token", **extra: Any) -> Settings:
    """Settings whose every Microsoft endpoint is loopback, so no test can reach the internet."""
    return Settings(
        _env_file=None,
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword=SECRET,
        ToBotFromChannelOpenIdMetadataUrl=openid_url,
        ToChannelFromBotLoginUrl=login_url,
        **extra,
    )


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=client_ssl_context())) as client:
        yield client


@pytest.fixture
async def stand_in(signing_key: rsa.RSAPrivateKey) -> AsyncIterator[KeyStandIn]:
    server = KeyStandIn([public_jwk(signing_key, KID, endorsements=["msteams", "webchat"])])
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def monotonic() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def keys(stand_in: KeyStandIn, session: aiohttp.ClientSession, monotonic: FakeMonotonic) -> OpenIdKeys:
    return OpenIdKeys(settings_for(stand_in.url), session, monotonic=monotonic)


@pytest.fixture
def authenticator(stand_in: KeyStandIn, session: aiohttp.ClientSession, keys: OpenIdKeys) -> BotAuthenticator:
    return BotAuthenticator(settings_for(stand_in.url), session, keys, clock=FakeClock())


async def check(
    authenticator: BotAuthenticator, token: str, channel_id: str | None = "msteams"
) -> dict[str, Any]:
    return await authenticator.authenticate(f"Bearer {token}", service_url=SERVICE_URL, channel_id=channel_id)


# ---------------------------------------------------------------- accepted tokens


async def test_valid_token_returns_claims(
    authenticator: BotAuthenticator, signing_key: rsa.RSAPrivateKey
) -> None:
    result = await check(authenticator, mint(signing_key))
    assert result["aud"] == APP_ID
    assert result["iss"] == ISSUER
    assert result["serviceurl"] == SERVICE_URL


@pytest.mark.parametrize(
    "activity_url",
    ["https://smba.trafficmanager.net/uk", "HTTPS://SMBA.TrafficManager.net/uk/"],
)
async def test_service_url_compared_without_trailing_slash_or_host_case(
    authenticator: BotAuthenticator, signing_key: rsa.RSAPrivateKey, activity_url: str
) -> None:
    token = mint(signing_key)
    result = await authenticator.authenticate(
        f"Bearer {token}", service_url=activity_url, channel_id="msteams"
    )
    assert result["aud"] == APP_ID


async def test_camel_case_service_url_claim_is_accepted(
    authenticator: BotAuthenticator, signing_key: rsa.RSAPrivateKey
) -> None:
    token = mint(signing_key, serviceurl=None, serviceUrl=SERVICE_URL)
    assert (await check(authenticator, token))["serviceUrl"] == SERVICE_URL


async def test_clock_skew_within_five_minutes_is_tolerated(
    authenticator: BotAuthenticator, signing_key: rsa.RSAPrivateKey
) -> None:
    recently_expired = mint(signing_key, exp=int((NOW - timedelta(minutes=4)).timestamp()))
    almost_valid = mint(signing_key, nbf=int((NOW + timedelta(minutes=4)).timestamp()))
    await check(authenticator, recently_expired)
    await check(authenticator, almost_valid)


async def test_bearer_scheme_is_case_insensitive(
    authenticator: BotAuthenticator, signing_key: rsa.RSAPrivateKey
) -> None:
    header = f"bearer {mint(signing_key)}"
    assert await authenticator.authenticate(header, service_url=SERVICE_URL, channel_id="msteams")


# ---------------------------------------------------------------- rejected tokens


def _bad_headers(key: rsa.RSAPrivateKey, other: rsa.RSAPrivateKey) -> list[tuple[str, str | None, str]]:
    """(case id, Authorization header, expected reason fragment) for every kind of bad token."""

    def before(minutes: int) -> int:
        return int((NOW - timedelta(minutes=minutes)).timestamp())

    unsigned = jwt.encode(claims(), None, algorithm="none", headers={"kid": KID})
    return [
        ("missing header", None, "missing"),
        ("empty header", "", "missing"),
        ("basic scheme", "Basic dXNlcjpwYXNz", "not a Bearer"),
        ("bearer without token", "Bearer ", "empty"),
        ("not a jwt", "Bearer abc.def", "malformed"),
        ("garbage", "Bearer !!!!", "malformed"),
        ("expired", f"Bearer {mint(key, exp=before(10))}", "expired"),
        ("not yet valid", f"Bearer {mint(key, nbf=before(-10))}", "not yet valid"),
        ("wrong audience", f"Bearer {mint(key, aud='11111111-2222-3333-4444-555555555555')}", "audience"),
        ("audience list", f"Bearer {mint(key, aud=[APP_ID, 'other'])}", "audience"),
        ("no audience", f"Bearer {mint(key, aud=None)}", "aud"),
        ("wrong issuer", f"Bearer {mint(key, iss='https://sts.windows.net/evil/')}", "issuer"),
        ("no exp", f"Bearer {mint(key, exp=None)}", "exp"),
        ("exp not a number", f"Bearer {mint(key, exp='tomorrow')}", "exp"),
        ("exp is NaN", f"Bearer {mint(key, exp=float('nan'))}", "exp"),
        ("unknown kid", f"Bearer {mint(key, kid='forged-kid')}", "unknown key"),
        ("no kid", f"Bearer {mint(key, kid=None)}", "key id"),
        ("other key, known kid", f"Bearer {mint(other)}", "signature"),
        ("alg none", f"Bearer {unsigned}", "algorithm"),
        ("hs256 with public key", f"Bearer {hs256_with_public_key(key)}", "algorithm"),
        ("other service url", f"Bearer {mint(key, serviceurl='https://attacker.example/')}", "serviceurl"),
        ("no service url", f"Bearer {mint(key, serviceurl=None)}", "serviceurl"),
        ("service url not a string", f"Bearer {mint(key, serviceurl=['x'])}", "serviceurl"),
    ]


BAD_CASES = [
    "missing header",
    "empty header",
    "basic scheme",
    "bearer without token",
    "not a jwt",
    "garbage",
    "expired",
    "not yet valid",
    "wrong audience",
    "audience list",
    "no audience",
    "wrong issuer",
    "no exp",
    "exp not a number",
    "exp is NaN",
    "unknown kid",
    "no kid",
    "other key, known kid",
    "alg none",
    "hs256 with public key",
    "other service url",
    "no service url",
    "service url not a string",
]


@pytest.mark.parametrize("case", BAD_CASES)
async def test_bad_token_is_authentication_failed(
    authenticator: BotAuthenticator,
    signing_key: rsa.RSAPrivateKey,
    other_key: rsa.RSAPrivateKey,
    case: str,
) -> None:
    cases = {name: (header, reason) for name, header, reason in _bad_headers(signing_key, other_key)}
    assert sorted(cases) == sorted(BAD_CASES)
    header, reason = cases[case]
    with pytest.raises(AuthenticationFailed) as failure:
        await authenticator.authenticate(header, service_url=SERVICE_URL, channel_id="msteams")
    assert reason in failure.value.reason
    if header:
        token = header.partition(" ")[2]
        for part in filter(None, token.split(".")):
            assert part not in str(failure.value)


async def test_empty_activity_service_url_is_refused(
    authenticator: BotAuthenticator, signing_key: rsa.RSAPrivateKey
) -> None:
    with pytest.raises(AuthenticationFailed, match="serviceurl"):
        await authenticator.authenticate(f"Bearer {mint(signing_key)}", service_url="", channel_id="msteams")


def test_service_url_normalisation() -> None:
    assert normalise_service_url("HTTPS://Example.COM/Path/") == "https://example.com/Path"
    assert normalise_service_url("https://example.com/a") != normalise_service_url("https://example.com/A")


# ---------------------------------------------------------------- endorsements and unusable keys


async def test_key_endorsements_are_enforced(
    authenticator: BotAuthenticator, signing_key: rsa.RSAPrivateKey
) -> None:
    token = mint(signing_key)
    await check(authenticator, token, channel_id="msteams")
    await check(authenticator, token, channel_id=None)
    with pytest.raises(AuthenticationFailed, match="endorsed"):
        await check(authenticator, token, channel_id="skype")


async def test_unusable_jwks_entries_are_ignored(
    session: aiohttp.ClientSession, signing_key: rsa.RSAPrivateKey, other_key: rsa.RSAPrivateKey
) -> None:
    server = KeyStandIn(
        [
            {"kty": "oct", "kid": "symmetric", "k": "c2VjcmV0"},
            public_jwk(other_key, "encryption-key", use="enc"),
            public_jwk(other_key, "ps256-key", alg="PS256"),
            public_jwk(other_key, "bad-endorsements", endorsements="msteams"),
            {"kty": "RSA", "kid": "broken", "n": "not base64!", "e": "AQAB"},
            public_jwk(signing_key, KID),
        ]
    )
    await server.start()
    try:
        keys = OpenIdKeys(settings_for(server.url), session, monotonic=FakeMonotonic())
        assert await keys.signing_key(KID) is not None
        for kid in ("symmetric", "encryption-key", "ps256-key", "bad-endorsements", "broken"):
            assert await keys.signing_key(kid) is None
    finally:
        await server.close()


async def test_jwks_without_usable_keys_is_unavailable(
    session: aiohttp.ClientSession, other_key: rsa.RSAPrivateKey
) -> None:
    server = KeyStandIn([public_jwk(other_key, "encryption-key", use="enc")])
    await server.start()
    try:
        keys = OpenIdKeys(settings_for(server.url), session, monotonic=FakeMonotonic())
        with pytest.raises(SigningKeysUnavailable):
            await keys.signing_key(KID)
    finally:
        await server.close()


# ---------------------------------------------------------------- fetching, caching, backoff


async def test_keys_fetched_once_for_many_validations(
    authenticator: BotAuthenticator, stand_in: KeyStandIn, signing_key: rsa.RSAPrivateKey
) -> None:
    token = mint(signing_key)
    await asyncio.gather(*(check(authenticator, token) for _ in range(20)))
    for _ in range(5):
        await check(authenticator, token)
    assert stand_in.hits == {"openid": 1, "keys": 1}


async def test_keys_refreshed_after_a_day(
    authenticator: BotAuthenticator,
    stand_in: KeyStandIn,
    monotonic: FakeMonotonic,
    signing_key: rsa.RSAPrivateKey,
) -> None:
    token = mint(signing_key)
    await check(authenticator, token)
    monotonic.advance(23 * 3600)
    await check(authenticator, token)
    assert stand_in.hits["openid"] == 1
    monotonic.advance(3600)
    await check(authenticator, token)
    assert stand_in.hits == {"openid": 2, "keys": 2}


async def test_failed_refresh_keeps_cached_keys(
    authenticator: BotAuthenticator,
    stand_in: KeyStandIn,
    monotonic: FakeMonotonic,
    signing_key: rsa.RSAPrivateKey,
) -> None:
    token = mint(signing_key)
    await check(authenticator, token)
    stand_in.status = 500
    monotonic.advance(25 * 3600)
    await check(authenticator, token)  # refresh fails, the cached key still verifies
    await check(authenticator, token)  # backing off: no second attempt
    assert stand_in.hits["openid"] == 2


async def test_unknown_kid_refreshes_at_most_once_per_window(
    authenticator: BotAuthenticator,
    stand_in: KeyStandIn,
    monotonic: FakeMonotonic,
    signing_key: rsa.RSAPrivateKey,
) -> None:
    await check(authenticator, mint(signing_key))
    forged = mint(signing_key, kid="forged-kid")
    for _ in range(5):  # within 5 minutes of the first fetch: no refresh at all
        with pytest.raises(AuthenticationFailed):
            await check(authenticator, forged)
    assert stand_in.hits["openid"] == 1

    monotonic.advance(5 * 60 + 1)
    results = await asyncio.gather(*(check(authenticator, forged) for _ in range(10)), return_exceptions=True)
    assert all(isinstance(result, AuthenticationFailed) for result in results)
    assert stand_in.hits == {"openid": 2, "keys": 2}


async def test_unknown_kid_finds_a_rotated_key(
    authenticator: BotAuthenticator,
    stand_in: KeyStandIn,
    monotonic: FakeMonotonic,
    other_key: rsa.RSAPrivateKey,
) -> None:
    with pytest.raises(AuthenticationFailed):
        await check(authenticator, mint(other_key, kid="test-kid-2"))
    stand_in.keys.append(public_jwk(other_key, "test-kid-2"))
    monotonic.advance(5 * 60 + 1)
    result = await check(authenticator, mint(other_key, kid="test-kid-2"))
    assert result["aud"] == APP_ID
    assert stand_in.hits["openid"] == 2


async def test_unreachable_keys_give_signing_keys_unavailable(
    session: aiohttp.ClientSession, signing_key: rsa.RSAPrivateKey
) -> None:
    settings = settings_for(f"http://127.0.0.1:{closed_port()}/openid")
    authenticator = BotAuthenticator(settings, session, clock=FakeClock())
    for _ in range(3):  # the first attempt fails, the rest are refused at once while backing off
        with pytest.raises(SigningKeysUnavailable):
            await check(authenticator, mint(signing_key))


async def test_silent_endpoint_times_out_as_unavailable(
    session: aiohttp.ClientSession, signing_key: rsa.RSAPrivateKey
) -> None:
    hole = BlackHole()
    await hole.start()
    try:
        settings = settings_for(f"http://127.0.0.1:{hole.port}/openid")
        keys = OpenIdKeys(settings, session, timeout=0.2)
        authenticator = BotAuthenticator(settings, session, keys, clock=FakeClock())
        with pytest.raises(SigningKeysUnavailable):
            await check(authenticator, mint(signing_key))
    finally:
        await hole.close()


async def test_backoff_after_failure_doubles(
    authenticator: BotAuthenticator,
    stand_in: KeyStandIn,
    monotonic: FakeMonotonic,
    signing_key: rsa.RSAPrivateKey,
) -> None:
    stand_in.status = 503
    token = mint(signing_key)
    with pytest.raises(SigningKeysUnavailable):
        await check(authenticator, token)
    monotonic.advance(29)
    with pytest.raises(SigningKeysUnavailable):
        await check(authenticator, token)
    assert stand_in.hits["openid"] == 1  # still backing off: no request

    monotonic.advance(2)  # 31 s after the first failure
    with pytest.raises(SigningKeysUnavailable):
        await check(authenticator, token)
    assert stand_in.hits["openid"] == 2

    stand_in.status = 200
    monotonic.advance(59)  # second failure backs off 60 s
    with pytest.raises(SigningKeysUnavailable):
        await check(authenticator, token)
    assert stand_in.hits["openid"] == 2
    monotonic.advance(2)
    assert (await check(authenticator, token))["aud"] == APP_ID
    assert stand_in.hits == {"openid": 3, "keys": 1}


# ---------------------------------------------------------------- outbound token over HTTPS


class TokenStandIn:
    """An AAD-like token endpoint on https://127.0.0.1, recording the forms posted to it."""

    def __init__(self, ssl_context: ssl.SSLContext) -> None:
        self.ssl_context = ssl_context
        self.forms: list[dict[str, str]] = []
        self.status = 200
        self.reply: dict[str, Any] = {"access_token": "token-1", "expires_in": 3600, "token_type": "Bearer"}
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/tenant/oauth2/v2.0/token", self._token)
        self._runner, self.port = await serve(app, self.ssl_context)

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/tenant/oauth2/v2.0/token"

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.forms.append({name: str(value) for name, value in form.items()})
        await asyncio.sleep(0.01)  # let concurrent callers pile up behind the one fetch
        if self.status != 200:
            return web.json_response(
                {
                    "error": "invalid_client",
                    "error_description": "AADSTS7000215: Invalid client secret provided.",
                },
                status=self.status,
            )
        return web.json_response({**self.reply, "access_token": f"token-{len(self.forms)}"})


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def trusted_ca(ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    monkeypatch.setenv("SSL_CERT_FILE", str(pem))
    return ca


@pytest.fixture
async def token_endpoint(ca: trustme.CA) -> AsyncIterator[TokenStandIn]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = TokenStandIn(context)
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def tls_session(trusted_ca: trustme.CA) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=client_ssl_context())) as client:
        yield client


def provider_for(
    endpoint: TokenStandIn, session: aiohttp.ClientSession, clock: FakeClock
) -> BotTokenProvider:
    settings = settings_for("http://127.0.0.1:9/openid", login_url=endpoint.url)
    return BotTokenProvider(settings, session, clock=clock)


async def test_token_fetched_once_and_form_is_client_credentials(
    token_endpoint: TokenStandIn, tls_session: aiohttp.ClientSession
) -> None:
    provider = provider_for(token_endpoint, tls_session, FakeClock())
    tokens = await asyncio.gather(*(provider.token() for _ in range(10)))
    tokens += [await provider.token() for _ in range(3)]
    assert set(tokens) == {"token-1"}
    assert token_endpoint.forms == [
        {
            "grant_type": "client_credentials",
            "client_id": APP_ID,
            "client_secret": SECRET,
            "scope": "https://api.botframework.com/.default",
        }
    ]


async def test_token_refetched_five_minutes_before_expiry(
    token_endpoint: TokenStandIn, tls_session: aiohttp.ClientSession
) -> None:
    clock = FakeClock()
    provider = provider_for(token_endpoint, tls_session, clock)
    assert await provider.token() == "token-1"
    clock.advance(timedelta(seconds=3600 - 300 - 1))
    assert await provider.token() == "token-1"
    clock.advance(timedelta(seconds=2))
    assert await provider.token() == "token-2"
    assert await provider.token() == "token-2"
    assert len(token_endpoint.forms) == 2
    provider.invalidate()
    assert await provider.token() == "token-3"


async def test_refused_token_is_token_unavailable_without_the_secret(
    token_endpoint: TokenStandIn, tls_session: aiohttp.ClientSession
) -> None:
    token_endpoint.status = 401
    provider = provider_for(token_endpoint, tls_session, FakeClock())
    with pytest.raises(TokenUnavailable) as failure:
        await provider.token()
    assert "401" in str(failure.value)
    assert "invalid_client" in str(failure.value)
    assert SECRET not in str(failure.value)

    token_endpoint.status = 200  # a failure is not cached: the next call tries again
    assert await provider.token() == "token-2"


async def test_malformed_token_reply_is_token_unavailable(
    token_endpoint: TokenStandIn, tls_session: aiohttp.ClientSession
) -> None:
    token_endpoint.reply = {"token_type": "Bearer", "expires_in": "soon"}
    provider = provider_for(token_endpoint, tls_session, FakeClock())
    with pytest.raises(TokenUnavailable, match="expires_in"):
        await provider.token()


async def test_unreachable_token_endpoint_is_token_unavailable(tls_session: aiohttp.ClientSession) -> None:
    settings = settings_for("http://127.0.0.1:9/openid", login_url=f"https://127.0.0.1:{closed_port()}/token")
    with pytest.raises(TokenUnavailable, match="unreachable"):
        await BotTokenProvider(settings, tls_session).token()


async def test_untrusted_certificate_is_refused(
    token_endpoint: TokenStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=client_ssl_context())) as client:
        with pytest.raises(TokenUnavailable, match="unreachable"):
            await provider_for(token_endpoint, client, FakeClock()).token()
    assert token_endpoint.forms == []


def test_bad_ssl_cert_file_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(RuntimeError, match="SSL_CERT_FILE"):
        client_ssl_context()


async def test_local_mode_has_no_token(session: aiohttp.ClientSession) -> None:
    settings = Settings(
        _env_file=None, MicrosoftAppId="", ToChannelFromBotLoginUrl="https://127.0.0.1:9/token"
    )
    with pytest.raises(TokenUnavailable, match="local mode"):
        await BotTokenProvider(settings, session).token()


async def test_managed_identity_is_refused_at_start_up(session: aiohttp.ClientSession) -> None:
    settings = Settings(_env_file=None, MicrosoftAppId=APP_ID, MicrosoftAppType="UserAssignedMSI")
    with pytest.raises(ValueError, match="UserAssignedMSI"):
        BotTokenProvider(settings, session)
