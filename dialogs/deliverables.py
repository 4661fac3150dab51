"""Quarterly deliverables: the provider's checklist of the eleven (seed 001 §4.4); the commissioner's view of gaps."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from pydantic import Field, field_validator

from commissioning.deliverables import (
    NOTE_MAX,
    REQUIRED_DELIVERABLES,
    STATUS_WORDS,
    Deliverable,
    DeliverableStatus,
    Entry,
    check_entry,
    missing,
)
from commissioning.periods import Quarter, last_completed_quarter
from commissioning.roles import Permission, Role
from dialogs.base import Payload, Refused, Reply, Router, Turn
from dialogs.cards import card, container, execute, facts, heading, input_text, plain, subtle, text
from dialogs.common import PROVIDER_ROLES, choice, contract_for, field, raw_text
from storage.meeting_models import DeliverableRecord
from storage.models import Contract

router = Router("deliverables")
router.command(
    "deliverables.start",
    "deliverables",
    "quarterly deliverables",
    "deliverables checklist",
    help_text="The quarterly deliverables checklist: supply each one, or see what is still missing",
)

LOCATION_MAX = 500
STATUS_CHOICES = [
    ("Missing", DeliverableStatus.MISSING.value),
    ("Supplied", DeliverableStatus.SUPPLIED.value),
    ("Not applicable", DeliverableStatus.NOT_APPLICABLE.value),
]
# Each deliverable's text inputs beneath its status: (input name, label, length limit).
TEXT_INPUTS = (
    ("where", "Link or file name (if supplied)", LOCATION_MAX),
    ("note", "Note", NOTE_MAX),
    ("reason", "Reason (if not applicable)", NOTE_MAX),
)
REVIEWERS = frozenset({Role.COMMISSIONER, Role.PROGRAMME_MANAGER})


class StartDeliverables(Payload):
    contract_id: int | None = Field(default=None, ge=1)


class QuarterRef(Payload):
    contract_id: int = Field(ge=1)
    quarter: str

    @field_validator("quarter")
    @classmethod
    def _quarter(cls, value: str) -> str:
        return Quarter.parse(value).key


def _quarter(turn: Turn, contract: Contract, key: str) -> Quarter:
    """The quarter in the contract's own year; it must have started and fall within the contract."""
    quarter = Quarter.parse(key, contract.year_start_month)
    if quarter.first_day > turn.local_now.date():
        raise Refused(f"{quarter.label} has not started yet.", reason="future quarter")
    if quarter.last_day < contract.starts_on or quarter.first_day > contract.ends_on:
        raise Refused(f"{plain(contract.name)} did not run in {quarter.label}.", reason="outside contract")
    return quarter


def _input(code: str, name: str) -> str:
    return f"dl_{code}_{name}"


# -- steps ----------------------------------------------------------------------------------------------------


@router.action("deliverables.start", StartDeliverables)
async def start(turn: Turn, payload: StartDeliverables) -> Reply:
    contracts = turn.contracts_where(Permission.VIEW_DELIVERABLES)
    if not contracts:
        raise Refused(
            "You have no role on a contract, so there are no deliverables to show.", reason="no role"
        )
    if payload.contract_id is not None:
        contract = contract_for(turn, payload.contract_id, Permission.VIEW_DELIVERABLES)
    elif len(contracts) == 1:
        contract = contracts[0]
    else:
        today = turn.local_now.date()
        buttons = [
            execute(
                c.name[:60],
                "deliverables.open",
                {"contract_id": c.id, "quarter": last_completed_quarter(today, c.year_start_month).key},
            )
            for c in sorted(contracts, key=lambda c: c.name)
        ]
        return Reply(card=card([heading("Which contract's deliverables?")], buttons))
    quarter = last_completed_quarter(turn.local_now.date(), contract.year_start_month)
    return await _show(turn, contract, _quarter(turn, contract, quarter.key))


@router.action("deliverables.open", QuarterRef)
async def open_checklist(turn: Turn, payload: QuarterRef) -> Reply:
    contract = contract_for(turn, payload.contract_id, Permission.VIEW_DELIVERABLES)
    return await _show(turn, contract, _quarter(turn, contract, payload.quarter))


