"""Plans, CIP items and change requests are chased like actions: due soon, overdue, then the commissioner.

A plan's actions and milestones go to the provider (its head of service and contact), due soon as
actions are; a CIP item's milestones and deadline to its owner, due soon as cip.due says; either, overdue beyond the actions' `chair_after_working_days`, to
the commissioner. A change request waiting for a decision for `CHANGE_WAIT_WORKING_DAYS` goes to whoever
decides it: the other side, or the director for a formal change both sides agreed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from commissioning.calendar import WorkingCalendar
from commissioning.improvement import cip
from commissioning.improvement.changes import ChangeStatus
from commissioning.improvement.steps import Step
from commissioning.reminders.facts import ContractFacts, PipFacts, Snapshot
from commissioning.reminders.hours import working_days_before
from commissioning.reminders.kinds import (
    CHANGE_AWAITING,
    CIP_DUE_SOON,
    CIP_ESCALATED,
    CIP_OVERDUE,
    COMMISSIONER,
    DIRECTOR,
    HEAD_OF_SERVICE,
    PIP_STEP_DUE_SOON,
    PIP_STEP_ESCALATED,
    PIP_STEP_OVERDUE,
    PROGRAMME_MANAGER,
    PROVIDER_CONTACT,
)
from commissioning.reminders.notice import Notice, each, stale
from commissioning.roles import Side

CHANGE_WAIT_WORKING_DAYS = 5


def _provider(contract: ContractFacts) -> tuple[int, ...]:
    return (*contract.roles.get(HEAD_OF_SERVICE, ()), *contract.roles.get(PROVIDER_CONTACT, ()))


def _pip_steps(plan: PipFacts) -> Iterable[tuple[str, int, Step]]:
    for part, steps in (("action", plan.plan.actions), ("milestone", plan.plan.milestones)):
        for number, step in enumerate(steps):
            if step.done_on is None:
                yield part, number, step


def _chase(
    contract: ContractFacts,
    calendar: WorkingCalendar,
    today: date,
    *,
    owners: Iterable[int],
    due: date,
    subject: str,
    ref: dict[str, Any],
    kinds: tuple[str, str, str],
    soon_by_rule: bool = False,
) -> list[Notice]:
    """Due soon and overdue to the owners; overdue beyond the actions' chair limit also to the commissioner.

    `soon_by_rule`: the item's own rule already found it due soon (cip.due, five working days)."""
    if stale(contract.policy, due, today):
        return []
    soon, overdue, escalated = kinds
    rules = contract.policy.actions
    owners = tuple(owners)
    escalate_on = calendar.working_days_after(due, rules.chair_after_working_days)
    template: dict[str, Any] = {"ref": ref}
    found: list[Notice] = []
    if today > due:
        stage = {"kind": overdue, "rank": 2, "since": due, "next_kind": escalated, "next_on": escalate_on}
        found += each(owners, {**template, **stage}, subject, due, contract.id)
    elif soon_by_rule or (
        rules.due_soon_working_days > 0
        and today >= working_days_before(calendar, due, rules.due_soon_working_days)
    ):
        found += each(
            owners, {**template, "kind": soon, "rank": 1, "before_deadline": True}, subject, due, contract.id
        )
    if today >= escalate_on:
        stage = {"kind": escalated, "rank": 3, "escalation": True, "since": due, "responsible": owners}
        found += each(
            contract.holders(COMMISSIONER, PROGRAMME_MANAGER),
            {**template, **stage},
            subject,
            due,
            contract.id,
        )
    return found


def pip_notices(snapshot: Snapshot, today: date, calendar: WorkingCalendar) -> list[Notice]:
    found: list[Notice] = []
    for plan in snapshot.improvement.pips:
        contract = snapshot.contracts.get(plan.contract_id)
        if contract is None or not plan.plan.is_open:
            continue
        for part, number, step in _pip_steps(plan):
            ref = {
                "pip_id": plan.id,
                "contract_id": contract.id,
                "name": plan.plan.name,
                "what": step.what,
                "part": part,
            }
            found += _chase(
                contract,
                calendar,
                today,
                owners=_provider(contract),
                due=step.due_on,
                subject=f"pip:{plan.id}:{part}:{number}",
                ref=ref,
                kinds=(PIP_STEP_DUE_SOON, PIP_STEP_OVERDUE, PIP_STEP_ESCALATED),
            )
    return found


def cip_notices(snapshot: Snapshot, today: date, calendar: WorkingCalendar) -> list[Notice]:
    found: list[Notice] = []
    by_id = {str(i.id): i for i in snapshot.improvement.items}
    for due in cip.due({key: i.item for key, i in by_id.items()}, today, calendar):
        facts = by_id[due.item_id]
        contract = snapshot.contracts.get(facts.contract_id)
        if contract is None:
            continue
        part = "deadline" if due.milestone is None else f"milestone:{due.milestone}"
        ref = {"cip_id": facts.id, "contract_id": contract.id, "what": due.what, "item": facts.item.what}
        found += _chase(
            contract,
            calendar,
            today,
            owners=(facts.owner_id,),
            due=due.due_on,
            subject=f"cip:{facts.id}:{part}",
            ref=ref,
            kinds=(CIP_DUE_SOON, CIP_OVERDUE, CIP_ESCALATED),
            soon_by_rule=not due.overdue,
        )
    return found


def change_notices(snapshot: Snapshot, today: date, calendar: WorkingCalendar) -> list[Notice]:
    found: list[Notice] = []
    for change in snapshot.improvement.changes:
        contract = snapshot.contracts.get(change.contract_id)
        if contract is None:
            continue
        chase_on = calendar.working_days_after(change.waiting_since, CHANGE_WAIT_WORKING_DAYS)
        if today < chase_on or stale(contract.policy, chase_on, today):
            continue
        if change.status is ChangeStatus.AWAITING_APPROVAL:
            deciders = contract.holders(DIRECTOR)
        elif change.proposed_by is Side.PROVIDER:
            deciders = contract.holders(COMMISSIONER, PROGRAMME_MANAGER)
        else:
            deciders = contract.roles.get(HEAD_OF_SERVICE, ())
        ref = {
            "change_id": change.id,
            "contract_id": contract.id,
            "what": change.what,
            "status": change.status.value,
        }
        template = {"kind": CHANGE_AWAITING, "rank": 1, "since": change.waiting_since, "ref": ref}
        found += each(deciders, template, f"change:{change.id}:{change.status.value}", chase_on, contract.id)
    return found


def improvement_notices(snapshot: Snapshot, today: date, calendar: WorkingCalendar) -> list[Notice]:
    """Every chase due today for plans, CIP items and change requests."""
    return [
        *pip_notices(snapshot, today, calendar),
        *cip_notices(snapshot, today, calendar),
        *change_notices(snapshot, today, calendar),
    ]
