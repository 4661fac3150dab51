"""Several waiting items in one summary card, each with its line, its button and, for an escalation, who and what next."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dialogs.cards import card, container, execute, heading, plain, subtle, text


def summary_card(items: Sequence[tuple[str, dict[str, Any]]], *, note: str | None = None) -> dict[str, Any]:
    """Several waiting items in one message (after downtime, say): a line and an Open button each."""
    body: list[dict[str, Any]] = [
        heading(f"{len(items)} things from Steward"),
        subtle("Gathered into one message rather than one each."),
    ]
    if note:
        body.insert(1, text(note, color="Good", weight="Bolder"))
    keys = []
    entities: list[dict[str, Any]] = []
    for key, payload in items:
        meta = payload.get("reminder") if isinstance(payload.get("reminder"), dict) else None
        body.append(container(_summary_entry(payload, meta or {}, entities)))
        if meta is not None:
            keys.append(key)
    buttons = []
    if keys and note is None:
        buttons = [
            execute("Acknowledge all", "reminder.ack_all", {"keys": keys}),
            execute("Remind me tomorrow", "reminder.snooze_all", {"keys": keys}),
        ]
    extra = {"msteams": {"entities": entities}} if entities else {}
    return card(body, buttons, **extra)


def _summary_entry(
    payload: dict[str, Any], meta: dict[str, Any], entities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One item of a summary card: its line; for an escalation who is responsible and what happens next."""
    line = meta.get("line") or payload.get("summary") or "A message from Steward"
    entry: list[dict[str, Any]] = [text("• " + plain(line, 300), spacing="Medium")]
    if isinstance(meta.get("why"), str):  # sent to a stand-in: whose leave, until when (names already plain)
        entry.append(text(meta["why"], spacing="None", color="Accent"))
    if isinstance(meta.get("responsible"), str):
        entry.append(text(meta["responsible"], spacing="None"))  # names already made plain, with mentions
        for entity in meta.get("entities") or []:
            if isinstance(entity, dict) and all(e.get("text") != entity.get("text") for e in entities):
                entities.append(entity)
    for line in meta.get("opened") or []:  # whether the last reminder was opened (read receipts)
        if isinstance(line, str):
            entry.append(text(plain(line, 300), size="Small", spacing="None"))
    if isinstance(meta.get("next"), str):
        entry.append(text(meta["next"], size="Small", spacing="None"))
    open_button = meta.get("open")
    if isinstance(open_button, dict):
        entry.append({"type": "ActionSet", "actions": [open_button]})
    return entry


def summary_payload(items: Sequence[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    return {"card": summary_card(items), "summary": f"{len(items)} things from Steward"}
