"""Bot Framework authentication through HTTP: the real app, real validation, loopback Microsoft endpoints.

Every bad token is a 401 with nothing processed and nothing sent; unreachable signing keys are a quick 503;
the bot's own outbound token comes from an HTTPS endpoint trusted through SSL_CERT_FILE, fetched once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import trustme
from sqlalchemy import select

from commissioning.clock import FrozenClock
from storage.models import MonthlyReturn, Person
from tests.authharness import (
    APP_ID,
    OTHER_TENANT,
    SECRET,
    SignedUser,
    mint,
    other_key,
    row_counts,
    signed_user,
    unsigned,
)
from tests.authharness import (
    key_server as start_key_server,
)
from tests.authharness import (
    token_server as start_token_server,
)
from tests.conftest import START, Harness
from tests.connector_standin import ConnectorStandIn
from tests.teams import TENANT, card_texts
from tests.test_auth import KeyStandIn, TokenStandIn, closed_port
from tests.test_monthly_return_journey import ivws_id

IVWS_RETURN = {
    "month": "2026-10",
    "pi_PI1": "2710",
    "pi_PI2": "93.5",
    "pi_PI3": "88",
    "pi_PI4": "162",
    "pi_PI5": "431",
    "pi_PI6": "84",
    "pi_PI7": "yes",
    "narrative": "A steady month; contact times recovered after staffing.",
}


@pytest.fixture
def ca(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    """A CA of the test's own, trusted by the app only because SSL_CERT_FILE names it."""
    authority = trustme.CA()
    pem = tmp_path / "loopback-ca.pem"
    authority.cert_pem.write_to_path(str(pem))
    monkeypatch.setenv("SSL_CERT_FILE", str(pem))
    return authority


@pytest.fixture
async def key_server() -> AsyncIterator[KeyStandIn]:
    server = await start_key_server()
    yield server
    await server.close()


@pytest.fixture
async def token_server(ca: trustme.CA) -> AsyncIterator[TokenStandIn]:
    server = await start_token_server(ca)
    yield server
    await server.close()


def auth_settings(openid_url: str, login_url: str) -> dict[str, Any]:
    return {
        "MicrosoftAppId": APP_ID,
        "MicrosoftAppPassword": SECRET,
        "ToBotFromChannelOpenIdMetadataUrl": openid_url,
        "ToChannelFromBotLoginUrl": login_url,
        "ALLOWED_TENANTS": TENANT,
    }


@pytest.fixture
async def app(
    database_url: str,
    clock: FrozenClock,
    connector: ConnectorStandIn,
    key_server: KeyStandIn,
    token_server: TokenStandIn,
) -> AsyncIterator[Harness]:
    running = await Harness(
        database_url, clock, connector, **auth_settings(key_server.url, token_server.url)
    ).start()
    yield running
    await running.close()


def user(harness: Harness, name: str) -> SignedUser:
    return signed_user(harness.user(name))


# -- accepted ------------------------------------------------------------------------------------------------


async def test_a_valid_token_is_served_and_the_reply_carries_the_bots_own_token(
    app: Harness, token_server: TokenStandIn
) -> None:
    priya = user(app, "priya")

    status, _ = await priya.say("help")

    assert status == 200
    [reply] = app.connector.sent(priya.conversation_id)
    assert card_texts(reply.card)[0] == "Good morning, Priya"
    assert reply.headers["Authorization"] == "Bearer token-1"


async def test_the_bot_token_is_fetched_once_across_turns_as_client_credentials(
    app: Harness, token_server: TokenStandIn
) -> None:
    priya, daniel = user(app, "priya"), user(app, "daniel")

    await priya.install()
    await priya.say("help")
    await daniel.install()
    await daniel.say("hello")

    assert len(app.connector.sent()) == 4
    assert {call.headers["Authorization"] for call in app.connector.sent()} == {"Bearer token-1"}
    assert token_server.forms == [
        {
            "grant_type": "client_credentials",
            "client_id": APP_ID,
            "client_secret": SECRET,
            "scope": "https://api.botframework.com/.default",
        }
    ]


async def test_signing_keys_are_fetched_once_across_turns(app: Harness, key_server: KeyStandIn) -> None:
    priya = user(app, "priya")

    for _ in range(3):
        status, _ = await priya.say("help")
        assert status == 200

    assert key_server.hits == {"openid": 1, "keys": 1}


async def test_a_signed_button_press_is_acted_on(app: Harness) -> None:
    priya = user(app, "priya")

    body = await priya.press("return.submit", {"contract_id": await ivws_id(app), **IVWS_RETURN})

    assert body["statusCode"] == 200
    assert card_texts(body["value"])[0] == "Return received: October 2026"


