"""The action journey in one table: its cards, each verb's payload and step, and what each card offers next.

The router is built from the table, so a verb is routed exactly when it is listed here.
"""

from __future__ import annotations

from dialogs.actions.payloads import ActionRef, LogRef
from dialogs.actions.steps import deciding, listing, moving, updating
from dialogs.base import NoPayload, Router
from dialogs.flow import Card, Verb, route

MY_ACTIONS = Card("my actions", ("actions.view", "help"))
# One action: each viewer gets the buttons their role allows on it (dialogs/actions/cards/action.py).
ACTION = Card(
    "action",
    (
        "actions.progress",
        "actions.done",
        "actions.request_due",
        "actions.approve_due",
        "actions.refuse_due",
        "actions.carry",
        "actions.escalate",
        "actions.mine",
    ),
)
LOG_PICKER = Card("action log picker", ("actions.log",))
LOG = Card("action log", ("actions.view", "actions.mine"))

FLOW: tuple[Verb, ...] = (
    Verb("actions.mine", NoPayload, listing.mine, (MY_ACTIONS,)),
    Verb("actions.view", ActionRef, listing.view, (ACTION,)),
    Verb("actions.progress", ActionRef, updating.progress, (ACTION,)),
    Verb("actions.done", ActionRef, updating.done, (ACTION,)),
    Verb("actions.request_due", ActionRef, updating.ask_for_time, (ACTION,), sends=(ACTION,)),
    Verb("actions.approve_due", ActionRef, deciding.approve, (ACTION,), sends=(ACTION,)),
    Verb("actions.refuse_due", ActionRef, deciding.refuse, (ACTION,), sends=(ACTION,)),
    Verb("actions.carry", ActionRef, moving.carry_step, (ACTION,)),
    Verb("actions.escalate", ActionRef, moving.escalate_step, (ACTION,), sends=(ACTION,)),
    Verb("actions.log", LogRef, listing.log, (LOG_PICKER, LOG)),
)

router = Router("actions")
router.command(
    "actions.mine",
    "my actions",
    "actions",
    "my action",
    help_text="Your actions: update progress, mark one done, or ask for a new due date",
)
router.command(
    "actions.log", "action log", "the action log", help_text="A contract's action log, with escalated items"
)
route(router, FLOW)
