"""A due notice as its outbox payload: the card, a one-line summary, and what acknowledge and snooze need."""

from __future__ import annotations

from datetime import timedelta, tzinfo
from typing import Any

from commissioning.dates import long_date
from commissioning.deadlines import LONDON
from commissioning.reminders import Notice, Snapshot, kinds
from commissioning.reminders.opened import escalation_words, reminder_words
from dialogs.cards import card, execute, facts, heading, plain, subtle, text
from dialogs.reminders.cards.back import back_payload
from dialogs.reminders.cards.items import BUILDERS
from dialogs.reminders.words import Names, next_words, short


def notice_payload(
    notice: Notice, snapshot: Snapshot, *, zone: tzinfo = LONDON, working_days_late: int | None = None
) -> dict[str, Any]:
    """The outbox payload for a notice: its card, a one-line summary, and what acknowledge and snooze need."""
    if notice.kind == kinds.LEAVE_BACK:
        return back_payload(notice, snapshot, zone)
    contract = snapshot.contracts[notice.contract_id]
    names = Names(snapshot)
    roles = {role for role, people in contract.roles.items() if notice.recipient_id in people}
    title, lines, open_button, line = BUILDERS[notice.kind](notice, roles, zone)
    body: list[dict[str, Any]] = [heading(title), text(plain(contract.name), weight="Bolder", spacing="None")]
    cover = covering_words(notice, snapshot)
    if cover:
        body.append(text(cover, color="Accent", weight="Bolder"))
    opened = _opened_lines(notice, names, zone)
    if notice.escalation:
        body.extend(_escalation_block(notice, names, lines, working_days_late, opened))
    else:
        body.extend(text(item) if isinstance(item, str) else item for item in lines)
        body.extend(text(line) for line in opened)
        if notice.next_kind and notice.next_on:
            body.append(subtle(next_words(notice)))
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
        "opened": opened,
    }
    if notice.covering_for is not None:
        meta.update(covering_for=notice.covering_for, to=_name(snapshot, notice.recipient_id), why=cover)
    if notice.escalation:  # a summary card shows an escalation as its own card does: who, and what next
        meta.update(_escalation_meta(notice, names))
    return {"card": card(body, buttons, **extra), "summary": summary[:300], "reminder": meta}


def covering_words(notice: Notice, snapshot: Snapshot) -> str:
    """Why a stand-in got it: 'Sent to you because Priya Shah is on leave until Monday 4 January.'"""
    if notice.covering_for is None or notice.away_until is None:
        return ""
    who = _name(snapshot, notice.covering_for)
    return f"Sent to you because {who} is on leave until {short(notice.away_until)}."


def _name(snapshot: Snapshot, person_id: int) -> str:
    person = snapshot.people.get(person_id)
    return plain(person.name) if person is not None else "someone"


def _escalation_meta(notice: Notice, names: Names) -> dict[str, Any]:
    """The responsible line (with its mentions) and what happens next, for a summary card to repeat."""
    meta: dict[str, Any] = {"next": f"What happens next: {next_words(notice)}"}
    if notice.responsible:
        meta["responsible"] = "Responsible: " + ", ".join(names.mention(p) for p in notice.responsible)
        meta["entities"] = list(names.entities)
    return meta


def _opened_lines(notice: Notice, names: Names, zone: tzinfo) -> list[str]:
    """Whether the last reminder was opened: the recipient's own, or for an escalation each responsible's."""
    opened = names.snapshot.opened
    if not notice.escalation:
        words = reminder_words(opened.get((notice.recipient_id, notice.subject)), zone)
        return [words] if words else []
    if notice.kind == kinds.PERSISTENT_BREACH:
        return []
    people = names.snapshot.people
    lines = (
        escalation_words(
            plain(people[person].name) if person in people else "someone",
            opened.get((person, notice.subject)),
            notice.kind,
            zone,
        )
        for person in notice.responsible
    )
    return [line for line in lines if line]


def _escalation_block(
    notice: Notice, names: Names, lines: list[Any], working_days_late: int | None, opened: list[str]
) -> list[dict[str, Any]]:
    """What is late, since when, who is responsible (as a mention), and what happens next."""
    what = lines[0] if lines and isinstance(lines[0], str) else ""
    if notice.kind == kinds.PERSISTENT_BREACH:
        pairs = [("What was missed", what), ("Results", ", ".join(notice.ref["periods"]))]
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
        block.extend(text(line) for line in opened)
    block.extend(text(item) if isinstance(item, str) else item for item in lines[1:])
    block.append(text(f"What happens next: {next_words(notice)}", size="Small"))
    return block
