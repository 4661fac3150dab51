"""The action log: "my actions", updating and closing an action, new due dates, carrying and escalating."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import Field

from commissioning.actions import (
    LEVEL_WORDS,
    NOTE_MAX,
    ActionLevel,
    ActionProblem,
    ActionState,
    ActionStatus,
    approve_due_date,
    carry_to_quarterly,
    escalate_to_board,
    is_overdue,
    mark_done,
    record_progress,
    refuse_due_date,
    request_due_date,
    standing,
)
from commissioning.deadlines import MeetingType
from commissioning.meetings import parse_day
from commissioning.periods import last_completed_quarter
from commissioning.roles import Permission, Role, allowed
from dialogs.base import NoPayload, Payload, Refused, Reply, Router, Turn
from dialogs.cards import (
    card,
    container,
    error_text,
    execute,
    facts,
    heading,
    input_text,
    plain,
    subtle,
    text,
)
from dialogs.meeting_common import (
    NO_ROLE,
    contract_for,
    date_input,
    field,
    list_entry,
    meeting_title,
    raw_text,
    short_date,
    when_text,
)
from storage.meeting_models import ActionEvent, ActionItem
from storage.meetings import MeetingsRepository, action_snapshot, action_state
from storage.models import Contract, Person

router = Router("actions")
router.command(
    "actions.mine",
    "my actions",
    "actions",
    "my action",
    help_text="Your actions: update progress, mark one done, or ask for a new due date",
)
router.command(
    "actions.log", "action log", "the action log", help_text="A contract's action log, with escalated items"
)

LIST_LIMIT = 25
# Who decides due-date requests and hears of them.
DECIDERS = frozenset({Role.COMMISSIONER, Role.PROGRAMME_MANAGER})
EVENT_WORDS = {
    "created": "Created",
    "progress": "Progress",
    "done": "Marked done",
    "due_requested": "New due date asked for",
    "due_approved": "New due date approved",
    "due_refused": "New due date refused",
    "carried": "Carried to the quarterly contract meeting",
    "escalated": "Escalated to the governance board",
}


class ActionRef(Payload):
    action_id: int = Field(ge=1)


class LogRef(Payload):
    contract_id: int | None = Field(default=None, ge=1)


# -- loading and authorisation --------------------------------------------------------------------------------


async def _load(turn: Turn, action_id: int, *, for_update: bool = False) -> tuple[ActionItem, Contract]:
    """The action and its contract, if the sender has any role there; an unknown id looks the same."""
    item = await MeetingsRepository(turn.repos.session).action(action_id, for_update=for_update)
    if item is None:
        raise Refused(NO_ROLE, reason="unknown action")
    return item, contract_for(turn, item.contract_id, Permission.VIEW_MEETING)


def _is_owner(turn: Turn, item: ActionItem) -> bool:
    return item.owner_id == turn.person.id


def _may_update(turn: Turn, item: ActionItem) -> bool:
    return _is_owner(turn, item) or turn.may(item.contract_id, Permission.MANAGE_ACTIONS)


def _refuse_update(item: ActionItem) -> Refused:
    return Refused(
        "Only the action's owner or the commissioner can change it.", reason=f"update_action:{item.id}"
    )


# -- state changes --------------------------------------------------------------------------------------------


def _store_state(item: ActionItem, state: ActionState, turn: Turn) -> None:
    item.status = state.status.value
    item.level = state.level.value
    item.due_on = state.due_on
    item.requested_due_on = state.requested_due_on
    item.progress = state.progress
    item.updated_at = turn.now
    if state.status is ActionStatus.DONE and item.closed_at is None:
        item.closed_at = turn.now


def record_change(
    turn: Turn,
    item: ActionItem,
    state: ActionState,
    *,
    kind: str,
    note: str = "",
    extra: Callable[[ActionItem], None] | None = None,
) -> None:
    """Apply a checked state to the action; keep it in the action's history and in the audit trail."""
    repo = MeetingsRepository(turn.repos.session)
    before = action_snapshot(item)
    _store_state(item, state, turn)
    if extra is not None:
        extra(item)
    after = action_snapshot(item)
    turn.repos.session.add(item)
    repo.add_event(
        item, kind=kind, actor_id=turn.person.id, now=turn.now, note=note, before=before, after=after
    )
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action=f"action.{kind}",
        entity="action",
        entity_id=item.id,
        contract_id=item.contract_id,
        before=before,
        after={**after, **({"note": note} if note else {})},
    )


