"""Performance improvement plans: the form the quarterly meeting agrees, one plan's card, the list of plans."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commissioning.dates import long_date
from commissioning.improvement.pips import STATUS_WORDS, Pip, PipStatus, standing
from commissioning.indicators import IndicatorSpec
from dialogs.base import Turn
from dialogs.cards import card, container, error_text, execute, facts, heading, input_text, plain, text
from dialogs.common import choice, date_input, field, list_entry
from dialogs.improvement.cards.parts import history, note_input, step_inputs, step_list
from storage.improvement_models import ImprovementEvent, PipRecord
from storage.models import Contract, Person

EVENT_WORDS = {
    "agreed": "Plan agreed",
    "on_track": "Reported on track",
    "missed": "Declared missed",
    "closed": "Closed",
    "met": "Level reached",
}
AGREED = "Plan agreed. The provider is sent it, and its steps are chased like actions."
STEP_DONE = "Marked done."
ON_TRACK = "Recorded as on track."
MISSED = "Recorded as missed. The director is sent the persistent breach with the evidence."
CLOSED = "Plan closed; the outcome is kept."


def pip_form_card(
    contract: Contract,
    specs: list[IndicatorSpec],
    *,
    code: str = "",
    meeting_id: int | None = None,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The plan as the quarterly meeting agrees it: the indicator, the level, by when, actions, milestones."""
    values, errors = dict(values or {}), errors or {}
    values.setdefault("code", code)
    body: list[dict[str, Any]] = [
        heading("Agree a performance improvement plan"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
        text(
            "The level to reach, by when, at least one action and any milestones (seed 001 §5.2).",
            size="Small",
        ),
    ]
    if "_form" in errors:
        body.append(error_text(errors["_form"]))
    options = [(f"{plain(s.name)} ({s.code})", s.code) for s in specs]
    body.append(field(choice("code", "Indicator", options, values["code"]), errors.get("code")))
    level = input_text("level", "Level to reach", values.get("level", ""), max_length=40)
    body.append(field(level, errors.get("level"), "In the indicator's own unit, for example 90 for 90%."))
    body.append(field(date_input("by", "By", values.get("by", "")), errors.get("by")))
    body += step_inputs("action", "Actions: what the provider will do", values, errors)
    body += step_inputs("milestone", "Milestones", values, errors)
    ref: dict[str, Any] = {"contract_id": contract.id}
    if meeting_id is not None:
        ref["meeting_id"] = meeting_id
    return card(body, [execute("Agree the plan", "improve.pip_agree", ref, style="positive")])


@dataclass(frozen=True)
class PipView:
    """One plan as a viewer sees it: what it is, who may move it, and its history."""

    record: PipRecord
    pip: Pip
    spec: IndicatorSpec
    contract: Contract
    reports: bool  # the viewer may mark steps done and report it on track (provider or commissioner)
    manages: bool  # the viewer may declare it missed or close it (commissioner)
    events: list[ImprovementEvent]
    people: Mapping[int, Person]


def pip_card(
    turn: Turn,
    view: PipView,
    *,
    note: str | None = None,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    values, errors = values or {}, errors or {}
    pip, record = view.pip, view.record
    today = turn.local_now.date()
    body: list[dict[str, Any]] = [
        heading(f"Performance improvement plan {record.id}"),
        text(plain(standing(pip, view.spec, today)), weight="Bolder"),
    ]
    if note:
        body.append(text(note, color="Good", size="Small"))
    if "_form" in errors:
        body.append(error_text(errors["_form"]))
    body.append(
        facts(
            [
                ("Contract", plain(view.contract.name)),
                ("Indicator", f"{plain(pip.name)} ({plain(pip.code)})"),
                ("Agreed", long_date(pip.agreed_on)),
                ("Deadline", long_date(pip.by)),
                ("Status", STATUS_WORDS[pip.status]),
            ]
        )
    )
    if pip.progress:
        body.append(text("Latest: " + plain(pip.progress), size="Small"))
    ref = {"pip_id": record.id}

    def done(part: str) -> Any:
        if not (pip.is_open and view.reports):
            return None
        return lambda n: execute(
            f"{part.capitalize()} {n + 1} done", "improve.pip_step", {**ref, "part": part, "number": n}
        )

    body += step_list("Actions", pip.actions, done("action"))
    body += step_list("Milestones", pip.milestones, done("milestone"))
    buttons = _controls(view, ref, body, values, errors)
    body.append(history(view.events, view.people, turn.zone, EVENT_WORDS))
    buttons.append(execute("Plans", "improve.pips"))
    return card(body, buttons)


def _controls(
    view: PipView,
    ref: dict[str, Any],
    body: list[dict[str, Any]],
    values: Mapping[str, str],
    errors: Mapping[str, str],
) -> list[dict[str, Any]]:
    pip = view.pip
    buttons: list[dict[str, Any]] = []
    if pip.is_open and (view.reports or view.manages):
        body.append(note_input("note", "What has been done, or why it is missed or closed", values, errors))
    if pip.is_open and view.reports:
        buttons.append(execute("On track", "improve.pip_on_track", ref, style="positive"))
    if pip.is_open and view.manages:
        buttons.append(execute("Declare missed", "improve.pip_missed", ref, style="destructive"))
    if not pip.is_open and pip.status is not PipStatus.CLOSED and view.manages:
        body.append(note_input("note", "Why the plan is closed", values, errors))
        buttons.append(execute("Close the plan", "improve.pip_close", ref))
    return buttons


def pips_card(
    turn: Turn, plans: list[tuple[PipRecord, Contract]], may_open: list[Contract]
) -> dict[str, Any]:
    body: list[dict[str, Any]] = [heading("Performance improvement plans")]
    if not plans:
        body.append(text("No plan is open on your contracts."))
    for record, contract in plans[:20]:
        late = " (overdue)" if record.by_on < turn.local_now.date() else ""
        body += list_entry(
            f"{plain(record.name)} ({plain(record.code)}): {STATUS_WORDS[PipStatus(record.status)]}",
            f"{plain(contract.name)} · to reach {record.level:g} by {long_date(record.by_on)}{late}",
            execute("Open", "improve.pip_view", {"pip_id": record.id}),
        )
    buttons = [execute("Agree a new plan", "improve.pip_open")] if may_open else []
    return card(body, buttons)


def flagged_misses(
    contract_id: int, missed: list[tuple[str, str]], meeting_id: int | None, may_open: bool
) -> list[dict[str, Any]]:
    """On a meeting's agenda or minutes: each missed indicator without an open plan, with a button to agree one."""
    if not missed:
        return []
    items: list[dict[str, Any]] = [
        text("Missed: agree a performance improvement plan", weight="Bolder", spacing="Medium")
    ]
    items += [text(f"• {plain(name)} ({plain(code)})", spacing="None", size="Small") for code, name in missed]
    if may_open:
        ref = {"contract_id": contract_id, **({"meeting_id": meeting_id} if meeting_id else {})}
        buttons = [
            execute(f"Plan for {code}", "improve.pip_open", {**ref, "code": code}) for code, _ in missed[:5]
        ]
        items.append({"type": "ActionSet", "actions": buttons})
    return [container(items)]
