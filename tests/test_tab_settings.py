"""The tab's settings fail fast: a bad origin, audience or issuer stops start-up with a message naming it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import Settings

APP = {"MicrosoftAppId": "6f1c2b8e-3d4a-4e5f-9a7b-0c1d2e3f4a5b", "MicrosoftAppPassword": "secret"}


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_the_audience_defaults_to_the_public_hosts_application_id_uri() -> None:
    found = settings(**APP, PUBLIC_URL="https://steward.example.org")
    assert found.tab_audience == "api://steward.example.org/6f1c2b8e-3d4a-4e5f-9a7b-0c1d2e3f4a5b"


def test_an_explicit_application_id_uri_wins() -> None:
    found = settings(
        **APP, PUBLIC_URL="https://steward.example.org", TAB_APP_ID_URI="api://tab.example.org/x"
    )
    assert found.tab_audience == "api://tab.example.org/x"


def test_without_a_public_host_there_is_no_audience_so_no_token_passes() -> None:
    assert settings(**APP).tab_audience == ""


def test_frame_ancestors_are_configurable_and_lower_cased() -> None:
    found = settings(TAB_FRAME_ANCESTORS="https://Teams.Microsoft.com, https://*.example.org")
    assert found.tab_frame_ancestors == ["https://teams.microsoft.com", "https://*.example.org"]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TAB_FRAME_ANCESTORS", "https://teams.microsoft.com/path", "is not an origin"),
        ("TAB_FRAME_ANCESTORS", "*", "is not an origin"),
        ("TAB_FRAME_ANCESTORS", "http://teams.microsoft.com", "is not an origin"),
        ("TAB_APP_ID_URI", "https://steward.example.org", "must look like api://"),
        ("TAB_TOKEN_ISSUERS", "http://login.example.org/{tenant}", "must be an https URL"),
        ("TAB_TOKEN_ISSUERS", "https://login.example.org/{tid}", "{tenant} its only field"),
        ("TAB_OPENID_METADATA_URL", "http://login.example.org/keys", "must use https"),
        ("TAB_SESSION_MINUTES", "0", "greater than or equal to 1"),
    ],
)
def test_a_bad_tab_setting_stops_start_up_naming_it(name: str, value: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        settings(**{name: value})
    assert name in str(raised.value) or name.lower() in str(raised.value)
    assert message in str(raised.value)
