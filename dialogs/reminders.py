"""Reminder and escalation cards: act on the spot, acknowledge, or snooze until the next working day."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Annotated, Any

from pydantic import Field

from commissioning.dates import long_date
from commissioning.deadlines import LONDON
from commissioning.deliverables import BY_CODE
from commissioning.periods import Month
from commissioning.reminders import Notice, Snapshot, kinds
from dialogs.base import Payload, Refused, Reply, Router, Turn
from dialogs.cards import card, container, execute, facts, heading, plain, subtle, text
from storage.models import Notification

router = Router("reminders")

MAX_SUMMARY = 20
REMINDER_VERBS = frozenset({"reminder.ack", "reminder.snooze", "reminder.ack_all", "reminder.snooze_all"})
NOT_YOURS = "Only the person this reminder was sent to can acknowledge or snooze it."
VISIT_WORDS = {"audit": "Audit", "monitoring_visit": "Monitoring visit"}
PROVIDER_ROLES = (kinds.PROVIDER_CONTACT, kinds.HEAD_OF_SERVICE)

Key = Annotated[str, Field(min_length=1, max_length=400)]


class ReminderRef(Payload):
    key: Key


class ReminderKeys(Payload):
    keys: list[Key] = Field(min_length=1, max_length=MAX_SUMMARY)


# -- acknowledge and snooze -----------------------------------------------------------------------------------


async def _own(turn: Turn, keys: Sequence[str]) -> list[Notification]:
    """The sender's own reminders with these keys; anyone else's (a forged press) is refused."""
    wanted = list(dict.fromkeys(keys))
    by_key = {n.key: n for n in await turn.repos.outbox.by_keys(wanted)}
    found = []
    for key in wanted:
        notification = by_key.get(key)
        if notification is None or notification.recipient_id != turn.person.id:
            raise Refused(NOT_YOURS, reason="not the recipient")
        found.append(notification)
    return found


def _meta(notification: Notification) -> dict[str, Any] | None:
    meta = notification.payload.get("reminder") if isinstance(notification.payload, dict) else None
    return meta if isinstance(meta, dict) and meta.get("subject") and meta.get("due_on") else None


async def _acknowledge(turn: Turn, notification: Notification) -> None:
    meta = _meta(notification)
    if meta is None:
        return
    due_on = date.fromisoformat(meta["due_on"])
    added = await turn.repos.reminders.acknowledge(
        turn.person.id,
        meta["subject"],
        due_on,
        notification.key,
        turn.now,
    )
    if added:
        turn.repos.audit.record(
            at=turn.now,
            actor_id=turn.person.id,
            action="reminder.acknowledged",
            entity="notification",
            entity_id=notification.id,
            contract_id=notification.contract_id,
            after={"subject": meta["subject"], "due_on": meta["due_on"], "kind": notification.kind},
        )


async def _snooze(turn: Turn, notification: Notification, until: datetime) -> None:
    meta = _meta(notification)
    if meta is None:
        return
    await turn.repos.reminders.snooze(
        turn.person.id,
        meta["subject"],
        until,
        turn.now,
    )
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="reminder.snoozed",
        entity="notification",
        entity_id=notification.id,
        contract_id=notification.contract_id,
        after={"subject": meta["subject"], "until": until.isoformat(), "kind": notification.kind},
    )


def _when(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B}"


@router.action("reminder.ack", ReminderRef)
async def acknowledge(turn: Turn, payload: ReminderRef) -> Reply:
    [notification] = await _own(turn, [payload.key])
    await _acknowledge(turn, notification)
    note = f"You acknowledged this at {_when(turn.now, turn.zone)}."
    if notification.payload.get("reminder", {}).get("before_deadline"):
        note += " Steward won't remind you again before it is due."
    return Reply(card=acted_card(notification.payload.get("card") or {}, note), replace=True)


@router.action("reminder.snooze", ReminderRef)
async def snooze(turn: Turn, payload: ReminderRef) -> Reply:
    [notification] = await _own(turn, [payload.key])
    until = turn.rules.hours.next_working_morning(turn.now)  # a snooze ends when the next working day starts
    await _snooze(turn, notification, until)
    note = f"Snoozed: Steward will remind you again at {_when(until, turn.zone)}."
    return Reply(card=acted_card(notification.payload.get("card") or {}, note), replace=True)


@router.action("reminder.ack_all", ReminderKeys)
async def acknowledge_all(turn: Turn, payload: ReminderKeys) -> Reply:
    notifications = await _own(turn, payload.keys)
    for notification in notifications:
        await _acknowledge(turn, notification)
    note = f"You acknowledged all of these at {_when(turn.now, turn.zone)}."
    return Reply(card=summary_card(_items(notifications), note=note), replace=True)


@router.action("reminder.snooze_all", ReminderKeys)
async def snooze_all(turn: Turn, payload: ReminderKeys) -> Reply:
    notifications = await _own(turn, payload.keys)
    until = turn.rules.hours.next_working_morning(turn.now)  # a snooze ends when the next working day starts
    for notification in notifications:
        await _snooze(turn, notification, until)
    note = f"Snoozed: Steward will remind you again at {_when(until, turn.zone)}."
    return Reply(card=summary_card(_items(notifications), note=note), replace=True)


def _items(notifications: Sequence[Notification]) -> list[tuple[str, dict[str, Any]]]:
    return [(n.key, n.payload) for n in notifications]


def acted_card(original: dict[str, Any], note: str) -> dict[str, Any]:
    """The reminder as it was, saying what the person did, without the acknowledge and snooze buttons."""
    updated = copy.deepcopy(original) if original else card([heading("Reminder")])
    body = updated.setdefault("body", [])
    body.insert(1 if body else 0, text(note, color="Good", weight="Bolder"))
    actions = [a for a in updated.get("actions", []) if a.get("verb") not in REMINDER_VERBS]
    if actions:
        updated["actions"] = actions
    else:
        updated.pop("actions", None)
    return updated


# -- the cards the sweep sends --------------------------------------------------------------------------------


class _Names:
    """Names and mentions from the snapshot the sweep read."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.entities: list[dict[str, Any]] = []

    def mention(self, person_id: int) -> str:
        """`<at>Name</at>` with its entity when Teams knows the person, else the plain name."""
        person = self.snapshot.people.get(person_id)
        if person is None:
            return "someone"
        if not person.teams_id:
            return plain(person.name)
        shown = f"<at>{plain(person.name)}</at>"
        if not any(e["text"] == shown for e in self.entities):
            self.entities.append(
                {"type": "mention", "text": shown, "mentioned": {"id": person.teams_id, "name": person.name}}
            )
        return shown


