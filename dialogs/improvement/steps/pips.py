"""Plans: agreed at the quarterly meeting (or by command), their steps marked done, moved as pips.py allows."""

from __future__ import annotations

from collections.abc import Callable

from commissioning.improvement import pips
from commissioning.improvement.pips import Pip
from commissioning.improvement.steps import ImprovementProblem
from commissioning.indicators import IndicatorKind, IndicatorSpec
from commissioning.roles import Permission, Role
from dialogs.base import NoPayload, Refused, Reply, Turn
from dialogs.common import PROVIDER_ROLES, contract_for
from dialogs.improvement.cards.pips import (
    AGREED,
    CLOSED,
    MISSED,
    ON_TRACK,
    STEP_DONE,
    PipView,
    pip_card,
    pip_form_card,
    pips_card,
)
from dialogs.improvement.common import chosen_contract, form_errors, found, picker, record, step_rows, trail
from dialogs.improvement.payloads import NOTE_MAX, PipAgree, PipOpen, PipRef, PipStepRef
from dialogs.inputs import input_text
from storage.contracts import indicator_spec
from storage.improvement import pip_rule, steps_json, store_pip
from storage.improvement_models import PipRecord
from storage.models import Contract

# Who may declare a plan missed or close it (Permission.MANAGE_ACTIONS); with the provider, mark steps done.
_MANAGERS = frozenset({Role.COMMISSIONER, Role.PROGRAMME_MANAGER, Role.DIRECTOR})
FORM_INPUTS = (
    "code",
    "level",
    "by",
    *tuple(
        f"{part}_{n}_{which}"
        for part in ("action", "milestone")
        for n in range(3)
        for which in ("what", "due")
    ),
)


async def specs_for(turn: Turn, contract: Contract) -> list[IndicatorSpec]:
    """Every indicator a plan can be for: the monthly PIs, then the quarterly KPIs."""
    repos = turn.repos
    rows = [
        *await repos.contracts.indicators(contract.id),
        *await repos.contracts.indicators(contract.id, "quarterly"),
    ]
    return [indicator_spec(r) for r in rows]


async def listing(turn: Turn, _: NoPayload) -> Reply:
    contracts = {c.id: c for c in turn.contracts_where(Permission.VIEW_MEETING)}
    plans = await turn.repos.improvement.pips_for(contracts)
    shown = [(p, contracts[p.contract_id]) for p in plans]
    return Reply(card=pips_card(turn, shown, turn.contracts_where(Permission.RECORD_MEETING)))


async def open_form(turn: Turn, payload: PipOpen) -> Reply:
    contract = chosen_contract(turn, payload.contract_id, Permission.RECORD_MEETING)
    if contract is None:
        return picker(
            "Which contract is the plan for?",
            "improve.pip_open",
            turn.contracts_where(Permission.RECORD_MEETING),
        )
    specs = await specs_for(turn, contract)
    code = payload.code if payload.code in {s.code for s in specs} else ""
    return Reply(card=pip_form_card(contract, specs, code=code or "", meeting_id=payload.meeting_id))


async def agree(turn: Turn, payload: PipAgree) -> Reply:
    """The quarterly meeting agrees the plan; every problem comes back beside its field, nothing saved."""
    contract = contract_for(turn, payload.contract_id, Permission.RECORD_MEETING)
    specs = await specs_for(turn, contract)
    values = {key: input_text(turn.raw, key, 1000) for key in FORM_INPUTS}
    actions, action_rows = step_rows(turn.raw, "action")
    milestones, milestone_rows = step_rows(turn.raw, "milestone")
    spec = next((s for s in specs if s.code == values["code"]), None)

    def again(errors: dict[str, str]) -> Reply:
        shown = form_errors(errors, {"actions": action_rows, "milestones": milestone_rows})
        card = pip_form_card(contract, specs, meeting_id=payload.meeting_id, values=values, errors=shown)
        return Reply(card=card, replace=True)

    if spec is None:
        return again({"code": "Choose the indicator the plan is for."})
    try:
        plan = pips.agree_plan(
            spec, values["level"], values["by"], actions, milestones, turn.local_now.date()
        )
    except ImprovementProblem as problem:
        return again(problem.errors)
    if await turn.repos.improvement.open_pip(contract.id, spec.code) is not None:
        return again({"code": f"{spec.name} already has an open plan: update that one."})
    stored = await _store(turn, contract, plan, payload.meeting_id)
    notified = await _tell_provider(turn, stored, contract)
    return Reply(card=await _card(turn, stored, contract, note=AGREED), replace=True, notify=notified)


async def _store(turn: Turn, contract: Contract, plan: Pip, meeting_id: int | None) -> PipRecord:
    if meeting_id is not None:
        meeting = await turn.repos.meetings.meeting(meeting_id)
        meeting_id = meeting.id if meeting is not None and meeting.contract_id == contract.id else None
    stored = await turn.repos.improvement.add(
        PipRecord(
            contract_id=contract.id,
            meeting_id=meeting_id,
            code=plan.code,
            name=plan.name,
            level=plan.level,
            comparison=plan.comparison.value,
            agreed_on=plan.agreed_on,
            by_on=plan.by,
            status=plan.status.value,
            actions=steps_json(plan.actions),
            milestones=steps_json(plan.milestones),
            created_by_id=turn.person.id,
            created_at=turn.now,
            updated_at=turn.now,
        )
    )
    after = {"code": plan.code, "level": plan.level, "by": plan.by.isoformat()}
    record(turn, "pip", stored.id, contract.id, state="agreed", after=after)
    return stored


