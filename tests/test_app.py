"""Start-up, settings and health: the app is built by create_app(settings) and refuses bad configuration."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import ValidationError

from bot.cli import main
from bot.settings import Settings
from commissioning.clock import FrozenClock
from tests.conftest import START, Harness
from tests.connector_standin import ConnectorStandIn
from tests.teams import card_texts
from tests.test_monthly_return_journey import IVWS_GOOD, ivws_id


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"MicrosoftAppId": "7e0b2d34-0000-4000-8000-000000000001"},
            "MicrosoftAppId is set but MicrosoftAppPassword",
        ),
        ({"PORT": "99999"}, "less than or equal to 65535"),
        ({"TIMEZONE": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
        ({"ToBotFromChannelOpenIdMetadataUrl": "http://keys.example/openid"}, "must use https"),
        ({"LOG_LEVEL": "CHATTY"}, "LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR"),
        ({"CLOSE_OF_BUSINESS": "half five"}, "valid time"),
    ],
    ids=["app-id-without-secret", "port", "zone", "plain-http-keys", "log-level", "close-of-business"],
)
def test_bad_settings_stop_start_up_with_a_message_naming_them(
    overrides: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        Settings(_env_file=None, **overrides)  # type: ignore[arg-type]

    assert message in str(error.value)


def test_defaults_are_local_mode_on_sqlite_in_london() -> None:
    settings = Settings(_env_file=None)

    assert (settings.local_mode, settings.database_url, settings.host, settings.port, settings.timezone) == (
        True,
        "sqlite:///steward.db",
        "127.0.0.1",
        3978,
        "Europe/London",
    )


def test_allowed_tenants_are_read_as_a_comma_separated_list() -> None:
    assert Settings(_env_file=None, ALLOWED_TENANTS="a, b,,c").allowed_tenants == ["a", "b", "c"]


def test_the_command_line_explains_bad_configuration_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MicrosoftAppId", "7e0b2d34-0000-4000-8000-000000000001")

    assert main(["serve"]) == 1

    err = capsys.readouterr().err
    assert "MicrosoftAppId is set but MicrosoftAppPassword is not: set MicrosoftAppPassword" in err
    assert "Traceback" not in err


async def test_health_reports_the_database(harness: Harness) -> None:
    response = await harness.client.get("/healthz")  # type: ignore[union-attr]

    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok", "mode": "local"}


@pytest.fixture
async def postgres_harness(postgres_url: str, connector: ConnectorStandIn) -> AsyncIterator[Harness]:
    running = await Harness(postgres_url, FrozenClock(START), connector).start()
    yield running
    await running.close()


async def test_the_return_journey_works_on_postgresql(postgres_harness: Harness) -> None:
    priya, daniel = postgres_harness.user("priya"), postgres_harness.user("daniel")
    await daniel.install()
    contract = {"contract_id": await ivws_id(postgres_harness), "month": "2026-10"}

    await priya.press("return.save", {**contract, "pi_PI1": "2710", "narrative": "Half done"})
    await priya.press("return.submit", {**contract, **IVWS_GOOD})
    await priya.press("return.submit", {**contract, **IVWS_GOOD, "pi_PI2": "88", "based_on_version": 1})
    await postgres_harness.settle()

    assert card_texts(priya.card)[0] == "Amendment received: October 2026"
    titles = [card_texts(c.card)[0] for c in postgres_harness.connector.sent(daniel.conversation_id)]
    assert titles == ["Good morning, Daniel", "Monthly return: October 2026", "Amended return: October 2026"]
