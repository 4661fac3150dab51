"""Download links: signed for one file and one person, refused once tampered with or expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.settings import Settings
from commissioning.download_links import DownloadLinks, LinkRefused

NOW = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
LINKS = DownloadLinks("https://steward.example", b"k" * 32)


def test_a_link_carries_the_file_the_person_and_its_expiry() -> None:
    grant = LINKS.grant(7, "xlsx", 42, NOW)

    url = LINKS.url(grant)

    assert url.startswith("https://steward.example/downloads/v1.7.xlsx.42.")
    assert LINKS.check(url.rsplit("/", 1)[1], NOW + timedelta(minutes=14, seconds=59)) == grant
    assert grant.expires == NOW + timedelta(minutes=15) and grant.filename == "evaluation-7.xlsx"


def test_an_expired_link_is_refused_as_expired() -> None:
    token = LINKS.token(LINKS.grant(7, "csv", 42, NOW))

    with pytest.raises(LinkRefused) as refused:
        LINKS.check(token, NOW + timedelta(minutes=15))

    assert refused.value.expired


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace("v1.7.", "v1.8.", 1),  # another evaluation
        lambda t: t.replace(".xlsx.", ".csv.", 1),  # another format
        lambda t: t.replace(".42.", ".43.", 1),  # another person
        lambda t: t.replace(".1793", ".1893", 1),  # a later expiry
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # another signature
        lambda t: t + "x",
        lambda t: t.replace("v1.", "v2.", 1),
        lambda t: "",
        lambda t: "../../etc/passwd",
    ],
)
def test_a_tampered_token_is_refused_and_not_as_expired(change: object) -> None:
    token = LINKS.token(LINKS.grant(7, "xlsx", 42, NOW))
    tampered = change(token)  # type: ignore[operator]
    assert tampered != token

    with pytest.raises(LinkRefused) as refused:
        LINKS.check(tampered, NOW)

    assert not refused.value.expired


def test_another_key_does_not_honour_the_link() -> None:
    token = LINKS.token(LINKS.grant(7, "xlsx", 42, NOW))

    with pytest.raises(LinkRefused):
        DownloadLinks("https://steward.example", b"o" * 32).check(token, NOW)


def test_the_key_is_never_in_the_repr() -> None:
    assert "kkkk" not in repr(LINKS)


def test_settings_give_the_url_key_and_lifetime() -> None:
    local = Settings(_env_file=None, PORT=4000, DOWNLOAD_LINK_MINUTES=5)  # type: ignore[call-arg]
    assert local.download_links().base_url == "http://127.0.0.1:4000"
    assert local.download_links().lifetime == timedelta(minutes=5)
    assert local.download_links().key == Settings(_env_file=None).download_links().key  # one per process

    deployed = Settings(
        _env_file=None,
        MicrosoftAppId="7e0b2d34-0000-4000-8000-000000000001",
        MicrosoftAppPassword="secret",
        PUBLIC_URL="https://steward.example/bot/",
    )  # type: ignore[call-arg]
    links = deployed.download_links()
    assert links.base_url == "https://steward.example/bot"
    assert links.key != b"secret" and len(links.key) == 32  # derived from the app secret, not the secret
    assert links.key == deployed.model_copy().download_links().key  # every instance derives the same key
    unreachable = Settings(
        _env_file=None, MicrosoftAppId="7e0b2d34-0000-4000-8000-000000000001", MicrosoftAppPassword="s"
    )  # type: ignore[call-arg]
    assert not unreachable.download_links().enabled  # no PUBLIC_URL outside local mode: no links
    keyed = Settings(_env_file=None, DOWNLOAD_KEY="z" * 32)  # type: ignore[call-arg]
    assert keyed.download_links().key == b"z" * 32


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("PUBLIC_URL", "http://steward.example", "must use https"),
        ("PUBLIC_URL", "ftp://steward.example", "http(s) URL"),
        ("PUBLIC_URL", "https://steward.example/?a=1", "no query"),
        ("PUBLIC_URL", "https://me:pw@steward.example", "user name"),
        ("DOWNLOAD_KEY", "short", "at least 32 characters"),
        ("DOWNLOAD_LINK_MINUTES", "0", "greater than or equal to 1"),
    ],
)
def test_bad_download_settings_stop_start_up(setting: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings(_env_file=None, **{setting: value})  # type: ignore[arg-type]