async def _show(turn: Turn, contract: Contract, quarter: Quarter) -> Reply:
    rows = await turn.repos.deliverables.deliverables(contract.id, quarter.first_day)
    if turn.may(contract.id, Permission.SUPPLY_DELIVERABLES):
        return Reply(card=checklist_card(contract, quarter, rows, _values(rows)), replace=True)
    return Reply(card=status_card(turn, contract, quarter, rows), replace=True)


@router.action("deliverables.save", QuarterRef)
async def save(turn: Turn, payload: QuarterRef) -> Reply:
    contract = contract_for(turn, payload.contract_id, Permission.SUPPLY_DELIVERABLES)
    quarter = _quarter(turn, contract, payload.quarter)
    rows = await turn.repos.deliverables.deliverables(contract.id, quarter.first_day)
    form = _read_checklist(turn)
    if form.errors:
        return Reply(
            card=checklist_card(contract, quarter, rows, form.values, errors=form.errors), replace=True
        )
    was_missing = len(_gaps(rows))
    before, after = await _store_checklist(turn, contract, quarter, rows, form.entries)
    if not after:
        return Reply(
            card=checklist_card(contract, quarter, rows, form.values, note="No changes to save."),
            replace=True,
        )
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="deliverables.updated",
        entity="deliverables",
        entity_id=f"{contract.id}:{quarter.key}",
        contract_id=contract.id,
        before=before,
        after=after,
    )
    await turn.repos.session.flush()
    gaps = _gaps(rows)
    notify = bool(was_missing and not gaps) and await _tell_reviewers_complete(turn, contract, quarter, rows)
    done = len(REQUIRED_DELIVERABLES) - len(gaps)
    note = f"Saved. {done} of {len(REQUIRED_DELIVERABLES)} done" + (
        f"; {len(gaps)} still missing." if gaps else "."
    )
    return Reply(
        card=checklist_card(contract, quarter, rows, _values(rows), note=note), replace=True, notify=notify
    )


@dataclass
class _Checklist:
    """The checklist as sent: every input as typed, what is wrong beside which field, the entries that read."""

    values: dict[str, str] = dataclasses.field(default_factory=dict)
    errors: dict[str, str] = dataclasses.field(default_factory=dict)
    entries: dict[str, Entry] = dataclasses.field(default_factory=dict)


def _read_checklist(turn: Turn) -> _Checklist:
    form = _Checklist()
    for deliverable in REQUIRED_DELIVERABLES:
        code = deliverable.code
        status_raw = raw_text(turn, _input(code, "status"), 20) or DeliverableStatus.MISSING.value
        where = raw_text(turn, _input(code, "where"), LOCATION_MAX)
        note = raw_text(turn, _input(code, "note"), NOTE_MAX)
        reason = raw_text(turn, _input(code, "reason"), NOTE_MAX)
        form.values.update(
            {
                _input(code, "status"): status_raw,
                _input(code, "where"): where,
                _input(code, "note"): note,
                _input(code, "reason"): reason,
            }
        )
        try:
            status = DeliverableStatus(status_raw)
        except ValueError:
            form.errors[_input(code, "status")] = "Choose missing, supplied or not applicable."
            continue
        entry = Entry(status, where, note, reason)
        for name, message in check_entry(entry).items():
            form.errors[_input(code, name)] = message
        form.entries[code] = entry
    return form


