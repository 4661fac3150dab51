"""The Contract Performance Notice: when a contract year (or the contract) ends, its commissioner reviews the draft."""

from __future__ import annotations

from datetime import date

from commissioning.reminders.facts import Snapshot
from commissioning.reminders.kinds import COMMISSIONER, PERFORMANCE_NOTICE_DRAFTED
from commissioning.reminders.notice import Notice, each, stale


def performance_notice_notices(snapshot: Snapshot, today: date) -> list[Notice]:
    """Each ended year's draft notice not yet reviewed, once to the contract's commissioner(s)."""
    notices: list[Notice] = []
    for due in snapshot.performance_notices:
        contract = snapshot.contracts.get(due.contract_id)
        if (
            contract is None
            or due.reviewed
            or due.ended_on >= today
            or stale(contract.policy, due.ended_on, today)
        ):
            continue
        template = {
            "kind": PERFORMANCE_NOTICE_DRAFTED,
            "ref": {"contract_id": contract.id, "year": due.year, "name": contract.name},
        }
        subject = f"notice:{contract.id}:{due.year}"
        notices += each(contract.roles.get(COMMISSIONER, ()), template, subject, due.ended_on, contract.id)
    return notices
