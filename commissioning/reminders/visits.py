"""Audit and monitoring visits: reminders before the visit, never before notice was given."""

from __future__ import annotations

from datetime import date, tzinfo

from commissioning.calendar import WorkingCalendar
from commissioning.reminders.facts import Snapshot
from commissioning.reminders.hours import working_days_before
from commissioning.reminders.kinds import (
    HEAD_OF_SERVICE,
    PROVIDER_CONTACT,
    VISIT_NOTICE,
)
from commissioning.reminders.notice import Notice, each


def visit_notices(snapshot: Snapshot, today: date, calendar: WorkingCalendar, zone: tzinfo) -> list[Notice]:
    """Reminders of a planned audit or monitoring visit, N working days before it, to the provider side."""
    notices: list[Notice] = []
    for meeting in snapshot.meetings:
        contract = snapshot.contracts.get(meeting.contract_id)
        if contract is None or not meeting.notice_kind or meeting.notice_on is None:
            continue
        if today > meeting.notice_on:
            continue
        given = meeting.recorded_at.astimezone(zone).date() if meeting.recorded_at else None
        current: int | None = None
        for rank, days in enumerate(contract.policy.visits.notice_working_days_before, start=1):
            remind_on = working_days_before(calendar, meeting.notice_on, days)
            if today >= remind_on and (given is None or remind_on > given):
                current = rank
        if current is None:
            continue
        days = contract.policy.visits.notice_working_days_before[current - 1]
        notices.extend(
            each(
                contract.holders(PROVIDER_CONTACT, HEAD_OF_SERVICE) + contract.holders(HEAD_OF_SERVICE),
                {
                    "kind": VISIT_NOTICE,
                    "rank": current,
                    "stage": f"{days}wd",
                    "before_deadline": True,
                    "ref": {
                        "contract_id": contract.id,
                        "meeting_id": meeting.id,
                        "visit": meeting.notice_kind,
                        "working_days": days,
                    },
                },
                f"visit:{meeting.id}",
                meeting.notice_on,
                contract.id,
            )
        )
    return notices