async def _store_checklist(
    turn: Turn, contract: Contract, quarter: Quarter, rows: dict[str, Any], entries: dict[str, Entry]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write what changed (a deliverable marked missing again loses its record); the changes before and after."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for code, entry in entries.items():
        row = rows.get(code)
        old, new = _snapshot(row), _entry_snapshot(entry)
        if old == new:
            continue
        before[code], after[code] = old, new
        if entry.status is DeliverableStatus.MISSING:
            if row is not None:
                await turn.repos.session.delete(row)
                rows.pop(code)
            continue
        rows[code] = await turn.repos.deliverables.save_deliverable(
            contract_id=contract.id,
            quarter_start=quarter.first_day,
            code=code,
            status=entry.status.value,
            location=new["location"],
            note=new["note"],
            reason=new["reason"],
            by_id=turn.person.id,
            now=turn.now,
            existing=row,
        )
    return before, after


async def _tell_reviewers_complete(
    turn: Turn, contract: Contract, quarter: Quarter, rows: dict[str, Any]
) -> bool:
    """The commissioner side hears that every deliverable is in; True when anyone was told."""
    told = False
    for reviewer in await turn.repos.people.people_with_roles(contract.id, REVIEWERS):
        await turn.repos.outbox.enqueue(
            key=f"deliverables.complete:{contract.id}:{quarter.key}:{turn.now.isoformat()}:{reviewer.id}",
            kind="deliverables.complete",
            recipient_id=reviewer.id,
            contract_id=contract.id,
            now=turn.now,
            payload={
                "card": status_card(turn, contract, quarter, rows, viewer_may_chase=True),
                "summary": f"{contract.name}: every {quarter.label} deliverable is in",
            },
        )
        told = True
    return told


@router.action("deliverables.chase", QuarterRef)
async def chase(turn: Turn, payload: QuarterRef) -> Reply:
    contract = contract_for(turn, payload.contract_id, Permission.MANAGE_ACTIONS)
    quarter = _quarter(turn, contract, payload.quarter)
    rows = await turn.repos.deliverables.deliverables(contract.id, quarter.first_day)
    gaps = _gaps(rows)
    if not gaps:
        return Reply(
            card=status_card(turn, contract, quarter, rows, note="Nothing is missing."), replace=True
        )
    providers = await turn.repos.people.people_with_roles(contract.id, PROVIDER_ROLES)
    today = turn.local_now.date().isoformat()
    asked = []
    for person in providers:
        added = await turn.repos.outbox.enqueue(
            key=f"deliverables.chase:{contract.id}:{quarter.key}:{today}:{person.id}",
            kind="deliverables.chase",
            recipient_id=person.id,
            contract_id=contract.id,
            now=turn.now,
            payload={
                "card": card(
                    [
                        heading(f"Deliverables still needed: {quarter.label}"),
                        text(plain(contract.name), weight="Bolder", spacing="None"),
                        text(
                            f"{plain(turn.person.name)} asks for what is still missing before the quarterly meeting:"
                        ),
                        *[text("• " + d.title, spacing="None") for d in gaps],
                    ],
                    [
                        execute(
                            "Open the checklist",
                            "deliverables.open",
                            {"contract_id": contract.id, "quarter": quarter.key},
                        )
                    ],
                ),
                "summary": f"{contract.name}: {len(gaps)} {quarter.label} deliverables still needed",
            },
        )
        if added:
            asked.append(person.name)
    if asked:
        turn.repos.audit.record(
            at=turn.now,
            actor_id=turn.person.id,
            action="deliverables.chased",
            entity="deliverables",
            entity_id=f"{contract.id}:{quarter.key}",
            contract_id=contract.id,
            after={"missing": [d.code for d in gaps], "asked": asked},
        )
    note = f"Asked {', '.join(asked)} for the {len(gaps)} missing." if asked else "Already asked today."
    return Reply(
        card=status_card(turn, contract, quarter, rows, note=plain(note)), replace=True, notify=bool(asked)
    )


# -- helpers and cards ----------------------------------------------------------------------------------------


def _gaps(rows: dict[str, DeliverableRecord]) -> list[Deliverable]:
    """The required deliverables the stored rows leave missing, in the seed's order."""
    return missing({code: DeliverableStatus(row.status) for code, row in rows.items()})


def _snapshot(row: DeliverableRecord | None) -> dict[str, str]:
    if row is None:
        return {"status": DeliverableStatus.MISSING.value, "location": "", "note": "", "reason": ""}
    return {"status": row.status, "location": row.location, "note": row.note, "reason": row.reason}


def _entry_snapshot(entry: Entry) -> dict[str, str]:
    """Only what the status needs is kept: a reason is not stored with a supplied item, nor a link with N/A."""
    if entry.status is DeliverableStatus.MISSING:
        return {"status": entry.status.value, "location": "", "note": "", "reason": ""}
    supplied = entry.status is DeliverableStatus.SUPPLIED
    return {
        "status": entry.status.value,
        "location": entry.where.strip() if supplied else "",
        "note": entry.note.strip(),
        "reason": "" if supplied else entry.reason.strip(),
    }


def _values(rows: dict[str, DeliverableRecord]) -> dict[str, str]:
    values: dict[str, str] = {}
    for deliverable in REQUIRED_DELIVERABLES:
        snap = _snapshot(rows.get(deliverable.code))
        values[_input(deliverable.code, "status")] = snap["status"]
        values[_input(deliverable.code, "where")] = snap["location"]
        values[_input(deliverable.code, "note")] = snap["note"]
        values[_input(deliverable.code, "reason")] = snap["reason"]
    return values


def checklist_card(
    contract: Contract,
    quarter: Quarter,
    rows: dict[str, DeliverableRecord],
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """The provider's checklist: each item supplied (link or file name, and a note) or not applicable (why)."""
    errors = errors or {}
    gaps = _gaps(rows)
    body: list[dict[str, Any]] = [
        heading(f"Quarterly deliverables: {quarter.label}"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
        subtle("Seed 001 §4.4: needed before the quarterly contract meeting."),
        text(
            f"{len(REQUIRED_DELIVERABLES) - len(gaps)} of {len(REQUIRED_DELIVERABLES)} done; {len(gaps)} missing.",
            color="Attention" if gaps else "Good",
        ),
    ]
    if note:
        body.append(text(note, color="Good", size="Small"))
    if errors:
        body.append(
            text(
                "Please correct the entries below. Nothing has been saved yet.",
                color="Attention",
                weight="Bolder",
            )
        )
    for number, deliverable in enumerate(REQUIRED_DELIVERABLES, start=1):
        code = deliverable.code
        items: list[dict[str, Any]] = [text(f"{number}. {deliverable.title}", weight="Bolder")]
        if deliverable.hint:
            items.append(subtle(deliverable.hint))
        items.append(
            field(
                choice(
                    _input(code, "status"), "Status", STATUS_CHOICES, values.get(_input(code, "status"), "")
                ),
                errors.get(_input(code, "status")),
            )
        )
        for name, label, limit in TEXT_INPUTS:
            key = _input(code, name)
            items.append(
                field(input_text(key, label, values.get(key, ""), max_length=limit), errors.get(key))
            )
        body.append(container(items, spacing="Large", separator=True))
    ref = {"contract_id": contract.id, "quarter": quarter.key}
    return card(body, [execute("Save checklist", "deliverables.save", ref, style="positive")])


def status_card(
    turn: Turn,
    contract: Contract,
    quarter: Quarter,
    rows: dict[str, DeliverableRecord],
    *,
    note: str | None = None,
    viewer_may_chase: bool | None = None,
) -> dict[str, Any]:
    """The commissioner's view: what is in, what does not apply and why, and what is missing."""
    gaps = _gaps(rows)
    body: list[dict[str, Any]] = [
        heading(f"Quarterly deliverables: {quarter.label}"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
        text(
            f"{len(REQUIRED_DELIVERABLES) - len(gaps)} of {len(REQUIRED_DELIVERABLES)} done; {len(gaps)} missing.",
            color="Attention" if gaps else "Good",
            weight="Bolder",
        ),
    ]
    if note:
        body.append(text(note, color="Good", size="Small"))
    if gaps:
        body.append(
            container(
                [
                    text("Missing", weight="Bolder", color="Attention"),
                    *[text("• " + d.title, spacing="None") for d in gaps],
                ],
                spacing="Medium",
            )
        )
    pairs = []
    for deliverable in REQUIRED_DELIVERABLES:
        row = rows.get(deliverable.code)
        if row is None:
            continue
        status = DeliverableStatus(row.status)
        detail = plain(row.location) if status is DeliverableStatus.SUPPLIED else plain(row.reason)
        if row.note:
            detail += f" ({plain(row.note)})"
        pairs.append((deliverable.title, f"{STATUS_WORDS[status]}: {detail}"))
    if pairs:
        body.append(text("In or not applicable", weight="Bolder", spacing="Medium"))
        body.append(facts(pairs))
    may_chase = (
        viewer_may_chase if viewer_may_chase is not None else turn.may(contract.id, Permission.MANAGE_ACTIONS)
    )
    ref = {"contract_id": contract.id, "quarter": quarter.key}
    buttons = (
        [execute("Ask the provider for what is missing", "deliverables.chase", ref)]
        if gaps and may_chase
        else []
    )
    if quarter.previous().last_day >= contract.starts_on:
        buttons.append(
            execute("Earlier quarter", "deliverables.open", {**ref, "quarter": quarter.previous().key})
        )
    return card(body, buttons)
