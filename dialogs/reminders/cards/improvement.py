"""What the improvement notices say: a plan's step, a CIP item's milestone or deadline, a change awaiting a decision."""

from __future__ import annotations

from datetime import tzinfo

from commissioning.dates import long_date
from commissioning.reminders import Notice, kinds
from dialogs.cards import execute, plain, text
from dialogs.reminders.words import short

Built = tuple[str, list[object], dict[str, object] | None, str]


def _pip_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    what, name = plain(notice.ref["what"], 300), plain(notice.ref["name"])
    due = long_date(notice.due_on)
    part = "action" if notice.ref["part"] == "action" else "milestone"
    show = execute("Open the plan", "improve.pip_view", {"pip_id": notice.ref["pip_id"]})
    line = f"improvement plan {part} due {short(notice.due_on)}: {notice.ref['what'][:60]}"
    if notice.kind == kinds.PIP_STEP_DUE_SOON:
        return (
            f"Improvement plan {part} due {short(notice.due_on)}",
            [
                f"The performance improvement plan for {name} has this {part} due on {due}:",
                text(what, weight="Bolder"),
            ],
            show,
            line,
        )
    if notice.kind == kinds.PIP_STEP_OVERDUE:
        return (
            f"Improvement plan {part} overdue",
            [
                f"The performance improvement plan for {name} had this {part} due on {due}:",
                text(what, weight="Bolder"),
            ],
            show,
            line + ", now overdue",
        )
    return (
        "Escalation: improvement plan overdue",
        [f"{name}: {what}, due {due}"],
        show,
        "escalation: " + line,
    )


def _cip_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    what, item = plain(notice.ref["what"], 300), plain(notice.ref["item"], 300)
    due = long_date(notice.due_on)
    show = execute("Open the item", "improve.cip_view", {"cip_id": notice.ref["cip_id"]})
    line = f"improvement item due {short(notice.due_on)}: {notice.ref['what'][:60]}"
    lines: list[object] = [f"Due on {due}:", text(what, weight="Bolder")]
    if what != item:
        lines.append(f"Part of: {item}")
    if notice.kind == kinds.CIP_DUE_SOON:
        return (f"Improvement item due {short(notice.due_on)}", lines, show, line)
    if notice.kind == kinds.CIP_OVERDUE:
        return ("Improvement item overdue", lines, show, line + ", now overdue")
    return ("Escalation: improvement item overdue", [f"{what}, due {due}"], show, "escalation: " + line)


def _change_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    what = plain(notice.ref["what"], 300)
    waiting = "your approval" if notice.ref["status"] == "awaiting_approval" else "your side's agreement"
    since = long_date(notice.since) if notice.since else ""
    return (
        "Change request waiting for a decision",
        [f"This change request has waited for {waiting} since {since}:", text(what, weight="Bolder")],
        execute("Open the change request", "improve.change_view", {"change_id": notice.ref["change_id"]}),
        f"change request waiting since {since}: {notice.ref['what'][:60]}",
    )


IMPROVEMENT_BUILDERS = {
    kinds.PIP_STEP_DUE_SOON: _pip_card,
    kinds.PIP_STEP_OVERDUE: _pip_card,
    kinds.PIP_STEP_ESCALATED: _pip_card,
    kinds.CIP_DUE_SOON: _cip_card,
    kinds.CIP_OVERDUE: _cip_card,
    kinds.CIP_ESCALATED: _cip_card,
    kinds.CHANGE_AWAITING: _change_card,
}