async def _tell_provider(turn: Turn, stored: PipRecord, contract: Contract) -> bool:
    provider = await turn.repos.people.people_with_roles(contract.id, PROVIDER_ROLES)
    for person in provider:
        await turn.repos.outbox.enqueue(
            key=f"pip.agreed:{stored.id}:{person.id}",
            kind="pip.agreed",
            recipient_id=person.id,
            contract_id=contract.id,
            now=turn.now,
            payload={
                "card": await _card(
                    turn,
                    stored,
                    contract,
                    viewer_id=person.id,
                    note="The quarterly meeting agreed this plan.",
                ),
                "summary": f"{contract.name}: a performance improvement plan for {stored.name}",
            },
        )
    return bool(provider)


async def _load(turn: Turn, pip_id: int, *, for_update: bool = False) -> tuple[PipRecord, Contract]:
    return found(turn, await turn.repos.improvement.pip(pip_id, for_update=for_update), "pip")


async def _card(
    turn: Turn,
    stored: PipRecord,
    contract: Contract,
    *,
    note: str | None = None,
    viewer_id: int | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> dict[str, object]:
    viewer = viewer_id if viewer_id is not None else turn.person.id
    seen = await trail(turn, "pip", stored.id, contract, viewer)
    spec = next((s for s in await specs_for(turn, contract) if s.code == stored.code), None)
    if spec is None:  # an indicator removed from the portfolio since: shown in the plan's own terms
        spec = IndicatorSpec(code=stored.code, name=stored.name, kind=IndicatorKind.WHOLE_NUMBER)
    view = PipView(
        stored,
        pip_rule(stored),
        spec,
        contract,
        reports=bool(set(seen.roles) & (PROVIDER_ROLES | _MANAGERS)),
        manages=bool(set(seen.roles) & _MANAGERS),
        events=seen.events,
        people=seen.people,
    )
    return pip_card(turn, view, note=note, values=values, errors=errors)


async def view(turn: Turn, payload: PipRef) -> Reply:
    stored, contract = await _load(turn, payload.pip_id)
    return Reply(card=await _card(turn, stored, contract))


async def _move(
    turn: Turn,
    pip_id: int,
    rule: Callable[[Pip, str], Pip],
    *,
    may: Permission | None,
    state: str,
    message: str,
) -> Reply:
    stored, contract = await _load(turn, pip_id, for_update=True)
    reports = turn.may(contract.id, Permission.MANAGE_ACTIONS) or bool(
        turn.roles_on(contract.id) & PROVIDER_ROLES
    )
    allowed = turn.may(contract.id, may) if may is not None else reports
    if not allowed:
        raise Refused(
            "Your role on this contract cannot change this plan that way.", reason=f"pip.{state}:{stored.id}"
        )
    note = input_text(turn.raw, "note", NOTE_MAX)
    try:
        moved = rule(pip_rule(stored), note)
    except ImprovementProblem as problem:
        errors = {("note" if k == "reason" else k or "_form"): v for k, v in problem.errors.items()}
        card = await _card(turn, stored, contract, errors=errors, values={"note": note})
        return Reply(card=card, replace=True)
    store_pip(stored, moved, turn.now)
    turn.repos.session.add(stored)
    record(turn, "pip", stored.id, contract.id, state=state, note=note, after={"status": moved.status.value})
    return Reply(card=await _card(turn, stored, contract, note=message), replace=True)


async def on_track(turn: Turn, payload: PipRef) -> Reply:
    today = turn.local_now.date()
    return await _move(
        turn,
        payload.pip_id,
        lambda p, n: pips.mark_on_track(p, n, today),
        may=None,
        state="on_track",
        message=ON_TRACK,
    )


async def missed(turn: Turn, payload: PipRef) -> Reply:
    return await _move(
        turn,
        payload.pip_id,
        pips.declare_missed,
        may=Permission.MANAGE_ACTIONS,
        state="missed",
        message=MISSED,
    )


async def close(turn: Turn, payload: PipRef) -> Reply:
    return await _move(
        turn, payload.pip_id, pips.close, may=Permission.MANAGE_ACTIONS, state="closed", message=CLOSED
    )


async def step_done(turn: Turn, payload: PipStepRef) -> Reply:
    today = turn.local_now.date()
    number = payload.number

    def rule(plan: Pip, _: str) -> Pip:
        if payload.part == "action":
            return pips.complete_action(plan, number, today)
        return pips.complete_milestone(plan, number, today)

    return await _move(
        turn, payload.pip_id, rule, may=None, state=f"{payload.part}.{number}.done", message=STEP_DONE
    )