async def next_quarterly_label(turn: Turn, contract: Contract) -> str:
    """The quarterly meeting an unresolved action goes to: one already scheduled, else the next to be held."""
    repo = MeetingsRepository(turn.repos.session)
    scheduled = await repo.meetings(
        [contract.id],  # type: ignore[list-item]
        status="scheduled",
        kind=MeetingType.QUARTERLY_CONTRACT.value,
    )
    if scheduled:
        return scheduled[0].period_label
    last = last_completed_quarter(turn.local_now.date(), contract.year_start_month)
    held = await repo.find_meeting(contract.id, MeetingType.QUARTERLY_CONTRACT.value, last.first_day)  # type: ignore[arg-type]
    return last.label if held is None or held.status != "held" else last.next().label


async def carry(turn: Turn, item: ActionItem, contract: Contract, note: str = "") -> None:
    """Seed 001 §4.7: an action the monthly meeting could not resolve goes on the quarterly meeting's agenda."""
    state = carry_to_quarterly(action_state(item))
    label = await next_quarterly_label(turn, contract)

    def where(stored: ActionItem) -> None:
        stored.carried_to = label

    record_change(
        turn,
        item,
        state,
        kind="carried",
        note=note or f"To the {label} quarterly contract meeting.",
        extra=where,
    )


async def escalate(turn: Turn, item: ActionItem, contract: Contract, note: str = "") -> bool:
    """Seed 001 §4.7, §5.2: the quarterly meeting escalates to the governance board; the director hears at once."""
    state = escalate_to_board(action_state(item))

    def stamp(stored: ActionItem) -> None:
        stored.escalated_at = turn.now

    record_change(turn, item, state, kind="escalated", note=note, extra=stamp)
    directors = await turn.repos.people.people_with_roles(contract.id, frozenset({Role.DIRECTOR}))  # type: ignore[arg-type]
    for director in directors:
        await turn.repos.outbox.enqueue(
            key=f"action.escalated:{item.id}:{director.id}",
            kind="action.escalated",
            recipient_id=director.id,
            contract_id=contract.id,
            now=turn.now,
            urgent=True,
            payload={
                "card": await action_card(
                    turn, item, contract, viewer_id=director.id, title="Escalated to the governance board"
                ),
                "summary": f"{contract.name}: action escalated to the governance board",
            },
        )
    return bool(directors)


async def notify_assigned(
    turn: Turn, item: ActionItem, contract: Contract, owner: Person, raised_at: str
) -> bool:
    """Tell the owner about a new action; nothing is sent to the person who raised it for themselves."""
    if owner.id == turn.person.id:
        return False
    await turn.repos.outbox.enqueue(
        key=f"action.assigned:{item.id}",
        kind="action.assigned",
        recipient_id=owner.id,
        contract_id=contract.id,
        now=turn.now,
        payload={
            "card": await action_card(
                turn, item, contract, viewer_id=owner.id, title=f"New action for you from the {raised_at}"
            ),
            "summary": f"{contract.name}: a new action for you",
        },
    )
    return True


# -- steps ----------------------------------------------------------------------------------------------------


@router.action("actions.mine", NoPayload)
async def mine(turn: Turn, _: NoPayload) -> Reply:
    repo = MeetingsRepository(turn.repos.session)
    owned = await repo.actions_owned_by(turn.person.id)  # type: ignore[arg-type]
    managed = [c.id for c in turn.contracts_where(Permission.MANAGE_ACTIONS)]
    waiting = [a for a in await repo.awaiting_decision(managed) if a.requested_by_id != turn.person.id]  # type: ignore[arg-type]
    contracts = {m.contract.id: m.contract for m in turn.memberships}
    owned = [a for a in owned if a.contract_id in contracts]  # a role taken away takes the actions' view too
    return Reply(card=my_actions_card(turn, owned, waiting, contracts))


@router.action("actions.view", ActionRef)
async def view(turn: Turn, payload: ActionRef) -> Reply:
    item, contract = await _load(turn, payload.action_id)
    return Reply(card=await action_card(turn, item, contract))


