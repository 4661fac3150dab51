"""A reminder card after a press: as it was, saying what the person did, without acknowledge and snooze."""

from __future__ import annotations

import copy
from typing import Any

from dialogs.cards import card, heading, text

REMINDER_VERBS = frozenset({"reminder.ack", "reminder.snooze", "reminder.ack_all", "reminder.snooze_all"})


def acted_card(original: dict[str, Any], note: str) -> dict[str, Any]:
    """The reminder as it was, saying what the person did, without the acknowledge and snooze buttons."""
    updated = copy.deepcopy(original) if original else card([heading("Reminder")])
    body = updated.setdefault("body", [])
    body.insert(1 if body else 0, text(note, color="Good", weight="Bolder"))
    actions = [a for a in updated.get("actions", []) if a.get("verb") not in REMINDER_VERBS]
    if actions:
        updated["actions"] = actions
    else:
        updated.pop("actions", None)
    return updated
