"""Persistent breach: the same indicator or KPI missed twice running goes to the director at once."""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Any

from commissioning.meetings import MeetingType
from commissioning.periods import Month, Quarter
from commissioning.reminders.facts import ContractFacts, Snapshot
from commissioning.reminders.kinds import (
    COMMISSIONER,
    DIRECTOR,
    HEAD_OF_SERVICE,
    PERSISTENT_BREACH,
    PROVIDER_CONTACT,
)
from commissioning.reminders.notice import Notice, each, stale


def breach_notices(snapshot: Snapshot, today: date, zone: tzinfo) -> list[Notice]:
    """The same indicator missed in two periods running (months for PIs, quarters for KPIs) → the director."""
    notices: list[Notice] = []
    returns = {(r.contract_id, r.month): r for r in snapshot.returns if r.received_at is not None}
    for (contract_id, month), ret in sorted(returns.items(), key=lambda item: item[0]):
        before = returns.get((contract_id, month.previous()))
        contract = snapshot.contracts.get(contract_id)
        if before is None or contract is None or ret.received_at is None:
            continue
        on = ret.received_at.astimezone(zone).date()
        if stale(contract.policy, on, today):
            continue
        for code in sorted(set(ret.missed) & set(before.missed)):
            notices.extend(
                _breach(
                    contract,
                    code,
                    ret.missed[code],
                    on,
                    f"breach:{contract.id}:{code}:{month.key}",
                    {"periods": [month.previous().label, month.label], "return_id": ret.return_id},
                    since=month.previous().first_day,
                )
            )
    held = {
        (m.contract_id, m.period_start): m
        for m in snapshot.meetings
        if m.kind == MeetingType.QUARTERLY_CONTRACT.value and m.status == "held" and m.held_at
    }
    for (contract_id, start), meeting in sorted(held.items()):
        contract = snapshot.contracts.get(contract_id)
        if contract is None:
            continue
        quarter = Quarter.containing(Month.of(start), contract.year_start_month)
        last_quarter = held.get((contract_id, quarter.previous().first_day))
        if meeting.held_at is None or last_quarter is None:
            continue
        on = meeting.held_at.astimezone(zone).date()
        if stale(contract.policy, on, today):
            continue
        for code in sorted(set(meeting.kpi_missed) & set(last_quarter.kpi_missed)):
            notices.extend(
                _breach(
                    contract,
                    code,
                    meeting.kpi_missed[code],
                    on,
                    f"breach:{contract.id}:{code}:{quarter.key}",
                    {"periods": [quarter.previous().label, quarter.label], "meeting_id": meeting.id},
                    since=quarter.previous().first_day,
                )
            )
    return notices


def _breach(
    contract: ContractFacts,
    code: str,
    name: str,
    on: date,
    subject: str,
    extra: dict[str, Any],
    *,
    since: date,
) -> list[Notice]:
    return each(
        contract.holders(DIRECTOR, COMMISSIONER),
        {
            "kind": PERSISTENT_BREACH,
            "rank": 1,
            "urgent": contract.policy.persistent_breach.urgent,
            "escalation": True,
            "since": since,
            "responsible": contract.holders(HEAD_OF_SERVICE, PROVIDER_CONTACT),
            "ref": {"contract_id": contract.id, "code": code, "name": name, **extra},
        },
        subject,
        on,
        contract.id,
    )
