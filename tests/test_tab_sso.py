"""The tab's Teams SSO over HTTP: tokens checked by bot/auth.py's key machinery against the loopback key
server, exactly as the bot's own; a valid one becomes a short-lived session cookie for the pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commissioning.clock import FrozenClock
from tests.authharness import OTHER_TENANT, mint, other_key
from tests.conftest import PEOPLE, Harness
from tests.connector_standin import ConnectorStandIn
from tests.tabpages import parse_strictly, words
from tests.teams import TENANT
from tests.test_auth import KeyStandIn, TokenStandIn
from tests.test_http_auth import auth_settings, ca, key_server, token_server  # noqa: F401  (fixtures)

APP_ID_URI = "api://steward.example.org/6f1c2b8e-3d4a-4e5f-9a7b-0c1d2e3f4a5b"
ISSUER = f"https://login.microsoftonline.com/{TENANT}/v2.0"


@pytest.fixture
async def app(
    database_url: str,
    clock: FrozenClock,
    connector: ConnectorStandIn,
    key_server: KeyStandIn,  # noqa: F811
    token_server: TokenStandIn,  # noqa: F811
) -> AsyncIterator[Harness]:
    settings = {
        **auth_settings(key_server.url, token_server.url),
        "TAB_OPENID_METADATA_URL": key_server.url,
        "TAB_APP_ID_URI": APP_ID_URI,
    }
    running = await Harness(database_url, clock, connector, **settings).start()
    yield running
    await running.close()


def token(first_name: str = "daniel", **overrides: Any) -> str:
    """A Teams SSO token for a demo person, as the Microsoft identity platform signs it (valid now)."""
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": APP_ID_URI,
        "tid": TENANT,
        "oid": PEOPLE[first_name][1],
        "preferred_username": f"{first_name}@example.org",
        "serviceurl": None,
        **overrides,
    }
    return mint("", **claims)


async def sign_in(app: Harness, bearer: str | None) -> tuple[int, dict[str, Any], str]:
    assert app.client is not None
    headers = {"Authorization": f"Bearer {bearer}"} if bearer is not None else {}
    response = await app.client.post("/tab/session", headers=headers)
    return response.status, await response.json(), response.headers.get("Set-Cookie", "")


async def page(app: Harness, url: str, **headers: str) -> tuple[int, str]:
    assert app.client is not None
    response = await app.client.get(url, headers=headers)
    return response.status, await response.text()


def cookie_of(set_cookie: str) -> str:
    return set_cookie.split(";", 1)[0]


async def test_a_valid_token_signs_in_with_a_short_lived_cookie_for_the_tab_only(app: Harness) -> None:
    status, body, set_cookie = await sign_in(app, token())
    assert status == 200
    assert body == {"name": "Daniel Reyes"}
    attributes = [part.strip() for part in set_cookie.split(";")][1:]
    assert attributes == ["Path=/tab/", "Max-Age=1800", "HttpOnly", "Secure", "SameSite=None", "Partitioned"]


async def test_the_cookie_shows_the_persons_portfolio_and_no_demo_banner(app: Harness) -> None:
    _, _, set_cookie = await sign_in(app, token())
    status, html = await page(app, "/tab/", Cookie=cookie_of(set_cookie))
    assert status == 200
    text = words(html)
    assert "Integrated Victims and Witnesses Service" in text
    assert "Community Resolution Service" not in text
    assert "Demo" not in text
    parse_strictly(html)


async def test_a_bearer_token_is_accepted_on_a_page_as_well(app: Harness) -> None:
    status, html = await page(app, "/tab/contracts/IVWS", Authorization=f"Bearer {token()}")
    assert status == 200
    assert "Monthly returns" in words(html)


async def test_a_signed_in_provider_asking_for_another_providers_contract_is_refused(app: Harness) -> None:
    status, html = await page(app, "/tab/contracts/IVWS", Authorization=f"Bearer {token('lewis')}")
    assert status == 403
    assert "Integrated Victims" not in html


async def test_without_a_sign_in_the_page_is_the_teams_sign_in_and_a_401(app: Harness) -> None:
    status, html = await page(app, "/tab/contracts/IVWS")
    assert status == 401
    assert 'data-page="signin"' in html
    assert '<script src="/tab/static/tab.js" defer></script>' in html  # it loads the Teams library
    assert "Integrated Victims" not in html
    parse_strictly(html)


@pytest.mark.parametrize(
    ("bearer", "why"),
    [
        (lambda: token(key=other_key()), "signed with another key"),
        (lambda: token(exp=int((datetime.now(UTC) - timedelta(hours=1)).timestamp())), "expired"),
        (lambda: token(aud="api://elsewhere.example.org/another-app"), "for another audience"),
        (lambda: token(aud="6f1c2b8e-3d4a-4e5f-9a7b-0c1d2e3f4a5b"), "the bot's audience, not the tab's"),
        (
            lambda: token(iss="https://api.botframework.com"),
            "from the Bot Framework, not the identity platform",
        ),
        (
            lambda: token(iss=f"https://login.microsoftonline.com/{OTHER_TENANT}/v2.0"),
            "issuer of another tenant",
        ),
        (
            lambda: token(tid=OTHER_TENANT, iss=f"https://sts.windows.net/{OTHER_TENANT}/"),
            "tenant not allowed",
        ),
        (lambda: token(oid=None), "no object id"),
        (lambda: "not-a-token", "not a token at all"),
        (lambda: None, "no token"),
    ],
)
async def test_a_token_that_cannot_be_trusted_is_a_401_and_no_cookie(
    app: Harness, bearer: Any, why: str
) -> None:
    status, body, set_cookie = await sign_in(app, bearer())
    assert status == 401, why
    assert body == {"error": "sign-in refused"}
    assert set_cookie == ""


async def test_a_version_1_token_from_the_allowed_tenant_is_accepted(app: Harness) -> None:
    status, _, _ = await sign_in(app, token(iss=f"https://sts.windows.net/{TENANT}/"))
    assert status == 200


async def test_an_invalid_token_on_a_page_is_a_401(app: Harness) -> None:
    status, html = await page(app, "/tab/", Authorization=f"Bearer {token(aud='api://other/x')}")
    assert status == 401
    assert "Your sign-in was refused" in words(html)


async def test_someone_not_in_the_portfolio_is_told_so(app: Harness) -> None:
    status, body, set_cookie = await sign_in(
        app, token(oid="00000000-0000-4000-8000-00000000abcd", preferred_username="stranger@example.org")
    )
    assert status == 403
    assert body == {"error": "you are not in Steward's portfolio"}
    assert set_cookie == ""


async def test_a_tampered_cookie_is_the_sign_in_again(app: Harness) -> None:
    _, _, set_cookie = await sign_in(app, token("lewis"))
    name, value = cookie_of(set_cookie).split("=", 1)
    person_id, rest = value.split(".", 1)
    forged = f"{name}={int(person_id) + 1}.{rest}"
    status, html = await page(app, "/tab/", Cookie=forged)
    assert status == 401
    assert 'data-page="signin"' in html


async def test_an_expired_cookie_is_the_sign_in_again(app: Harness) -> None:
    _, _, set_cookie = await sign_in(app, token())
    app.clock.advance(minutes=31)
    status, _ = await page(app, "/tab/", Cookie=cookie_of(set_cookie))
    assert status == 401


async def test_the_demo_person_is_not_on_offer_outside_local_mode(app: Harness) -> None:
    status, html = await page(app, "/tab/?as=daniel")
    assert status == 401
    assert "Daniel" not in html