@router.action("actions.progress", ActionRef)
async def progress(turn: Turn, payload: ActionRef) -> Reply:
    return await _update(turn, payload, record_progress, kind="progress", message="Progress recorded.")


@router.action("actions.done", ActionRef)
async def done(turn: Turn, payload: ActionRef) -> Reply:
    return await _update(turn, payload, mark_done, kind="done", message="Marked done. Thank you.")


async def _update(
    turn: Turn,
    payload: ActionRef,
    rule: Callable[[ActionState, str], ActionState],
    *,
    kind: str,
    message: str,
) -> Reply:
    """The owner's or the commissioner's note on an action: progress, or what was done."""
    item, contract = await _load(turn, payload.action_id, for_update=True)
    if not _may_update(turn, item):
        raise _refuse_update(item)
    note = raw_text(turn, "note", NOTE_MAX)
    try:
        state = rule(action_state(item), note)
    except ActionProblem as problem:
        return await _again(turn, item, contract, problem)
    record_change(turn, item, state, kind=kind, note=note)
    return Reply(card=await action_card(turn, item, contract, note=message), replace=True)


@router.action("actions.request_due", ActionRef)
async def ask_for_time(turn: Turn, payload: ActionRef) -> Reply:
    item, contract = await _load(turn, payload.action_id, for_update=True)
    if not _is_owner(turn, item):
        raise Refused("Only the action's owner can ask for a new due date.", reason=f"request_due:{item.id}")
    raw_due, reason = raw_text(turn, "new_due", 20), raw_text(turn, "reason", NOTE_MAX)
    try:
        if raw_due and parse_day(raw_due) is None:
            raise ActionProblem("Enter the date, for example 2026-12-04.", "new_due")
        state = request_due_date(action_state(item), parse_day(raw_due), turn.local_now.date(), reason)
    except ActionProblem as problem:
        return await _again(turn, item, contract, problem)

    def asked(stored: ActionItem) -> None:
        stored.request_reason = reason
        stored.requested_by_id = turn.person.id

    assert state.requested_due_on is not None
    record_change(
        turn,
        item,
        state,
        kind="due_requested",
        note=f"{short_date(state.requested_due_on)}: {reason}",
        extra=asked,
    )
    deciders = [
        p
        for p in await turn.repos.people.people_with_roles(contract.id, DECIDERS)  # type: ignore[arg-type]
        if p.id != turn.person.id
    ]
    for decider in deciders:
        await turn.repos.outbox.enqueue(
            key=f"action.due_requested:{item.id}:{turn.now.isoformat()}:{decider.id}",
            kind="action.due_requested",
            recipient_id=decider.id,
            contract_id=contract.id,
            now=turn.now,
            payload={
                "card": await action_card(
                    turn, item, contract, viewer_id=decider.id, title="A new due date is asked for"
                ),
                "summary": f"{contract.name}: {turn.person.name} asks for a new due date",
            },
        )
    return Reply(
        card=await action_card(
            turn, item, contract, note="Asked. The commissioner will approve or refuse it."
        ),
        replace=True,
        notify=bool(deciders),
    )


@router.action("actions.approve_due", ActionRef)
async def approve(turn: Turn, payload: ActionRef) -> Reply:
    return await _decide(turn, payload, approved=True)


@router.action("actions.refuse_due", ActionRef)
async def refuse(turn: Turn, payload: ActionRef) -> Reply:
    return await _decide(turn, payload, approved=False)


