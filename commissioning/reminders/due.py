"""Every notice due now: each rule's notices, the furthest stage per person, snoozes and acks applied."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from commissioning.deadlines import MeetingRules
from commissioning.reminders.actions import action_notices
from commissioning.reminders.breaches import breach_notices
from commissioning.reminders.deliverables import deliverable_notices
from commissioning.reminders.facts import Snapshot
from commissioning.reminders.improvement import improvement_notices
from commissioning.reminders.kpi_returns import kpi_return_notices
from commissioning.reminders.leave import back_from_leave, cover_for_leave
from commissioning.reminders.meetings import meeting_notices
from commissioning.reminders.notice import Notice
from commissioning.reminders.performance_notices import performance_notice_notices
from commissioning.reminders.returns import return_notices
from commissioning.reminders.visits import visit_notices


def due_notices(snapshot: Snapshot, now: datetime, meeting_rules: MeetingRules) -> list[Notice]:
    """Every notice due at `now`: the current stage of each item for each person, snoozes, acks and leave applied."""
    calendar, zone = meeting_rules.calendar, meeting_rules.zone
    today = now.astimezone(zone).date()
    found: list[Notice] = [
        *return_notices(snapshot, today, calendar),
        *meeting_notices(snapshot, today, meeting_rules),
        *action_notices(snapshot, today, calendar),
        *deliverable_notices(snapshot, today, calendar, zone),
        *visit_notices(snapshot, today, calendar, zone),
        *breach_notices(snapshot, today),
        *improvement_notices(snapshot, today, calendar),
        *kpi_return_notices(snapshot, today, calendar),
        *performance_notice_notices(snapshot, today),
    ]
    furthest: dict[tuple[str, int], Notice] = {}
    for notice in found:
        key = (notice.subject, notice.recipient_id)
        if key not in furthest or notice.rank > furthest[key].rank:
            furthest[key] = notice
    due: list[Notice] = []
    for notice in furthest.values():
        if notice.before_deadline and (
            (notice.recipient_id, notice.subject, notice.due_on) in snapshot.acknowledged
        ):
            continue
        until = snapshot.snoozes.get((notice.recipient_id, notice.subject))
        if until is not None and not notice.urgent:
            if until > now:
                continue
            notice = replace(notice, after_snooze=until.astimezone(zone).strftime("%Y%m%dT%H%M"))
        due.append(notice)
    due = back_from_leave(cover_for_leave(due, snapshot, today), snapshot, today, calendar)
    return sorted(due, key=lambda n: (n.due_on, n.contract_id, n.subject, n.rank, n.recipient_id))
