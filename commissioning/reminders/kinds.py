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
PIP_STEP_DUE_SOON = "pip.step_due_soon"
PIP_STEP_OVERDUE = "pip.step_overdue"
PIP_STEP_ESCALATED = "pip.step_escalated"
CIP_DUE_SOON = "cip.due_soon"
CIP_OVERDUE = "cip.overdue"
CIP_ESCALATED = "cip.escalated"
CHANGE_AWAITING = "change.awaiting_decision"
KPI_RETURN_DUE_SOON = "kpi_return.due_soon"
KPI_RETURN_DUE_TODAY = "kpi_return.due_today"
KPI_RETURN_OVERDUE = "kpi_return.overdue"
KPI_RETURN_ESCALATED = "kpi_return.escalated"
KPI_RETURN_DIRECTOR = "kpi_return.director"
LEAVE_BACK = "leave.back"
PERFORMANCE_NOTICE_DRAFTED = "notice.drafted"

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
    PIP_STEP_DUE_SOON,
    PIP_STEP_OVERDUE,
    PIP_STEP_ESCALATED,
    CIP_DUE_SOON,
    CIP_OVERDUE,
    CIP_ESCALATED,
    CHANGE_AWAITING,
    KPI_RETURN_DUE_SOON,
    KPI_RETURN_DUE_TODAY,
    KPI_RETURN_OVERDUE,
    KPI_RETURN_ESCALATED,
    KPI_RETURN_DIRECTOR,
    LEAVE_BACK,
    PERFORMANCE_NOTICE_DRAFTED,
)

PROVIDER_CONTACT, HEAD_OF_SERVICE = "provider_contact", "head_of_service"
COMMISSIONER, PROGRAMME_MANAGER, DIRECTOR = "commissioner", "programme_manager", "director"