def _short(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _month_label(key: str) -> str:
    return Month.parse(key).label


def notice_payload(
    notice: Notice, snapshot: Snapshot, *, zone: tzinfo = LONDON, working_days_late: int | None = None
) -> dict[str, Any]:
    """The outbox payload for a notice: its card, a one-line summary, and what acknowledge and snooze need."""
    contract = snapshot.contracts[notice.contract_id]
    names = _Names(snapshot)
    roles = {role for role, people in contract.roles.items() if notice.recipient_id in people}
    title, lines, open_button, line = _BUILDERS[notice.kind](notice, roles, zone)
    body: list[dict[str, Any]] = [heading(title), text(plain(contract.name), weight="Bolder", spacing="None")]
    if notice.escalation:
        body.extend(_escalation_block(notice, names, lines, working_days_late))
    else:
        body.extend(text(item) if isinstance(item, str) else item for item in lines)
        if notice.next_kind and notice.next_on:
            body.append(subtle(_next_words(notice)))
    buttons: list[dict[str, Any]] = []
    if open_button is not None:
        buttons.append(open_button)
    buttons.append(execute("Acknowledge", "reminder.ack", {"key": notice.key}))
    if not notice.urgent:
        buttons.append(execute("Remind me tomorrow", "reminder.snooze", {"key": notice.key}))
    extra = {"msteams": {"entities": names.entities}} if names.entities else {}
    summary = f"{contract.name}: {line}"
    meta: dict[str, Any] = {
        "kind": notice.kind,
        "subject": notice.subject,
        "due_on": notice.due_on.isoformat(),
        "before_deadline": notice.before_deadline,
        "line": summary[:300],
        "open": open_button,
    }
    if notice.escalation:  # a summary card shows an escalation as its own card does: who, and what next
        meta.update(_escalation_meta(notice, names))
    return {"card": card(body, buttons, **extra), "summary": summary[:300], "reminder": meta}


def _escalation_meta(notice: Notice, names: _Names) -> dict[str, Any]:
    """The responsible line (with its mentions) and what happens next, for a summary card to repeat."""
    meta: dict[str, Any] = {"next": f"What happens next: {_next_words(notice)}"}
    if notice.responsible:
        meta["responsible"] = "Responsible: " + ", ".join(names.mention(p) for p in notice.responsible)
        meta["entities"] = list(names.entities)
    return meta


def _escalation_block(
    notice: Notice, names: _Names, lines: list[Any], working_days_late: int | None
) -> list[dict[str, Any]]:
    """What is late, since when, who is responsible (as a mention), and what happens next."""
    what = lines[0] if lines and isinstance(lines[0], str) else ""
    if notice.kind == kinds.PERSISTENT_BREACH:
        pairs = [("What was missed", what), ("Missed in", " and again ".join(notice.ref["periods"]))]
    else:
        # overdue from the first day after the due date: a return due on the 14th is late on the 15th
        late = long_date((notice.since or notice.due_on) + timedelta(days=1))
        if working_days_late is not None and working_days_late > 0:
            late += f" ({working_days_late} working day{'s' if working_days_late != 1 else ''} late)"
        pairs = [("What is late", what), ("Overdue since", late)]
    block: list[dict[str, Any]] = [facts(pairs)]
    if notice.responsible:
        who = ", ".join(names.mention(person) for person in notice.responsible)
        block.append(text(f"Responsible: {who}"))
    block.extend(text(item) if isinstance(item, str) else item for item in lines[1:])
    block.append(text(f"What happens next: {_next_words(notice)}", size="Small"))
    return block


def _next_words(notice: Notice) -> str:
    if notice.next_kind is None or notice.next_on is None:
        if notice.kind == kinds.PERSISTENT_BREACH:
            return (
                "Seed 001 §5.2: a repeated failure is a material or persistent breach. Take it to the "
                "quarterly contract meeting and, where needed, the governance board."
            )
        return "This was the last step: Steward will not escalate it further."
    when = _short(notice.next_on)
    who = {
        kinds.RETURN_ESCALATED: "the head of service and the commissioner will be told",
        kinds.RETURN_DIRECTOR: "the director will be told",
        kinds.MEETING_NOT_HELD: "your manager will be told",
        kinds.ACTION_CHAIR: "the chair of the meeting that raised it will be told",
        kinds.ACTION_MANAGER: "the owner's manager will be told",
    }.get(notice.next_kind, "it will be escalated")
    return f"If it is still outstanding on {when}, {who}."


Built = tuple[str, list[Any], dict[str, Any] | None, str]


def _return_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    month = _month_label(notice.ref["month"])
    due = long_date(notice.due_on)
    submit = (
        execute(
            "Submit the return",
            "return.start",
            {"contract_id": notice.ref["contract_id"], "month": notice.ref["month"]},
            style="positive",
        )
        if roles & set(PROVIDER_ROLES)
        else None
    )
    if notice.kind == kinds.RETURN_DUE_SOON:
        return (
            f"{month} return due {_short(notice.due_on)}",
            [f"The monthly return for {month} is due on {due}. You can save a draft and finish it later."],
            submit,
            f"{month} return due {_short(notice.due_on)}",
        )
    if notice.kind == kinds.RETURN_DUE_TODAY:
        return (
            f"{month} return due today",
            [f"The monthly return for {month} is due today, {due}."],
            submit,
            f"{month} return due today",
        )
    if notice.kind == kinds.RETURN_OVERDUE:
        return (
            f"{month} return overdue",
            [f"The monthly return for {month} was due on {due} and has not been received."],
            submit,
            f"{month} return due {_short(notice.due_on)}, now overdue",
        )
    return (
        f"Escalation: {month} return overdue",
        [f"The {month} monthly return, due {due}"],
        submit,
        f"escalation: {month} return due {_short(notice.due_on)}, now overdue",
    )


def _meeting_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    title = plain(notice.ref["title"])
    deadline = long_date(notice.due_on)
    if notice.kind == kinds.MEETING_UNSCHEDULED:
        plan = execute(
            "Schedule the meeting", "meeting.plan", {"return_id": notice.ref["return_id"]}, style="positive"
        )
        return (
            "Review meeting not yet scheduled",
            [f"The {title} must be held by {deadline}, five working days after the return came in."],
            plan,
            f"{title} not yet scheduled (due by {_short(notice.due_on)})",
        )
    lines: list[Any] = [f"The {title}, due by {deadline}"]
    scheduled = notice.ref.get("scheduled_for")
    if scheduled:
        lines.append(f"It is scheduled for {_when(datetime.fromisoformat(scheduled), zone)}.")
    else:
        lines.append("It has not been scheduled.")
    return (
        "Escalation: review meeting not held",
        lines,
        None,
        f"escalation: {title} not held by {_short(notice.due_on)}",
    )


def _action_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    what = plain(notice.ref["description"], 300)
    due = long_date(notice.due_on)
    show = execute("Open the action", "actions.view", {"action_id": notice.ref["action_id"]})
    if notice.kind == kinds.ACTION_DUE_SOON:
        return (
            f"Action due {_short(notice.due_on)}",
            [f"Your action is due on {due}:", text(what, weight="Bolder")],
            show,
            f"action due {_short(notice.due_on)}: {notice.ref['description'][:80]}",
        )
    if notice.kind == kinds.ACTION_OVERDUE:
        return (
            "Action overdue",
            [f"Your action was due on {due} and is still open:", text(what, weight="Bolder")],
            show,
            f"action due {_short(notice.due_on)}, now overdue: {notice.ref['description'][:80]}",
        )
    return (
        "Escalation: action overdue",
        [f"Action due {due}: {what}"],
        show if notice.kind == kinds.ACTION_CHAIR else None,
        f"escalation: action due {_short(notice.due_on)}, now overdue: {notice.ref['description'][:60]}",
    )


def _deliverables_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    meeting_at = datetime.fromisoformat(notice.ref["meeting_at"])
    gaps = [BY_CODE[code].title for code in notice.ref["missing"] if code in BY_CODE]
    label = notice.ref["quarter_label"]
    checklist = execute(
        "Open the checklist",
        "deliverables.open",
        {"contract_id": notice.ref["contract_id"], "quarter": notice.ref["quarter"]},
        style="positive",
    )
    return (
        f"{label} deliverables still missing",
        [
            f"The quarterly contract meeting is at {_when(meeting_at, zone)}. "
            f"These {len(gaps)} deliverables are needed before it:",
            *[text("• " + plain(title), spacing="None") for title in gaps],
        ],
        checklist,
        f"{len(gaps)} {label} deliverables missing before the quarterly meeting",
    )


def _visit_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    what = VISIT_WORDS.get(notice.ref["visit"], "Visit")
    days = notice.ref["working_days"]
    return (
        f"{what} in {days} working day{'s' if days != 1 else ''}",
        [
            f"The {what.lower()} agreed at the quarterly contract meeting is planned for "
            f"{long_date(notice.due_on)}. Please support and facilitate it fully."
        ],
        execute("View the minutes", "meeting.view", {"meeting_id": notice.ref["meeting_id"]}),
        f"{what.lower()} on {_short(notice.due_on)}",
    )


def _breach_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    name, code = plain(notice.ref["name"]), plain(notice.ref["code"])
    first, second = notice.ref["periods"]
    view = (
        execute("View the return", "return.view", {"return_id": notice.ref["return_id"]})
        if notice.ref.get("return_id")
        else execute("View the minutes", "meeting.view", {"meeting_id": notice.ref["meeting_id"]})
    )
    return (
        f"Persistent breach: {name}",
        [
            f"{name} ({code}), below its minimum service requirement",
            f"{name} missed its minimum service requirement in {first} and again in {second}.",
        ],
        view,
        f"persistent breach: {notice.ref['name']} missed in {first} and {second}",
    )


_BUILDERS = {
    kinds.RETURN_DUE_SOON: _return_card,
    kinds.RETURN_DUE_TODAY: _return_card,
    kinds.RETURN_OVERDUE: _return_card,
    kinds.RETURN_ESCALATED: _return_card,
    kinds.RETURN_DIRECTOR: _return_card,
    kinds.MEETING_UNSCHEDULED: _meeting_card,
    kinds.MEETING_NOT_HELD: _meeting_card,
    kinds.ACTION_DUE_SOON: _action_card,
    kinds.ACTION_OVERDUE: _action_card,
    kinds.ACTION_CHAIR: _action_card,
    kinds.ACTION_MANAGER: _action_card,
    kinds.DELIVERABLES_MISSING: _deliverables_card,
    kinds.VISIT_NOTICE: _visit_card,
    kinds.PERSISTENT_BREACH: _breach_card,
}


# -- summary and delivery reports (built by the dispatcher) ---------------------------------------------------


def summary_card(items: Sequence[tuple[str, dict[str, Any]]], *, note: str | None = None) -> dict[str, Any]:
    """Several waiting items in one message (after downtime, say): a line and an Open button each."""
    body: list[dict[str, Any]] = [
        heading(f"{len(items)} things from Steward"),
        subtle("Gathered into one message rather than one each."),
    ]
    if note:
        body.insert(1, text(note, color="Good", weight="Bolder"))
    keys = []
    entities: list[dict[str, Any]] = []
    for key, payload in items:
        meta = payload.get("reminder") if isinstance(payload.get("reminder"), dict) else None
        body.append(container(_summary_entry(payload, meta or {}, entities)))
        if meta is not None:
            keys.append(key)
    buttons = []
    if keys and note is None:
        buttons = [
            execute("Acknowledge all", "reminder.ack_all", {"keys": keys}),
            execute("Remind me tomorrow", "reminder.snooze_all", {"keys": keys}),
        ]
    extra = {"msteams": {"entities": entities}} if entities else {}
    return card(body, buttons, **extra)


def _summary_entry(
    payload: dict[str, Any], meta: dict[str, Any], entities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One item of a summary card: its line; for an escalation who is responsible and what happens next."""
    line = meta.get("line") or payload.get("summary") or "A message from Steward"
    entry: list[dict[str, Any]] = [text("• " + plain(line, 300), spacing="Medium")]
    if isinstance(meta.get("responsible"), str):
        entry.append(text(meta["responsible"], spacing="None"))  # names already made plain, with mentions
        for entity in meta.get("entities") or []:
            if isinstance(entity, dict) and all(e.get("text") != entity.get("text") for e in entities):
                entities.append(entity)
    if isinstance(meta.get("next"), str):
        entry.append(text(meta["next"], size="Small", spacing="None"))
    open_button = meta.get("open")
    if isinstance(open_button, dict):
        entry.append({"type": "ActionSet", "actions": [open_button]})
    return entry


def summary_payload(items: Sequence[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    return {"card": summary_card(items), "summary": f"{len(items)} things from Steward"}


def report_payload(
    kind: str, *, person: str, about: str, contract: str = "", error: str = "", attempts: int = 0
) -> dict[str, Any]:
    """What an administrator (dead, uncertain) or a commissioner (unreachable) is told about a delivery."""
    pairs = [("To", plain(person)), ("About", plain(about, 300))]
    if contract:
        pairs.insert(0, ("Contract", plain(contract)))
    if kind == "unreachable":
        title = f"{plain(person)} could not be reached"
        lines = [
            f"Steward could not deliver this to {plain(person)}: they have removed Steward from Teams, "
            "or Teams no longer lets Steward reach them.",
            "Until they add Steward again, their reminders wait. Please let them know.",
        ]
        summary = f"{person} could not be reached about: {about}"
    elif kind == "uncertain":
        title = "A message may not have been delivered"
        lines = [
            "Steward sent it but the Bot Connector gave no answer in time, so it may or may not have "
            "arrived. It is not sent again, so nobody sees it twice: if it matters, check with them.",
        ]
        summary = f"Message to {person} may not have been delivered: {about}"
    else:
        title = "A message could not be delivered"
        pairs.append(("Attempts", str(attempts)))
        lines = [
            f"Steward gave up after {attempts} attempts. The last answer was: {plain(error, 300) or 'none'}.",
            "It is kept in the outbox as 'dead'. Check the bot's connection to Teams.",
        ]
        summary = f"Message to {person} could not be delivered: {about}"
    return {
        "card": card([heading(title), facts(pairs), *[text(line) for line in lines]]),
        "summary": summary[:300],
    }
