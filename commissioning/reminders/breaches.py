"""Persistent breach → the director at once, with the evidence: one rule, commissioning/improvement/breaches.py.

A plan missed (its level not reached by its date, or declared missed), a miss while a plan is open, or
the same PI missed in two months running (a KPI in two quarters running) is sent once per breach.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from commissioning.improvement.breaches import Breach, BreachReason, describe, persistent_breaches
from commissioning.improvement.pips import Pip
from commissioning.reminders.facts import ContractFacts, PipFacts, ResultFacts, Snapshot
from commissioning.reminders.kinds import (
    COMMISSIONER,
    DIRECTOR,
    HEAD_OF_SERVICE,
    PERSISTENT_BREACH,
    PROVIDER_CONTACT,
)
from commissioning.reminders.notice import Notice, each, stale


def breach_notices(snapshot: Snapshot, today: date) -> list[Notice]:
    """Every persistent breach the results and plans show, to the director (else the commissioner)."""
    results: dict[int, list[ResultFacts]] = defaultdict(list)
    for facts in snapshot.improvement.results:
        results[facts.contract_id].append(facts)
    plans: dict[int, dict[str, PipFacts]] = defaultdict(dict)
    for plan in snapshot.improvement.pips:
        plans[plan.contract_id][str(plan.id)] = plan
    notices: list[Notice] = []
    for contract_id in sorted(set(results) | set(plans)):
        contract = snapshot.contracts.get(contract_id)
        if contract is None:
            continue
        mine = results[contract_id]
        rules: dict[str, Pip] = {key: p.plan for key, p in plans[contract_id].items()}
        breaches = persistent_breaches([r.result for r in mine], rules)
        reported = {(r.result.code, r.result.period): r for r in mine} if breaches else {}
        for breach in breaches:
            evidence = [
                reported[(e.code, e.period)] for e in breach.evidence if (e.code, e.period) in reported
            ]
            on = _known_on(breach, evidence, plans[contract_id].get(breach.plan_id or ""))
            if on is None or stale(contract.policy, on, today):
                continue
            notices.extend(_breach(contract, breach, evidence, on))
    return notices


def _known_on(breach: Breach, evidence: list[ResultFacts], plan: PipFacts | None) -> date | None:
    """The day the breach came to light: the latest result showing it, or the day a plan was declared missed."""
    if BreachReason.PLAN_MISSED in breach.reasons and plan is not None:
        if plan.declared_missed_on is not None:
            return plan.declared_missed_on
        late = [e.reported_on for e in evidence if e.result.period.last_day >= plan.plan.by]
        return min(late) if late else None
    return max((e.reported_on for e in evidence), default=None)


def _breach(contract: ContractFacts, breach: Breach, evidence: list[ResultFacts], on: date) -> list[Notice]:
    last = evidence[-1] if evidence else None
    ref = {
        "contract_id": contract.id,
        "code": breach.code,
        "name": breach.name,
        "reasons": [r.value for r in breach.reasons],
        "periods": [e.result.period.label for e in evidence],
        "evidence": describe(breach),
        "return_id": last.return_id if last else None,
        "meeting_id": last.meeting_id if last else None,
        "pip_id": int(breach.plan_id) if breach.plan_id else None,
    }
    since = evidence[0].result.period.first_day if evidence else on
    return each(
        contract.holders(DIRECTOR, COMMISSIONER),
        {
            "kind": PERSISTENT_BREACH,
            "rank": 1,
            "urgent": contract.policy.persistent_breach.urgent,
            "escalation": True,
            "since": since,
            "responsible": contract.holders(HEAD_OF_SERVICE, PROVIDER_CONTACT),
            "ref": ref,
        },
        f"breach:{contract.id}:{breach.key}",
        on,
        contract.id,
    )
