"""The leave journey in one table: the leave card, recording it, and what the card offers next.

The router is built from the table, so a verb is routed exactly when it is listed here.
"""

from __future__ import annotations

from dialogs.base import NoPayload, Router
from dialogs.flow import Card, Verb, route
from dialogs.leave.payloads import LeaveStart
from dialogs.leave.steps import recording

FORM = Card("leave", ("leave.record",))
RECORDED = Card("leave recorded", ("leave.start",))

FLOW: tuple[Verb, ...] = (
    Verb("leave.start", LeaveStart, recording.start, (FORM,)),
    Verb("leave.record", NoPayload, recording.record, (FORM, RECORDED)),
)

router = Router("leave")
router.command(
    "leave.start",
    "leave",
    "my leave",
    "out of office",
    "on leave",
    help_text="Record your leave and who covers for you on each contract "
    "(\u201con leave 2026-12-21 to 2027-01-04\u201d fills in the dates)",
    argument="dates",
)
route(router, FLOW)
