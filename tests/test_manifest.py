"""Checks the Teams app package against the vendored v1.30 schema and Teams' own icon and command rules."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from PIL import Image

from manifest import package
from manifest.package import build_app_zip, build_manifest, write_app_zip

SCHEMAS = Path(__file__).resolve().parent / "data" / "schemas"
MANIFEST_DIR = Path(package.__file__).resolve().parent
APP_ID = "6f1c2b0e-4a7d-4c3e-9b21-5d8e7f0a1c23"
DOMAIN = "steward.contracts.example.gov.uk"
COMMANDS = [
    ("help", "Show what Steward can do"),
    ("returns", "List the monthly returns waiting for you"),
    ("actions", "Show your open actions"),
]


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    """Draft 7 rather than the declared draft 4, so `const` and if/then are enforced.

    check_schema() is skipped on purpose: an ECMA-only `\\p{L}` pattern in the schema makes it
    fail, and that pattern is only reached by manifests with custom functions (README gotcha).
    """
    schema = json.loads((SCHEMAS / "teams-manifest-1.30.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def _errors(validator: jsonschema.protocols.Validator, doc: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


@pytest.mark.parametrize("domain", [DOMAIN, None])
def test_manifest_is_valid_against_the_schema(
    validator: jsonschema.protocols.Validator, domain: str | None
) -> None:
    manifest = build_manifest(APP_ID, domain=domain, commands=COMMANDS)
    assert _errors(validator, manifest) == []


def test_validator_does_enforce_manifest_version(validator: jsonschema.protocols.Validator) -> None:
    """Guards the test itself: a validator that ignores `const` would let anything through."""
    manifest = build_manifest(APP_ID, commands=COMMANDS)
    manifest["manifestVersion"] = "9.99"
    assert _errors(validator, manifest)


def test_manifest_identity_and_bot() -> None:
    manifest = build_manifest(APP_ID, domain=DOMAIN, commands=COMMANDS, version="1.2.3")
    assert manifest["$schema"] == (
        "https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json"
    )
    assert manifest["manifestVersion"] == "1.30"
    assert manifest["version"] == "1.2.3"
    assert manifest["id"] == APP_ID
    assert manifest["name"] == {"short": "Steward", "full": "Steward contract management"}
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team"}
    assert bot["supportsFiles"] is False
    assert bot["isNotificationOnly"] is False


def test_commands_are_listed_for_both_scopes() -> None:
    manifest = build_manifest(APP_ID, commands=COMMANDS)
    expected = [{"title": t, "description": d} for t, d in COMMANDS]
    by_scope = {
        scope: entry["commands"] for entry in manifest["bots"][0]["commandLists"] for scope in entry["scopes"]
    }
    assert by_scope == {"personal": expected, "team": expected}


def test_domain_feeds_links_and_valid_domains() -> None:
    manifest = build_manifest(APP_ID, domain=DOMAIN, commands=COMMANDS)
    developer = manifest["developer"]
    assert developer["name"] == "Steward"
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert developer[key].startswith(f"https://{DOMAIN}/")
    assert manifest["validDomains"] == [DOMAIN]


def test_the_tab_is_a_personal_tab_and_a_channel_tab_with_sso() -> None:
    manifest = build_manifest(APP_ID, domain=DOMAIN, commands=COMMANDS)
    assert manifest["staticTabs"] == [
        {
            "entityId": "portfolio",
            "name": "Contracts",
            "contentUrl": f"https://{DOMAIN}/tab/",
            "websiteUrl": f"https://{DOMAIN}/tab/",
            "scopes": ["personal"],
            "context": ["personalTab"],
        }
    ]
    assert manifest["configurableTabs"] == [
        {
            "configurationUrl": f"https://{DOMAIN}/tab/configure",
            "canUpdateConfiguration": True,
            "scopes": ["team"],
            "context": ["channelTab"],
        }
    ]
    assert manifest["webApplicationInfo"] == {"id": APP_ID, "resource": f"api://{DOMAIN}/{APP_ID}"}


def test_the_sso_resource_is_the_audience_steward_checks_by_default() -> None:
    from bot.settings import Settings

    settings = Settings(
        _env_file=None, MicrosoftAppId=APP_ID, MicrosoftAppPassword="x", PUBLIC_URL=f"https://{DOMAIN}"
    )  # type: ignore[call-arg]
    manifest = build_manifest(APP_ID, domain=DOMAIN, commands=COMMANDS)
    assert manifest["webApplicationInfo"]["resource"] == settings.tab_audience


def test_without_domain_links_are_local_https() -> None:
    manifest = build_manifest(APP_ID, commands=COMMANDS)
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert manifest["developer"][key].startswith("https://localhost/")
    assert manifest["validDomains"] == []


def test_build_returns_a_fresh_dict_each_time() -> None:
    first = build_manifest(APP_ID, commands=COMMANDS)
    first["bots"][0]["commandLists"][0]["commands"].clear()
    assert build_manifest(APP_ID, commands=COMMANDS)["bots"][0]["commandLists"][0]["commands"]


@pytest.mark.parametrize(
    "app_id", ["", "not-a-guid", APP_ID[:-1], APP_ID + "0", f"{{{APP_ID}}}", f" {APP_ID}", APP_ID + "\n"]
)
def test_bad_app_id_is_refused(app_id: str) -> None:
    with pytest.raises(ValueError, match="GUID"):
        build_manifest(app_id, commands=COMMANDS)


@pytest.mark.parametrize(
    "domain",
    [
        f"https://{DOMAIN}",
        f"http://{DOMAIN}",
        f"{DOMAIN}/",
        f"{DOMAIN}/bot",
        f"{DOMAIN}:443",
        "",
        "bad_host.example.org",
        "-bad.example.org",
        "two..dots.org",
        "10.0.0.1",
        "*.example.org",
    ],
)
def test_bad_domain_is_refused(domain: str) -> None:
    with pytest.raises(ValueError, match="domain"):
        build_manifest(APP_ID, domain=domain, commands=COMMANDS)


def test_domain_is_lower_cased() -> None:
    manifest = build_manifest(APP_ID, domain="Steward.Example.ORG", commands=COMMANDS)
    assert manifest["validDomains"] == ["steward.example.org"]


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "1.0.0-beta", "01.0.0", ""])
def test_bad_version_is_refused(version: str) -> None:
    with pytest.raises(ValueError, match="version"):
        build_manifest(APP_ID, commands=COMMANDS, version=version)


def test_command_limits_are_enforced() -> None:
    longest_title, longest_description = "t" * 32, "d" * 128
    build_manifest(APP_ID, commands=[(longest_title, longest_description)])
    with pytest.raises(ValueError, match="title"):
        build_manifest(APP_ID, commands=[("t" * 33, "too long a title")])
    with pytest.raises(ValueError, match="description"):
        build_manifest(APP_ID, commands=[("help", "d" * 129)])
    ten = [(f"command{i}", f"does thing {i}") for i in range(10)]
    build_manifest(APP_ID, commands=ten)
    with pytest.raises(ValueError, match="at most 10"):
        build_manifest(APP_ID, commands=[*ten, ("eleventh", "one too many")])


@pytest.mark.parametrize(
    "commands",
    [[], [("", "no title")], [("help", "")], [("help", "once"), ("Help", "twice")]],
)
def test_degenerate_commands_are_refused(commands: list[tuple[str, str]]) -> None:
    with pytest.raises(ValueError):
        build_manifest(APP_ID, commands=commands)


def test_color_icon_is_192_and_opaque() -> None:
    with Image.open(MANIFEST_DIR / "color.png") as image:
        assert image.format == "PNG"
        assert image.size == (192, 192)
        rgba = image.convert("RGBA")
    assert rgba.getextrema()[3] == (255, 255)
    assert len(set(rgba.getdata())) > 2, "expected a drawn icon, not a flat square"


def test_outline_icon_is_32_white_on_transparent() -> None:
    with Image.open(MANIFEST_DIR / "outline.png") as image:
        assert image.format == "PNG"
        assert image.size == (32, 32)
        pixels = list(image.convert("RGBA").getdata())
    assert all(a == 0 or (r, g, b) == (255, 255, 255) for r, g, b, a in pixels)
    assert any(a == 0 for *_, a in pixels)
    assert any(a == 255 for *_, a in pixels)


def test_icons_regenerate_with_the_same_sizes_modes_and_transparency_rules(tmp_path: Path) -> None:
    """make_icons.py stays the source of the committed PNGs. Pillow's resampling differs slightly between
    versions, so the check is what Teams cares about (size, mode, opaque colour, white-on-transparent
    outline), not the exact pixels."""
    from manifest import make_icons

    make_icons.main(tmp_path)
    for name in ("color.png", "outline.png"):
        with Image.open(tmp_path / name) as fresh, Image.open(MANIFEST_DIR / name) as committed:
            assert (fresh.size, fresh.mode) == (committed.size, committed.mode)
    with Image.open(tmp_path / "color.png") as color:
        assert color.convert("RGBA").getextrema()[3] == (255, 255)
    with Image.open(tmp_path / "outline.png") as outline:
        pixels = list(outline.convert("RGBA").getdata())
    assert all(a == 0 or (r, g, b) == (255, 255, 255) for r, g, b, a in pixels)
    assert {0, 255} <= {a for *_, a in pixels}


def test_app_zip_round_trips(tmp_path: Path) -> None:
    data = build_app_zip(APP_ID, domain=DOMAIN, commands=COMMANDS, version="2.0.1")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json").decode("utf-8"))
        color, outline = archive.read("color.png"), archive.read("outline.png")
    assert manifest == build_manifest(APP_ID, domain=DOMAIN, commands=COMMANDS, version="2.0.1")
    assert color == (MANIFEST_DIR / "color.png").read_bytes()
    assert outline == (MANIFEST_DIR / "outline.png").read_bytes()

    written = write_app_zip(
        tmp_path / "out" / "steward.zip", APP_ID, domain=DOMAIN, commands=COMMANDS, version="2.0.1"
    )
    assert written.read_bytes() == data, "same inputs must give the same bytes"


def test_app_zip_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="GUID"):
        build_app_zip("nope", commands=COMMANDS)


def test_commands_from_help_keep_order_and_teams_limits() -> None:
    long_title = "submit the quarterly outcome payment claim"  # 42 characters: Teams would cut it
    entries = [
        ("help", "Show what you can do with Steward"),
        (long_title, "Too long to type as a command"),
        ("Help", "A second help, differently cased"),
        ("notes", "  spaced \n  out   description "),
        ("", "no title"),
        ("blank", "   "),
        ("report", "d" * 200),
    ]

    assert package.commands_from_help(entries) == [
        ("help", "Show what you can do with Steward"),
        ("notes", "spaced out description"),
        ("report", "d" * 127 + "…"),
    ]


def test_commands_from_help_stop_at_ten() -> None:
    entries = [(f"command {i}", f"does thing {i}") for i in range(14)]

    assert package.commands_from_help(entries) == entries[:10]


def test_the_read_receipt_permission_is_asked_for_and_still_validates(
    validator: jsonschema.protocols.Validator,
) -> None:
    """Teams sends read receipts to a bot only with this resource-specific consent permission."""
    manifest = build_manifest(APP_ID, domain=DOMAIN, commands=COMMANDS)

    assert manifest["authorization"] == {
        "permissions": {
            "resourceSpecific": [{"name": "ChatMessageReadReceipt.Read.Chat", "type": "Application"}]
        }
    }
    assert manifest["webApplicationInfo"]["id"] == APP_ID  # RSC needs the app's id declared
    assert _errors(validator, manifest) == []
    manifest["authorization"]["permissions"]["resourceSpecific"][0]["type"] = "Whenever"
    assert _errors(validator, manifest)  # the schema does check the permission's shape
