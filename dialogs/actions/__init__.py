"""The action log: "my actions", updating and closing an action, new due dates, carrying and escalating."""

from dialogs.actions.cards.action import action_card
from dialogs.actions.cards.entry import where_it_stands
from dialogs.actions.changes import record_change
from dialogs.actions.flow import router
from dialogs.actions.levels import carry, escalate, next_quarterly_label
from dialogs.actions.notices import notify_assigned

__all__ = [
    "action_card",
    "carry",
    "escalate",
    "next_quarterly_label",
    "notify_assigned",
    "record_change",
    "router",
    "where_it_stands",
]
