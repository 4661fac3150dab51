"""The kinds of reminder and escalation, and the contract roles they go to."""

from __future__ import annotations

RETURN_DUE_SOON = "return.due_soon"
RETURN_DUE_TODAY = "return.due_today"
RETURN_OVERDUE = "return.overdue"
RETURN_ESCALATED = "return.escalated"
RETURN_DIRECTOR = "return.director"
MEETING_UNSCHEDULED = "meeting.unscheduled"
MEETING_NOT_HELD = "meeting.not_held"
ACTION_DUE_SOON = "action.due_soon"
ACTION_OVERDUE = "action.overdue"
ACTION_CHAIR = "action.chair"
ACTION_MANAGER = "action.manager"
DELIVERABLES_MISSING = "deliverables.missing"
VISIT_NOTICE = "visit.notice"
PERSISTENT_BREACH = "breach.persistent"

KINDS = (
    RETURN_DUE_SOON,
    RETURN_DUE_TODAY,
    RETURN_OVERDUE,
    RETURN_ESCALATED,
    RETURN_DIRECTOR,
    MEETING_UNSCHEDULED,
    MEETING_NOT_HELD,
    ACTION_DUE_SOON,
    ACTION_OVERDUE,
    ACTION_CHAIR,
    ACTION_MANAGER,
    DELIVERABLES_MISSING,
    VISIT_NOTICE,
    PERSISTENT_BREACH,
)

PROVIDER_CONTACT, HEAD_OF_SERVICE = "provider_contact", "head_of_service"
COMMISSIONER, PROGRAMME_MANAGER, DIRECTOR = "commissioner", "programme_manager", "director"