async def _decide(turn: Turn, payload: ActionRef, *, approved: bool) -> Reply:
    item, contract = await _load(turn, payload.action_id, for_update=True)
    if not turn.may(item.contract_id, Permission.MANAGE_ACTIONS):
        raise Refused("Only the commissioner can decide a new due date.", reason=f"decide_due:{item.id}")
    if item.requested_by_id == turn.person.id:  # a commissioner decides a request, but never their own
        raise Refused(
            "Someone else must decide your own request for more time.", reason=f"own_request:{item.id}"
        )
    note = raw_text(turn, "decision_note", NOTE_MAX)
    asked_for = item.requested_due_on
    try:
        state = (
            approve_due_date(action_state(item)) if approved else refuse_due_date(action_state(item), note)
        )
    except ActionProblem as problem:
        if problem.field:
            problem.field = "decision_note"
        return await _again(turn, item, contract, problem)
    requester = item.requested_by_id
    kind = "due_approved" if approved else "due_refused"
    shown = short_date(asked_for) if asked_for else ""

    def cleared(stored: ActionItem) -> None:
        stored.request_reason = ""
        stored.requested_by_id = None

    record_change(turn, item, state, kind=kind, note=f"{shown}{': ' + note if note else ''}", extra=cleared)
    notified = False
    if requester is not None and requester != turn.person.id:
        word = "approved" if approved else "refused"
        await turn.repos.outbox.enqueue(
            key=f"action.{kind}:{item.id}:{turn.now.isoformat()}",
            kind=f"action.{kind}",
            recipient_id=requester,
            contract_id=contract.id,
            now=turn.now,
            payload={
                "card": await action_card(
                    turn, item, contract, viewer_id=requester, title=f"Your new due date ({shown}) was {word}"
                ),
                "summary": f"{contract.name}: new due date {word}",
            },
        )
        notified = True
    message = f"New due date {shown} approved." if approved else "Request refused; the owner is told why."
    return Reply(card=await action_card(turn, item, contract, note=message), replace=True, notify=notified)


@router.action("actions.carry", ActionRef)
async def carry_step(turn: Turn, payload: ActionRef) -> Reply:
    item, contract = await _load(turn, payload.action_id, for_update=True)
    if not turn.may(item.contract_id, Permission.MANAGE_ACTIONS):
        raise Refused(
            "Only the commissioner can carry an action to the quarterly meeting.", reason=f"carry:{item.id}"
        )
    try:
        await carry(turn, item, contract, raw_text(turn, "decision_note", NOTE_MAX))
    except ActionProblem as problem:
        return await _again(turn, item, contract, problem)
    return Reply(
        card=await action_card(
            turn, item, contract, note=f"Carried to the {item.carried_to} quarterly meeting's agenda."
        ),
        replace=True,
    )


@router.action("actions.escalate", ActionRef)
async def escalate_step(turn: Turn, payload: ActionRef) -> Reply:
    item, contract = await _load(turn, payload.action_id, for_update=True)
    if not turn.may(item.contract_id, Permission.MANAGE_ACTIONS):
        raise Refused("Only the commissioner can escalate an action.", reason=f"escalate:{item.id}")
    try:
        notified = await escalate(turn, item, contract, raw_text(turn, "decision_note", NOTE_MAX))
    except ActionProblem as problem:
        return await _again(turn, item, contract, problem)
    return Reply(
        card=await action_card(
            turn, item, contract, note="Escalated to the governance board; the director is told."
        ),
        replace=True,
        notify=notified,
    )


@router.action("actions.log", LogRef)
async def log(turn: Turn, payload: LogRef) -> Reply:
    contracts = turn.contracts_where(Permission.VIEW_MEETING)
    if not contracts:
        raise Refused("You have no role on a contract, so there is no action log to show.", reason="no role")
    if payload.contract_id is None and len(contracts) > 1:
        buttons = [
            execute(c.name[:60], "actions.log", {"contract_id": c.id})
            for c in sorted(contracts, key=lambda c: c.name)
        ]
        return Reply(card=card([heading("Which contract's action log?")], buttons))
    contract = (
        contract_for(turn, payload.contract_id, Permission.VIEW_MEETING)
        if payload.contract_id
        else contracts[0]
    )
    repo = MeetingsRepository(turn.repos.session)
    items = await repo.actions_for([contract.id], include_done=True)  # type: ignore[list-item]
    owners = await repo.people(i.owner_id for i in items)
    return Reply(card=log_card(turn, contract, items, owners))


# -- helpers --------------------------------------------------------------------------------------------------


async def _again(turn: Turn, item: ActionItem, contract: Contract, problem: ActionProblem) -> Reply:
    """The same card with what was typed kept and the problem beside its field; nothing stored."""
    values = {key: raw_text(turn, key, NOTE_MAX) for key in ("note", "new_due", "reason", "decision_note")}
    errors = {problem.field or "_form": problem.message}
    return Reply(card=await action_card(turn, item, contract, values=values, errors=errors), replace=True)


