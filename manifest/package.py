"""Builds the Teams app manifest and the app zip that is uploaded to Teams."""

from __future__ import annotations

import json
import re
import zipfile
from importlib import resources
from io import BytesIO
from pathlib import Path
from typing import Any

SCHEMA_URL = "https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json"
MANIFEST_VERSION = "1.30"
ACCENT_COLOR = "#0F6E6E"
COLOR_ICON = "color.png"
OUTLINE_ICON = "outline.png"
BOT_SCOPES = ("personal", "team")
# Resource-specific consent (app manifest 1.12 and later): the one permission Steward asks for. With it,
# Teams sends the bot a read-receipt event when someone reads its messages in their 1:1 chat with Steward
# (docs/reminders.md, "Read receipts"); it grants no access to any other data.
READ_RECEIPTS = "ChatMessageReadReceipt.Read.Chat"
# RSC wants webApplicationInfo with the app's id and a resource; the tab's SSO application ID URI serves
# (RSC uses no operation on it).

# Without a public host the package can only be side-loaded for local development, and the
# developer links must still be https URLs. https://localhost is plainly "no public site yet"
# rather than a made-up domain that someone might register, and Teams accepts it.
LOCAL_BASE_URL = "https://localhost"

# Teams limits for bot commands; the JSON schema is looser (128/4000/12), the Teams client is not.
MAX_COMMAND_TITLE = 32
MAX_COMMAND_DESCRIPTION = 128
MAX_COMMANDS = 10

SHORT_DESCRIPTION = "Contract management for commissioned public services, inside Teams."
FULL_DESCRIPTION = (
    "Steward runs the contract-management cycle of commissioned public services in Microsoft Teams. "
    "Providers submit their monthly returns through the bot and commissioners review them. Steward also "
    "keeps track of contract meetings, their actions and owners, and go/no-go evaluations. Each "
    "contract's notifications can go to the channel of the team that manages it. Its tab shows each person "
    "the contracts they work on: ratings, returns, meetings, actions, trends and payments."
)

_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_SEMVER = re.compile(r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)")

# Every zip entry gets the same timestamp so the same inputs always give the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _check_app_id(app_id: str) -> str:
    """Refuse anything but a GUID: Teams rejects the package otherwise, with a far vaguer message."""
    if not isinstance(app_id, str) or not _GUID.fullmatch(app_id):
        raise ValueError(
            f"app_id must be the bot's Microsoft App ID, a GUID like "
            f"00000000-0000-0000-0000-000000000000; got {app_id!r}"
        )
    return app_id


def _check_domain(domain: str) -> str:
    """Accept only a bare host name, since it is used both in validDomains and to build https URLs."""
    if not isinstance(domain, str) or not domain:
        raise ValueError(f"domain must be a non-empty host name; got {domain!r}")
    if "://" in domain or any(ch in domain for ch in "/?#@:"):
        raise ValueError(
            f"domain must be a bare host name such as steward.example.com, without scheme, port or path; "
            f"got {domain!r}"
        )
    host = domain.lower()
    labels = host.split(".")
    if len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise ValueError(f"domain {domain!r} is not a valid host name")
    if labels[-1].isdigit():
        raise ValueError(f"domain must be a host name, not an IP address; got {domain!r}")
    return host


def _check_version(version: str) -> str:
    """Teams wants MAJOR.MINOR.PATCH and refuses an update whose version has not gone up."""
    if not isinstance(version, str) or not _SEMVER.fullmatch(version):
        raise ValueError(f"version must be MAJOR.MINOR.PATCH, e.g. 1.0.0; got {version!r}")
    return version


