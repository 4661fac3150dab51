"""The meetings' journey in one table: its cards, each verb's payload and step, what each card offers.

The router is built from the table, so a verb is routed exactly when it is listed here.
"""

from __future__ import annotations

from dialogs.actions.flow import ACTION
from dialogs.base import NoPayload, Router
from dialogs.flow import Card, Verb, route
from dialogs.meetings.payloads import MeetingRef, ReturnRef
from dialogs.meetings.steps import recording, scheduling, viewing

WAITING = Card("returns waiting for their meeting", ("meeting.plan",))
SCHEDULE = Card("schedule form", ("meeting.schedule",))
SCHEDULED = Card("scheduled", ("meeting.agenda", "meeting.record_open", "meeting.plan"))
INVITATION = Card("invitation", ("meeting.agenda",))
TO_RECORD = Card("meetings to record", ("meeting.record_open",))
RECORD = Card("record form", ("meeting.record",))
# A flagged miss on the agenda and the minutes offers a plan for it (dialogs/improvement).
MINUTES = Card("minutes", ("actions.log", "actions.mine", "improve.pip_open"))
NOTICE = Card("notice of audit or visit", ("meeting.view",))
COMING = Card("coming meetings", ("meeting.agenda",))
HELD = Card("meetings held", ("meeting.view",))
AGENDA = Card(
    "agenda", ("meeting.record_open", "deliverables.open", "quarter.card", "actions.log", "improve.pip_open")
)
# The new actions' owners get the action card (dialogs/actions), with its buttons.
ASSIGNED_ACTION = Card("assigned action", ACTION.offers)
# Shown on the reviewers' card when a return comes in (dialogs/monthly_return), not by a step here.
OFFER = Card("review meeting offer", ("meeting.schedule",))

FLOW: tuple[Verb, ...] = (
    Verb("meeting.schedule_list", NoPayload, scheduling.schedule_list, (WAITING,)),
    Verb("meeting.plan", ReturnRef, scheduling.plan, (SCHEDULE, MINUTES)),
    Verb(
        "meeting.schedule",
        ReturnRef,
        scheduling.schedule,
        (SCHEDULE, MINUTES, SCHEDULED),
        sends=(INVITATION,),
    ),
    Verb("meeting.record_list", NoPayload, recording.record_list, (TO_RECORD,)),
    Verb("meeting.record_open", MeetingRef, recording.record_open, (RECORD, MINUTES)),
    Verb(
        "meeting.record",
        MeetingRef,
        recording.record,
        (RECORD, MINUTES),
        sends=(MINUTES, NOTICE, ASSIGNED_ACTION),
    ),
    Verb("meeting.view", MeetingRef, viewing.view, (AGENDA, MINUTES)),
    Verb("meeting.agenda_list", NoPayload, viewing.agenda_list, (AGENDA, COMING)),
    Verb("meeting.agenda", MeetingRef, viewing.agenda, (AGENDA,)),
    Verb("meeting.minutes_list", NoPayload, viewing.minutes_list, (HELD,)),
)

router = Router("meetings")
router.command(
    "meeting.schedule_list",
    "schedule meeting",
    "schedule a meeting",
    "schedule review meeting",
    "schedule the review meeting",
    help_text="Schedule the review meeting for a return that has come in (due within five working days)",
)
router.command(
    "meeting.record_list",
    "record meeting",
    "record a meeting",
    "minutes",
    help_text="Record a meeting that was held: attendance, PI review, decisions, the fee, new actions",
)
router.command(
    "meeting.agenda_list",
    "agenda",
    "meeting agenda",
    "next meeting",
    help_text="The agenda for a coming meeting, from its objectives and the latest figures",
)
router.command(
    "meeting.minutes_list",
    "past minutes",
    "meetings held",
    "show minutes",
    help_text="The minutes of the meetings held, the latest first: decisions, the fee and the outcome payment",
)
route(router, FLOW)
