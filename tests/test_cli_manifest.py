"""`steward manifest`: writes the Teams app zip with the help card's commands; it opens back and validates."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import jsonschema
import pytest

from bot.app import build_dispatch
from bot.cli import main
from manifest.package import commands_from_help
from tests.test_manifest import SCHEMAS

APP_ID = "6f1c2b0e-4a7d-4c3e-9b21-5d8e7f0a1c23"


def test_manifest_command_writes_a_zip_that_opens_back_and_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dist" / "steward.zip"

    code = main(["manifest", "--app-id", APP_ID, "--domain", "steward.example.org", "--out", str(out)])

    assert code == 0
    expected = commands_from_help(build_dispatch().help)
    assert capsys.readouterr().out == (
        f"Wrote {out} ({len(expected)} commands). "
        "Upload it in Teams: Apps > Manage your apps > Upload an app.\n"
    )
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
    schema = json.loads((SCHEMAS / "teams-manifest-1.30.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft7Validator(schema).iter_errors(manifest)) == []
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == ["steward.example.org"]
    assert manifest["version"] == "1.0.0"
    for command_list in manifest["bots"][0]["commandLists"]:
        assert [(c["title"], c["description"]) for c in command_list["commands"]] == expected


def test_the_commands_are_the_help_cards(tmp_path: Path) -> None:
    out = tmp_path / "steward.zip"

    assert main(["manifest", "--app-id", APP_ID, "--out", str(out)]) == 0

    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    titles = [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert titles[:2] == ["help", "submit return"]
    assert all(len(title) <= 32 for title in titles) and len(titles) <= 10
    assert manifest["validDomains"] == []


def test_a_bad_app_id_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["manifest", "--app-id", "my-bot", "--out", str(tmp_path / "x.zip")])

    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("steward: app_id must be the bot's Microsoft App ID, a GUID")
    assert "Traceback" not in err
    assert not (tmp_path / "x.zip").exists()


def test_a_domain_with_a_scheme_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["manifest", "--app-id", APP_ID, "--domain", "https://steward.example.org"])

    assert code == 1
    assert "domain must be a bare host name" in capsys.readouterr().err
