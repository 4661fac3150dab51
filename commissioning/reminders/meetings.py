"""Review meetings: not scheduled soon after receipt, not held by the five-working-day deadline."""

from __future__ import annotations

from datetime import date, datetime

from commissioning.deadlines import MeetingRules, review_deadline
from commissioning.meetings import MeetingType, meeting_for_return
from commissioning.periods import Quarter
from commissioning.reminders.facts import Snapshot
from commissioning.reminders.kinds import (
    COMMISSIONER,
    DIRECTOR,
    MEETING_NOT_HELD,
    MEETING_UNSCHEDULED,
    PROGRAMME_MANAGER,
)
from commissioning.reminders.kpi_returns import expected_by_quarter, quarter_clock
from commissioning.reminders.notice import Notice, each, stale


def meeting_notices(snapshot: Snapshot, today: date, meeting_rules: MeetingRules) -> list[Notice]:
    """Not scheduled N working days after receipt → commissioner; not held by the deadline → their manager."""
    meetings = {(m.contract_id, m.kind, m.period_start): m for m in snapshot.meetings}
    expected = expected_by_quarter(snapshot)
    notices: list[Notice] = []
    for ret in snapshot.returns:
        contract = snapshot.contracts.get(ret.contract_id)
        if contract is None or ret.clock_started_at is None:
            continue
        rules = contract.policy.review_meeting
        slot = meeting_for_return(ret.month, contract.year_start_month)
        started: datetime | None = ret.clock_started_at
        if slot.kind is MeetingType.QUARTERLY_CONTRACT:
            quarter = Quarter.containing(ret.month, contract.year_start_month)
            started = quarter_clock(expected, contract.id, quarter, ret.clock_started_at)
        if started is None:
            continue  # the KPI return is chased (kpi_returns.py); the clock starts when it is in
        deadline = review_deadline(started, meeting_rules)
        if stale(contract.policy, deadline.last_day, today):
            continue
        meeting = meetings.get((contract.id, slot.kind.value, slot.period_start))
        if meeting is not None and meeting.status == "held":
            continue
        subject = f"meeting:{contract.id}:{slot.kind.value}:{slot.period_start.isoformat()}"
        ref = {
            "contract_id": contract.id,
            "return_id": ret.return_id,
            "meeting_id": meeting.id if meeting else None,
            "title": slot.title,
            "scheduled_for": meeting.scheduled_for.isoformat() if meeting and meeting.scheduled_for else None,
        }
        commissioners = contract.holders(COMMISSIONER, PROGRAMME_MANAGER)
        calendar = meeting_rules.calendar
        manager_on = calendar.working_days_after(deadline.last_day, rules.manager_after_working_days)
        remind_on = calendar.working_days_after(deadline.receipt_day, rules.schedule_within_working_days)
        scheduled = meeting is not None and meeting.scheduled_for is not None
        if not scheduled and today >= remind_on:
            notices.extend(
                each(
                    commissioners,
                    {
                        "kind": MEETING_UNSCHEDULED,
                        "rank": 1,
                        "before_deadline": True,
                        "ref": ref,
                        "next_kind": MEETING_NOT_HELD,
                        "next_on": manager_on,
                    },
                    subject,
                    deadline.last_day,
                    contract.id,
                )
            )
        if today >= manager_on:
            managers = [snapshot.people[c].manager_id for c in commissioners if c in snapshot.people]
            if not any(managers):
                managers = list(contract.holders(DIRECTOR))
            notices.extend(
                each(
                    managers,
                    {
                        "kind": MEETING_NOT_HELD,
                        "rank": 2,
                        "escalation": True,
                        "since": deadline.last_day,
                        "responsible": commissioners,
                        "ref": ref,
                    },
                    subject,
                    deadline.last_day,
                    contract.id,
                )
            )
    return notices