def _check_commands(commands: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Enforce the Teams command limits here so a bad help card fails the build, not the upload."""
    if not commands:
        raise ValueError("commands must list at least one (title, description) pair")
    if len(commands) > MAX_COMMANDS:
        raise ValueError(f"Teams allows at most {MAX_COMMANDS} bot commands per scope; got {len(commands)}")
    seen: set[str] = set()
    result: list[dict[str, str]] = []
    for title, description in commands:
        if not title.strip():
            raise ValueError("a bot command title must not be empty")
        if len(title) > MAX_COMMAND_TITLE:
            raise ValueError(
                f"bot command title {title!r} is {len(title)} characters; Teams allows {MAX_COMMAND_TITLE}"
            )
        if not description.strip():
            raise ValueError(f"bot command {title!r} needs a description")
        if len(description) > MAX_COMMAND_DESCRIPTION:
            raise ValueError(
                f"description of bot command {title!r} is {len(description)} characters; "
                f"Teams allows {MAX_COMMAND_DESCRIPTION}"
            )
        if title.casefold() in seen:
            raise ValueError(f"bot command {title!r} is listed twice")
        seen.add(title.casefold())
        result.append({"title": title, "description": description})
    return result


def commands_from_help(help_entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The help card's (phrase, description) pairs as Teams bot commands, in order.

    Teams types a command's title into the compose box when it is picked, so a title is kept whole or
    not at all: longer than 32 characters, empty or repeated, it is skipped. Descriptions are shortened
    to 128 characters; the first 10 commands are kept.
    """
    chosen: list[tuple[str, str]] = []
    seen: set[str] = set()
    for title, description in help_entries:
        title, description = title.strip(), " ".join(description.split())
        if not title or not description or len(title) > MAX_COMMAND_TITLE or title.casefold() in seen:
            continue
        if len(description) > MAX_COMMAND_DESCRIPTION:
            description = description[: MAX_COMMAND_DESCRIPTION - 1] + "…"
        seen.add(title.casefold())
        chosen.append((title, description))
        if len(chosen) == MAX_COMMANDS:
            break
    return chosen


def build_manifest(
    app_id: str,
    *,
    domain: str | None = None,
    commands: list[tuple[str, str]],
    version: str = "1.0.0",
) -> dict[str, Any]:
    """Return the manifest.json content for this deployment.

    `domain` is the public host the bot is served from. When given, the developer links point at
    https://{domain}/, /privacy and /terms and the host is listed in validDomains. Without it the
    package is for local side-loading only: the links use https://localhost (the schema insists on
    http(s) URLs) and validDomains is empty. The one resource-specific permission is READ_RECEIPTS, so
    Teams tells Steward when a reminder was read.

    The tab (tab/, served under /tab/): a personal static tab with the person's portfolio, and a
    configurable tab for a team channel whose configuration page picks the contract. webApplicationInfo
    names the app registration and the application ID URI the tab's SSO tokens are for
    (api://{domain}/{app id}, the default audience Steward checks); the RSC permission needs it too. No
    Graph permission is asked for.
    """
    app_id = _check_app_id(app_id)
    host = _check_domain(domain) if domain is not None else None
    version = _check_version(version)
    command_items = _check_commands(commands)
    base_url = f"https://{host}" if host else LOCAL_BASE_URL

    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": "Steward",
            "websiteUrl": f"{base_url}/",
            "privacyUrl": f"{base_url}/privacy",
            "termsOfUseUrl": f"{base_url}/terms",
        },
        "name": {"short": "Steward", "full": "Steward contract management"},
        "description": {"short": SHORT_DESCRIPTION, "full": FULL_DESCRIPTION},
        "icons": {"color": COLOR_ICON, "outline": OUTLINE_ICON},
        "accentColor": ACCENT_COLOR,
        "bots": [
            {
                "botId": app_id,
                "scopes": list(BOT_SCOPES),
                "supportsFiles": False,
                "isNotificationOnly": False,
                # One list per scope, as Teams recommends, so the scopes can diverge later.
                "commandLists": [
                    {"scopes": [scope], "commands": [dict(item) for item in command_items]}
                    for scope in BOT_SCOPES
                ],
            }
        ],
        "staticTabs": [
            {
                "entityId": "portfolio",
                "name": "Contracts",
                "contentUrl": f"{base_url}/tab/",
                "websiteUrl": f"{base_url}/tab/",
                "scopes": ["personal"],
                "context": ["personalTab"],
            }
        ],
        "configurableTabs": [
            {
                "configurationUrl": f"{base_url}/tab/configure",
                "canUpdateConfiguration": True,
                "scopes": ["team"],
                "context": ["channelTab"],
            }
        ],
        "webApplicationInfo": {"id": app_id, "resource": f"api://{host or 'localhost'}/{app_id}"},
        "validDomains": [host] if host else [],
        "authorization": {
            "permissions": {"resourceSpecific": [{"name": READ_RECEIPTS, "type": "Application"}]}
        },
    }


def _icon_bytes(name: str) -> bytes:
    """Read an icon from the package data, so an installed wheel can build the zip too."""
    return resources.files(__package__).joinpath(name).read_bytes()


def build_app_zip(
    app_id: str,
    *,
    domain: str | None = None,
    commands: list[tuple[str, str]],
    version: str = "1.0.0",
) -> bytes:
    """Return the app package: manifest.json and both icons at the root, as Teams requires."""
    manifest = build_manifest(app_id, domain=domain, commands=commands, version=version)
    entries = {
        "manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"),
        COLOR_ICON: _icon_bytes(COLOR_ICON),
        OUTLINE_ICON: _icon_bytes(OUTLINE_ICON),
    }
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def write_app_zip(
    path: str | Path,
    app_id: str,
    *,
    domain: str | None = None,
    commands: list[tuple[str, str]],
    version: str = "1.0.0",
) -> Path:
    """Write the app package to `path` (parent folders created) and return the path written."""
    data = build_app_zip(app_id, domain=domain, commands=commands, version=version)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target
