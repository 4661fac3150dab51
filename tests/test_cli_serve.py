"""Start-up: an app id without its secret refuses to start and says what to set; local mode says so loudly."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.cli import main
from commissioning.clock import FrozenClock
from tests.conftest import Harness
from tests.connector_standin import ConnectorStandIn

APP_ID = "6f1c2b8e-3d4a-4e5f-9a7b-0c1d2e3f4a5b"
SECRET_NAMES = ("MicrosoftAppPassword", "MICROSOFT_APP_PASSWORD")
NO_SECRET = (
    "steward: Steward's configuration is not valid (environment or .env):\n"
    "  settings: MicrosoftAppId is set but MicrosoftAppPassword is not: set MicrosoftAppPassword to the "
    "client secret of the bot's app registration, or unset MicrosoftAppId to run in local mode\n"
)


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in (*SECRET_NAMES, "MicrosoftAppId", "MICROSOFT_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_an_app_id_without_a_secret_refuses_to_start_and_names_the_setting(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MicrosoftAppId", APP_ID)

    code = main(["serve", "--port", "3999"])

    captured = capsys.readouterr()
    assert code == 1
    assert captured.err == NO_SECRET
    assert "Traceback" not in captured.err + captured.out


def test_the_same_check_applies_to_a_dot_env_file(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (clean_env / ".env").write_text(f"MicrosoftAppId={APP_ID}\n", encoding="utf-8")

    code = main(["serve"])

    assert code == 1
    assert capsys.readouterr().err == NO_SECRET


async def test_local_mode_warns_loudly_at_start(
    database_url: str, clock: FrozenClock, connector: ConnectorStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        harness = await Harness(database_url, clock, connector).start()
    try:
        warnings = [r for r in caplog.records if r.name == "bot.app" and r.levelno == logging.WARNING]
        assert [r.getMessage() for r in warnings] == [
            "LOCAL MODE: no MicrosoftAppId is set, so no Bot Framework token is checked or sent. "
            "Only loopback service URLs are served (Emulator, console chat, tests)."
        ]
        assert harness.client is not None
        health = await (await harness.client.get("/healthz")).json()
        assert health["mode"] == "local"
    finally:
        await harness.close()


async def test_local_mode_refuses_a_service_url_off_this_machine(harness: Harness) -> None:
    """Without an app id nothing is authenticated, so the bot must not post its replies anywhere but here."""
    priya = harness.user("priya")
    priya.service_url = "https://smba.trafficmanager.net/uk/"

    status, body = await priya.say("help")

    assert (status, body) == (
        401,
        {"error": "without MicrosoftAppId only loopback service URLs are accepted"},
    )
    assert harness.connector.calls == []
