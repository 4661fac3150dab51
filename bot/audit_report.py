"""`steward audit`: the audit trail as a readable table (who, what, when, before → after)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from storage.audit import AuditLog
from storage.engine import Database
from storage.models import AuditEvent
from storage.repositories import Repositories

HEADERS = ["when", "who", "contract", "action", "what", "change"]
LIMIT = 1000
VALUE_WIDTH = 40
CHANGE_WIDTH = 120
# Audit data holds what users typed: never let it move the cursor or recolour the administrator's terminal.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+")
_MISSING = object()


class UnknownContract(LookupError):
    """--contract named a key no contract has."""


def printable(value: str) -> str:
    return _UNPRINTABLE.sub(" ", value)


def clip(value: str, width: int) -> str:
    value = printable(value)
    return value if len(value) <= width else value[: width - 1] + "…"


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return f"{{{len(value)} fields}}"
    if isinstance(value, list):
        return f"[{len(value)} items]"
    if isinstance(value, str):
        return f'"{clip(value, VALUE_WIDTH)}"'
    return clip(json.dumps(value), VALUE_WIDTH)


def _pair(name: str, old: Any, new: Any) -> str:
    if old is _MISSING:
        return f"{name}={_value(new)}"
    if new is _MISSING:
        return f"{name} removed (was {_value(old)})"
    return f"{name}: {_value(old)} → {_value(new)}"


def change_summary(before: dict[str, Any], after: dict[str, Any]) -> str:
    """What changed, one level into nested objects: 'version: 1 → 2; values.PI2: 93.5 → 88'."""
    parts: list[str] = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key, _MISSING), after.get(key, _MISSING)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            for sub in dict.fromkeys([*old, *new]):
                if old.get(sub, _MISSING) != new.get(sub, _MISSING):
                    parts.append(_pair(f"{key}.{sub}", old.get(sub, _MISSING), new.get(sub, _MISSING)))
        else:
            parts.append(_pair(str(key), old, new))
    return clip("; ".join(parts), CHANGE_WIDTH) or "-"


async def audit_rows(
    database: Database, zone: ZoneInfo, *, contract_key: str | None = None, since: date | None = None
) -> tuple[list[list[str]], bool]:
    """Table rows, oldest first, and whether LIMIT cut the list short. `since` is a local date."""
    async with database.session() as session:
        repos = Repositories.on(session)
        contracts = {c.id: c.key for c in await repos.contracts.contracts()}
        contract_id = None
        if contract_key is not None:
            contract_id = next((cid for cid, key in contracts.items() if key == contract_key), None)
            if contract_id is None:
                raise UnknownContract(contract_key)
        start = datetime.combine(since, time(0), tzinfo=zone) if since is not None else None
        events: list[AuditEvent] = await AuditLog(session).events(
            contract_id=contract_id, since=start, limit=LIMIT + 1
        )
        people = {p.id: p.name for p in await repos.people.people()}
    rows = [
        [
            event.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            clip(people.get(event.actor_id, "?") if event.actor_id is not None else "Steward", 30),
            contracts.get(event.contract_id, "?") if event.contract_id is not None else "-",
            clip(event.action, 30),
            clip(f"{event.entity} {event.entity_id}".strip(), 40),
            change_summary(event.before or {}, event.after or {}),
        ]
        for event in events[:LIMIT]
    ]
    return rows, len(events) > LIMIT
