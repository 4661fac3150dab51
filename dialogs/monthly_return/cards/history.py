"""A return's version history under "View return": each version, who sent it and when, and a button to open it."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from dialogs.cards import container, execute, plain, subtle, text
from dialogs.common import short_date
from storage.models import Person, ReturnVersion

VERSIONS_SHOWN = 20  # the latest ones; a return is rarely amended more than a few times


def version_line(version: ReturnVersion, people: dict[int, Person], zone: ZoneInfo, current: int) -> str:
    """'Version 2: received 10:45 on 3 Nov 2026 by Lewis Grant (current)'."""
    local = version.received_at.astimezone(zone)
    sender = people.get(version.submitted_by_id)
    line = f"Version {version.version}: received {local:%H:%M} on {short_date(local.date())}"
    if sender is not None:
        line += f" by {plain(sender.name)}"
    return line + (" (current)" if version.version == current else "")


def history_section(
    return_id: int,
    versions: list[ReturnVersion],
    people: dict[int, Person],
    zone: ZoneInfo,
    *,
    shown: int,
    current: int,
) -> list[dict[str, Any]]:
    """The version history, newest first, with a button for each version other than the one shown."""
    if len(versions) < 2:
        return []
    latest = sorted(versions, key=lambda v: v.version, reverse=True)[:VERSIONS_SHOWN]
    items: list[dict[str, Any]] = [text("Version history", weight="Bolder")]
    if shown != current:
        items.append(
            text(f"You are viewing version {shown}; the current version is {current}.", color="Warning")
        )
    items.extend(subtle(version_line(v, people, zone, current)) for v in latest)
    buttons = [
        execute(f"Version {v.version}", "return.view", {"return_id": return_id, "version": v.version})
        for v in latest
        if v.version != shown
    ]
    items.append({"type": "ActionSet", "actions": buttons})
    return [container(items, spacing="Large")]