async def _history_lines(turn: Turn, item: ActionItem) -> list[tuple[ActionEvent, str]]:
    repo = MeetingsRepository(turn.repos.session)
    events = await repo.history(item.id)  # type: ignore[arg-type]
    people = await repo.people(e.actor_id for e in events if e.actor_id is not None)
    return [(e, people[e.actor_id].name if e.actor_id in people else "Steward") for e in events]


async def _raised_at(turn: Turn, item: ActionItem) -> str:
    if item.meeting_id is None:
        return ""
    meeting = await MeetingsRepository(turn.repos.session).meeting(item.meeting_id)
    return meeting_title(meeting) if meeting is not None else ""


def where_it_stands(item: ActionItem, today: date) -> str:
    line = standing(action_state(item), today)
    if (
        item.level == ActionLevel.QUARTERLY.value
        and item.carried_to
        and item.status != ActionStatus.DONE.value
    ):
        line = line.replace(
            "carried to the quarterly contract meeting",
            f"carried to the {item.carried_to} quarterly contract meeting",
        )
    return line


async def action_card(
    turn: Turn,
    item: ActionItem,
    contract: Contract,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    note: str | None = None,
    viewer_id: int | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """One action: where it stands, its history, and the buttons the viewer may use."""
    values, errors = values or {}, errors or {}
    viewer = viewer_id if viewer_id is not None else turn.person.id
    today = turn.local_now.date()
    owner = await turn.repos.people.person(item.owner_id)
    is_owner = item.owner_id == viewer
    roles = await turn.repos.people.roles_on(viewer, contract.id)  # type: ignore[arg-type]
    manages = allowed(roles, Permission.MANAGE_ACTIONS)
    state = action_state(item)
    raised = await _raised_at(turn, item)
    pairs = [
        ("Contract", plain(contract.name)),
        ("Owner", plain(owner.name if owner else "")),
        ("Due", short_date(item.due_on) + (" (overdue)" if is_overdue(state, today) else "")),
        ("Status", where_it_stands(item, today)),
    ]
    if raised:
        pairs.append(("Raised at", plain(raised)))
    if item.escalated_at is not None:
        pairs.append(("Escalated", when_text(item.escalated_at, turn.zone)))
    if item.requested_due_on is not None:
        pairs.append(
            ("New due date asked for", f"{short_date(item.requested_due_on)}: {plain(item.request_reason)}")
        )
    body: list[dict[str, Any]] = [
        heading(title or f"Action {item.id}"),
        text(plain(item.description), weight="Bolder"),
    ]
    if note:
        body.append(text(note, color="Good", size="Small"))
    if "_form" in errors:
        body.append(error_text(errors["_form"]))
    body.append(facts(pairs))
    if item.progress:
        body.append(
            container([text("Latest update", weight="Bolder"), text(plain(item.progress))], spacing="Medium")
        )
    actions: list[dict[str, Any]] = []
    ref = {"action_id": item.id}
    if state.is_open:
        if is_owner or manages:
            body.append(
                field(
                    input_text(
                        "note",
                        "Progress or what was done",
                        values.get("note", ""),
                        multiline=True,
                        max_length=NOTE_MAX,
                    ),
                    errors.get("note"),
                    spacing="Medium",
                )
            )
            actions += [
                execute("Update progress", "actions.progress", ref),
                execute("Mark done", "actions.done", ref, style="positive"),
            ]
        if is_owner and not state.awaiting_decision:
            body.append(
                field(date_input("new_due", "New due date", values.get("new_due", "")), errors.get("new_due"))
            )
            body.append(
                field(
                    input_text(
                        "reason", "Why more time is needed", values.get("reason", ""), max_length=NOTE_MAX
                    ),
                    errors.get("reason"),
                )
            )
            actions.append(execute("Ask for a new due date", "actions.request_due", ref))
        if manages:
            deciding = state.awaiting_decision and item.requested_by_id != viewer
            escalating = state.level is not ActionLevel.GOVERNANCE_BOARD
            if deciding or escalating:
                body.append(
                    field(
                        input_text(
                            "decision_note",
                            "Commissioner's note",
                            values.get("decision_note", ""),
                            max_length=NOTE_MAX,
                        ),
                        errors.get("decision_note"),
                        "Needed to refuse a new due date; kept with the action's history.",
                    )
                )
            if deciding:
                actions += [
                    execute("Approve new due date", "actions.approve_due", ref, style="positive"),
                    execute("Refuse new due date", "actions.refuse_due", ref),
                ]
            if state.level is ActionLevel.MONTHLY:
                actions.append(execute("Carry to the quarterly meeting", "actions.carry", ref))
            elif state.level is ActionLevel.QUARTERLY:
                actions.append(
                    execute("Escalate to the governance board", "actions.escalate", ref, style="destructive")
                )
    history = await _history_lines(turn, item)
    lines = []
    for event, who in history[-12:]:
        what = EVENT_WORDS.get(event.kind, event.kind)
        lines.append(
            text(
                f"{when_text(event.at, turn.zone)} · {plain(who)} · {what}"
                + (f": {plain(event.note, 300)}" if event.note else ""),
                size="Small",
                spacing="None",
            )
        )
    body.append(container([text("History", weight="Bolder"), *lines], spacing="Large"))
    actions.append(execute("My actions", "actions.mine"))
    return card(body, actions[:6])


def _summary(item: ActionItem, contract: Contract, today: date, owner: str = "") -> list[dict[str, Any]]:
    who = f"{plain(owner)} · " if owner else ""
    return list_entry(
        plain(item.description, 300),
        f"{plain(contract.name)} · {who}due {short_date(item.due_on)} · {where_it_stands(item, today)}",
        execute("Open", "actions.view", {"action_id": item.id}),
    )


def my_actions_card(
    turn: Turn, owned: list[ActionItem], waiting: list[ActionItem], contracts: dict[int | None, Contract]
) -> dict[str, Any]:
    today = turn.local_now.date()
    body: list[dict[str, Any]] = [heading("Your actions")]
    if owned:
        overdue = sum(1 for a in owned if is_overdue(action_state(a), today))
        body.append(
            text(
                f"{len(owned)} open" + (f", {overdue} overdue." if overdue else "."),
                color="Attention" if overdue else "Default",
            )
        )
        for item in owned[:LIST_LIMIT]:
            body.extend(_summary(item, contracts[item.contract_id], today))
    else:
        body.append(text("You have no open actions."))
    if waiting:
        body.append(text("Waiting for your decision", weight="Bolder", size="Medium", spacing="Large"))
        for item in waiting[:LIST_LIMIT]:
            body.extend(_summary(item, contracts[item.contract_id], today))
    return card(body, [execute("Help", "help")])


def log_card(
    turn: Turn, contract: Contract, items: list[ActionItem], owners: dict[int, Person]
) -> dict[str, Any]:
    today = turn.local_now.date()
    body: list[dict[str, Any]] = [
        heading("Action log"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
    ]
    open_items = [i for i in items if i.status != ActionStatus.DONE.value]
    closed = [i for i in items if i.status == ActionStatus.DONE.value]
    overdue = sum(1 for i in open_items if is_overdue(action_state(i), today))
    body.append(
        facts(
            [
                ("Open", str(len(open_items))),
                ("Overdue", str(overdue)),
                (
                    "With the quarterly meeting",
                    str(sum(i.level == ActionLevel.QUARTERLY.value for i in open_items)),
                ),
                (
                    "With the governance board",
                    str(sum(i.level == ActionLevel.GOVERNANCE_BOARD.value for i in open_items)),
                ),
                ("Done", str(len(closed))),
            ]
        )
    )
    for level in (ActionLevel.GOVERNANCE_BOARD, ActionLevel.QUARTERLY, ActionLevel.MONTHLY):
        group = [i for i in open_items if i.level == level.value]
        if group:
            body.append(text(f"With the {LEVEL_WORDS[level]}", weight="Bolder", spacing="Large"))
            for item in group[:LIST_LIMIT]:
                owner = owners.get(item.owner_id)
                body.extend(_summary(item, contract, today, owner.name if owner else ""))
    if closed:
        body.append(text("Done", weight="Bolder", spacing="Large"))
        for item in closed[-10:]:
            owner = owners.get(item.owner_id)
            body.append(subtle(f"{plain(item.description, 200)} · {plain(owner.name if owner else '')}"))
    if not items:
        body.append(text("No actions yet. Meetings raise them when they are recorded."))
    return card(body, [execute("My actions", "actions.mine")])
