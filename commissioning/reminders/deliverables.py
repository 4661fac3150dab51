"""Quarterly deliverables missing before the quarterly meeting."""

from __future__ import annotations

from datetime import date, tzinfo

from commissioning.calendar import WorkingCalendar
from commissioning.deliverables import DeliverableStatus, missing
from commissioning.meetings import MeetingType
from commissioning.periods import Month, Quarter
from commissioning.reminders.facts import Snapshot
from commissioning.reminders.hours import working_days_before
from commissioning.reminders.kinds import (
    DELIVERABLES_MISSING,
    HEAD_OF_SERVICE,
    PROVIDER_CONTACT,
)
from commissioning.reminders.notice import Notice, each


def deliverable_notices(
    snapshot: Snapshot, today: date, calendar: WorkingCalendar, zone: tzinfo
) -> list[Notice]:
    """Deliverables still missing N working days before the quarterly meeting → the provider contact."""
    notices: list[Notice] = []
    for meeting in snapshot.meetings:
        contract = snapshot.contracts.get(meeting.contract_id)
        if (
            contract is None
            or meeting.kind != MeetingType.QUARTERLY_CONTRACT.value
            or meeting.status == "held"
            or meeting.scheduled_for is None
        ):
            continue
        meeting_day = meeting.scheduled_for.astimezone(zone).date()
        rules = contract.policy.quarterly_deliverables
        if today > meeting_day or today < working_days_before(
            calendar, meeting_day, rules.before_meeting_working_days
        ):
            continue
        done = snapshot.deliverables.get((contract.id, meeting.period_start), frozenset())
        gaps = missing(
            {code: DeliverableStatus.SUPPLIED for code in done}  # supplied or not applicable: not missing
        )
        if not gaps:
            continue
        quarter = Quarter.containing(Month.of(meeting.period_start), contract.year_start_month)
        notices.extend(
            each(
                contract.holders(PROVIDER_CONTACT, HEAD_OF_SERVICE),
                {
                    "kind": DELIVERABLES_MISSING,
                    "rank": 1,
                    "before_deadline": True,
                    "ref": {
                        "contract_id": contract.id,
                        "quarter": quarter.key,
                        "quarter_label": quarter.label,
                        "meeting_id": meeting.id,
                        "meeting_at": meeting.scheduled_for.isoformat(),
                        "missing": [d.code for d in gaps],
                    },
                },
                f"deliverables:{contract.id}:{quarter.key}",
                meeting_day,
                contract.id,
            )
        )
    return notices
