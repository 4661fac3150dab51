"""Reminder and escalation rules: from a snapshot of returns, meetings, actions and deliverables, what is due now.

Pure: the sweep (scheduler/sweep.py) reads the tables into the plain facts below and writes what
`due_notices` returns to the outbox. Only the current stage of each item is returned, for each person:
after downtime an item a week overdue yields its overdue and escalation notices, never the stale
"due soon". A notice's key holds its kind, subject, due date and recipient, so when a date moves the
key moves with it, and writing the same notice twice is a no-op.
"""

from commissioning.reminders.actions import action_notices
from commissioning.reminders.breaches import breach_notices
from commissioning.reminders.deliverables import deliverable_notices
from commissioning.reminders.due import due_notices
from commissioning.reminders.facts import (
    ActionFacts,
    ChangeFacts,
    CipFacts,
    ContractFacts,
    ImprovementFacts,
    KpiReturnFacts,
    MeetingFacts,
    PersonFacts,
    PipFacts,
    ResultFacts,
    ReturnFacts,
    Snapshot,
)
from commissioning.reminders.hours import WorkingHours, working_days_before
from commissioning.reminders.improvement import improvement_notices
from commissioning.reminders.kinds import (
    ACTION_CHAIR,
    ACTION_DUE_SOON,
    ACTION_MANAGER,
    ACTION_OVERDUE,
    DELIVERABLES_MISSING,
    KINDS,
    MEETING_NOT_HELD,
    MEETING_UNSCHEDULED,
    PERSISTENT_BREACH,
    RETURN_DIRECTOR,
    RETURN_DUE_SOON,
    RETURN_DUE_TODAY,
    RETURN_ESCALATED,
    RETURN_OVERDUE,
    VISIT_NOTICE,
)
from commissioning.reminders.meetings import meeting_notices
from commissioning.reminders.notice import Notice
from commissioning.reminders.returns import return_due_date, return_notices
from commissioning.reminders.visits import visit_notices

__all__ = [
    "ACTION_CHAIR",
    "ACTION_DUE_SOON",
    "ACTION_MANAGER",
    "ACTION_OVERDUE",
    "DELIVERABLES_MISSING",
    "KINDS",
    "MEETING_NOT_HELD",
    "MEETING_UNSCHEDULED",
    "PERSISTENT_BREACH",
    "RETURN_DIRECTOR",
    "RETURN_DUE_SOON",
    "RETURN_DUE_TODAY",
    "RETURN_ESCALATED",
    "RETURN_OVERDUE",
    "VISIT_NOTICE",
    "ActionFacts",
    "ChangeFacts",
    "CipFacts",
    "ContractFacts",
    "ImprovementFacts",
    "KpiReturnFacts",
    "MeetingFacts",
    "Notice",
    "PersonFacts",
    "PipFacts",
    "ResultFacts",
    "ReturnFacts",
    "Snapshot",
    "WorkingHours",
    "action_notices",
    "breach_notices",
    "deliverable_notices",
    "due_notices",
    "improvement_notices",
    "meeting_notices",
    "return_due_date",
    "return_notices",
    "visit_notices",
    "working_days_before",
]