async def test_with_an_app_id_health_reports_bot_framework_mode_and_start_up_no_local_mode(
    app: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    assert app.client is not None
    response = await app.client.get("/healthz")

    assert await response.json() == {"status": "ok", "database": "ok", "mode": "bot-framework"}
    assert not any("LOCAL MODE" in r.getMessage() for r in caplog.get_records("setup"))


# -- refused: 401, nothing processed, nothing sent -----------------------------------------------------------


def _ago(minutes: int) -> int:
    return int((datetime.now(UTC) - timedelta(minutes=minutes)).timestamp())


BAD_AUTHORIZATION: dict[str, Callable[[str], str | None]] = {
    "no Authorization header": lambda url: None,
    "Basic scheme": lambda url: "Basic c3Rld2FyZDpwYXNzd29yZA==",
    "Bearer with no token": lambda url: "Bearer ",
    "not a JWT": lambda url: "Bearer abc.def",
    "expired": lambda url: f"Bearer {mint(url, exp=_ago(10), nbf=_ago(70))}",
    "not yet valid": lambda url: f"Bearer {mint(url, nbf=_ago(-10))}",
    "wrong audience": lambda url: f"Bearer {mint(url, aud='11111111-2222-4333-8444-555555555555')}",
    "wrong issuer": lambda url: f"Bearer {mint(url, iss='https://sts.windows.net/attacker/')}",
    "unknown key id": lambda url: f"Bearer {mint(url, kid='forged-kid')}",
    "known key id, another key": lambda url: f"Bearer {mint(url, key=other_key())}",
    "alg none": lambda url: f"Bearer {unsigned(url)}",
    "serviceurl claim for another URL": lambda url: (
        f"Bearer {mint(url, serviceurl='https://attacker.example/')}"
    ),
    "no serviceurl claim": lambda url: f"Bearer {mint(url, serviceurl=None)}",
}


@dataclass
class Shared:
    app: Harness
    token_server: TokenStandIn


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Shared]:
    """One authenticated app for the table of bad tokens: none of them may change it anyway."""
    folder = tmp_path_factory.mktemp("auth")
    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(folder / "ca.pem"))
    connector = await ConnectorStandIn().start()
    keys, tokens = await start_key_server(), await start_token_server(authority)
    saved = os.environ.get("SSL_CERT_FILE")
    os.environ["SSL_CERT_FILE"] = str(folder / "ca.pem")  # read once, when the app starts
    try:
        app = await Harness(
            f"sqlite:///{folder / 'steward.db'}",
            FrozenClock(START),
            connector,
            **auth_settings(keys.url, tokens.url),
        ).start()
    finally:
        if saved is None:
            os.environ.pop("SSL_CERT_FILE")
        else:
            os.environ["SSL_CERT_FILE"] = saved
    yield Shared(app, tokens)
    await app.close()
    for server in (keys, tokens, connector):
        await server.close()


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("case", list(BAD_AUTHORIZATION))
async def test_a_bad_token_is_401_with_nothing_processed_and_nothing_sent(
    shared: Shared, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    app, token_server = shared.app, shared.token_server
    app.connector.clear()
    priya = user(app, "priya")
    priya.authorization = BAD_AUTHORIZATION[case](priya.service_url)
    before = await row_counts(app.steward.database)
    contract_id = await ivws_id(app)

    with caplog.at_level(logging.INFO):
        typed = await priya.say("submit return")
        pressed = await priya.post(
            priya.envelope(
                "invoke",
                name="adaptiveCard/action",
                value={
                    "action": {
                        "type": "Action.Execute",
                        "verb": "return.submit",
                        "data": {"verb": "return.submit", "contract_id": contract_id, **IVWS_RETURN},
                    }
                },
            )
        )
    await app.settle()

    assert typed == (401, {"error": "authentication failed"})
    assert pressed == (401, {"error": "authentication failed"})
    assert app.connector.calls == []
    assert token_server.forms == []
    assert await row_counts(app.steward.database) == before
    refusals = [r for r in caplog.records if r.name == "bot.messages" and r.levelno == logging.WARNING]
    assert len(refusals) == 2, "one log line per refused request"
    assert all(r.getMessage().startswith("refused an unauthenticated activity") for r in refusals)
    token = (priya.authorization or "").partition(" ")[2]
    assert not any(token and token in r.getMessage() for r in caplog.records)
    assert not any(r.exc_info for r in caplog.records)


async def test_a_token_replayed_against_another_service_url_is_refused(app: Harness) -> None:
    """A real token lifted from one activity cannot make the bot send its credentials somewhere else."""
    priya = user(app, "priya")
    priya.sign()  # signed for the stand-in's URL
    priya.service_url = "http://127.0.0.1:9/elsewhere/"

    status, body = await priya.say("help")

    assert (status, body) == (401, {"error": "authentication failed"})
    assert app.connector.calls == []


# -- signing keys unavailable: a quick 503 -------------------------------------------------------------------


@pytest.mark.parametrize("outage", ["closed port", "HTTP 500"])
async def test_unavailable_signing_keys_give_503_and_process_nothing(
    database_url: str,
    clock: FrozenClock,
    connector: ConnectorStandIn,
    key_server: KeyStandIn,
    token_server: TokenStandIn,
    caplog: pytest.LogCaptureFixture,
    outage: str,
) -> None:
    if outage == "closed port":
        openid = f"http://127.0.0.1:{closed_port()}/openid"
    else:
        key_server.status, openid = 500, key_server.url
    harness = await Harness(database_url, clock, connector, **auth_settings(openid, token_server.url)).start()
    try:
        priya = user(harness, "priya")
        before = await row_counts(harness.steward.database)

        first = await priya.say("help")
        second = await priya.say("help")  # backing off: answered without another fetch

        unavailable = (503, {"error": "token signing keys are unavailable; try again shortly"})
        assert first == unavailable
        assert second == unavailable
        assert connector.calls == []
        assert await row_counts(harness.steward.database) == before
        assert key_server.hits["openid"] == (1 if outage == "HTTP 500" else 0)
        assert not any(r.exc_info for r in caplog.records)
    finally:
        await harness.close()


# -- tenant allow-list ---------------------------------------------------------------------------------------


def stranger_tenant(harness: Harness, name: str = "priya") -> SignedUser:
    """A real person's chat, but delivered from a tenant that is not on the allow-list."""
    visitor = user(harness, name)
    visitor.tenant_id = OTHER_TENANT
    return visitor


async def test_another_tenants_message_gets_a_polite_refusal_and_nothing_is_stored(
    app: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    visitor = stranger_tenant(app)
    before = await row_counts(app.steward.database)

    with caplog.at_level(logging.WARNING):
        status, _ = await visitor.say("submit return")
    await app.settle()

    assert status == 200
    [reply] = app.connector.sent(visitor.conversation_id)
    assert card_texts(reply.card) == [
        "Steward isn't available here",
        "This organisation is not set up to use Steward. If you think it should be, ask your Teams "
        "administrator to contact the team that runs Steward.",
    ]
    assert await row_counts(app.steward.database) == before
    async with app.steward.database.session() as session:
        priya = (await session.execute(select(Person).where(Person.email.startswith("priya")))).scalar_one()
    assert (priya.teams_user_id, priya.tenant_id) == (None, None), "no identity link for another tenant"
    assert [r.getMessage() for r in caplog.records if r.name == "bot.messages"] == [
        f"refused an activity from tenant {OTHER_TENANT}, which is not on the allow-list"
    ]


async def test_another_tenants_button_press_is_refused_in_the_card_and_changes_nothing(app: Harness) -> None:
    visitor = stranger_tenant(app)
    before = await row_counts(app.steward.database)

    body = await visitor.press("return.submit", {"contract_id": await ivws_id(app), **IVWS_RETURN})

    assert body["statusCode"] == 200
    assert card_texts(body["value"])[0] == "Steward isn't available here"
    assert app.connector.calls == []
    assert await row_counts(app.steward.database) == before
    async with app.steward.database.session() as session:
        assert (await session.execute(select(MonthlyReturn))).first() is None


async def test_another_tenant_installing_the_bot_is_told_and_nothing_is_stored(app: Harness) -> None:
    visitor = stranger_tenant(app)
    before = await row_counts(app.steward.database)

    status, _ = await visitor.install()

    assert status == 200
    [reply] = app.connector.sent(visitor.conversation_id)
    assert card_texts(reply.card)[0] == "Steward isn't available here"
    assert await row_counts(app.steward.database) == before


async def test_an_activity_without_a_tenant_is_refused_when_tenants_are_restricted(app: Harness) -> None:
    visitor = user(app, "priya")
    activity = visitor.envelope("message", text="help", channelData={})
    del activity["conversation"]["tenantId"]
    before = await row_counts(app.steward.database)

    status, _ = await visitor.post(activity)

    assert status == 200
    [reply] = app.connector.sent(visitor.conversation_id)
    assert card_texts(reply.card)[0] == "Steward isn't available here"
    assert await row_counts(app.steward.database) == before
