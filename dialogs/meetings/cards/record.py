"""The record form: everything the meeting decides, in one card; nothing is stored until it all checks out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from commissioning.deadlines import REASON_MAX
from commissioning.indicators import format_value, rag
from commissioning.meetings import FEE_SIGNED_OFF, FEE_WITHHELD
from dialogs import common
from dialogs.base import Turn
from dialogs.cards import card, container, execute, heading, input_number, input_text, plain, subtle, text
from dialogs.common import choice, date_input, meeting_title, short_date, time_input
from dialogs.meetings.cards.kpis import computed_kpis, payment_sentence
from dialogs.meetings.cards.rows import pi_row
from dialogs.meetings.cards.schedule import deadline_text
from dialogs.meetings.context import RecordContext, deadline_of, fates
from dialogs.meetings.payloads import DECISIONS_MAX, NEW_ACTION_ROWS, NOTE_MAX
from storage.contracts import indicator_spec
from storage.models import Indicator
from storage.quarter import WorkedQuarter

ATTENDANCE = [("Attended", "attended"), ("Sent apologies", "apologies"), ("Absent", "absent")]
ATTENDANCE_WORDS = {value: title for title, value in ATTENDANCE}
NOT_THERE = "not_there"
OTHERS_ATTENDANCE = [("Not there", NOT_THERE), ("Attended", "attended")]
ON_THE_CONTRACT = "On the contract"
NOTICE_KINDS = [
    ("None planned", "none"),
    ("Annual audit (§5.3)", "audit"),
    ("Monitoring visit (§5.4)", "monitoring_visit"),
]
FEE_CHOICES = [("Signed off", FEE_SIGNED_OFF), ("Not signed off", FEE_WITHHELD)]
NO_FIGURES = "The return has not been received, so there are no figures to review."
FEE_MET = "Minimum service requirements met: the fee can be signed off."
FEE_NOT_MET = "Minimum service requirements not all met: signing off the fee needs a recorded reason."
OPEN_ACTIONS_SHOWN = 15


@dataclass(frozen=True)
class RecordView:
    """The record form as read or to be shown: the meeting's context, the entries as typed, what is wrong."""

    ctx: RecordContext
    values: dict[str, str]
    errors: dict[str, str]
    held_at: datetime | None = None  # when it was held, once the date and time read as one

    def value(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)

    def field(
        self, element: dict[str, Any], key: str, hint: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        """An input with its hint and the error for `key` beneath it."""
        return common.field(element, self.errors.get(key), hint, **extra)


def record_card(turn: Turn, view: RecordView) -> dict[str, Any]:
    """Everything the meeting decides, in one form: nothing is stored until it all checks out."""
    ctx = view.ctx
    body = [
        *_header(turn, view),
        *_attendance(view),
        *_pi_review(view),
        *_kpi_review(view),
        view.field(
            input_text(
                "decisions", "Decisions", view.value("decisions"), multiline=True, max_length=DECISIONS_MAX
            ),
            "decisions",
            spacing="Large",
        ),
        *_fee(view),
        *_open_actions(view),
        *_new_actions(view),
        *(_quarter_ahead(view) if ctx.quarterly else []),
    ]
    button = execute("Record meeting", "meeting.record", {"meeting_id": ctx.meeting.id}, style="positive")
    return card(body, [button])


def _section(title: str) -> dict[str, Any]:
    return text(title, weight="Bolder", size="Medium", spacing="Large")


def _header(turn: Turn, view: RecordView) -> list[dict[str, Any]]:
    """The title, the deadline, how many entries need correcting, and when the meeting was held."""
    meeting = view.ctx.meeting
    body: list[dict[str, Any]] = [
        heading(f"Record: {meeting_title(meeting)}"),
        text(plain(view.ctx.contract.name), weight="Bolder", spacing="None"),
    ]
    deadline = deadline_of(meeting, turn)
    if deadline:
        body.append(subtle(f"Deadline {deadline_text(deadline, turn)}"))
    if view.errors:
        count = len(view.errors)
        body.append(
            text(
                f"Please correct {count} {'entry' if count == 1 else 'entries'} below. Nothing has been saved yet.",
                color="Attention",
                weight="Bolder",
            )
        )
    body.append(view.field(date_input("held_date", "Held on", view.value("held_date")), "held_date"))
    body.append(view.field(time_input("held_time", "Started at", view.value("held_time")), "held_time"))
    if deadline and not meeting.late_reason:
        reason = input_text(
            "late_reason",
            "Reason, if held after the deadline",
            view.value("late_reason"),
            max_length=REASON_MAX,
        )
        body.append(view.field(reason, "late_reason"))
    return body


def _attendance(view: RecordView) -> list[dict[str, Any]]:
    body = [_section("Attendance")]
    for seat in view.ctx.invitees:
        key = f"att_{seat.person.id}"
        body.append(
            view.field(
                choice(key, plain(seat.person.name), ATTENDANCE, view.value(key)),
                key,
                plain(", ".join(seat.seats)),
            )
        )
    if view.ctx.vacant:
        body.append(subtle("No one holds: " + plain(", ".join(view.ctx.vacant))))
    if view.ctx.others:
        body.append(text("Also on the contract", weight="Bolder", spacing="Medium"))
    for person in view.ctx.others:
        key = f"att_{person.id}"
        body.append(
            view.field(
                choice(key, plain(person.name), OTHERS_ATTENDANCE, view.value(key, NOT_THERE)),
                key,
                plain(person.job_title) or None,
            )
        )
    return body


def _pi_review(view: RecordView) -> list[dict[str, Any]]:
    """Each PI with the return's figure, its rating, and a comment box."""
    ctx = view.ctx
    body = [_section("PI review")]
    if not ctx.values:
        body.append(text(NO_FIGURES, color="Attention"))
    for indicator in ctx.indicators:
        spec = indicator_spec(indicator)
        value = ctx.values.get(indicator.code)
        key = f"pi_note_{indicator.code}"
        comment = view.field(
            input_text(key, comment_label(indicator), view.value(key), max_length=NOTE_MAX), key
        )
        body.append(
            pi_row(
                plain(indicator.name),
                format_value(spec, value) if value is not None else "",
                spec.describe_requirement(),
                rag(spec, value),
                [comment],
            )
        )
    return body


def _kpi_review(view: RecordView) -> list[dict[str, Any]]:
    """The quarter's KPIs: a result and a comment for each; none for a monthly meeting."""
    if view.ctx.worked is not None:
        return _computed_review(view, view.ctx.worked)
    if not view.ctx.kpis:
        return []
    body = [_section("KPI review")]
    for indicator in view.ctx.kpis:
        key, note_key = f"kpi_{indicator.code}", f"kpi_note_{indicator.code}"
        requirement = f"Minimum: {indicator_spec(indicator).describe_requirement()}"
        body.append(
            view.field(_kpi_input(indicator, key, view.value(key)), key, requirement, spacing="Small")
        )
        comment = input_text(note_key, comment_label(indicator), view.value(note_key), max_length=NOTE_MAX)
        body.append(view.field(comment, note_key))
    return body


def _computed_review(view: RecordView, worked: WorkedQuarter) -> list[dict[str, Any]]:
    """The contract's KPIs as the rules worked them out from the returns, each with a comment; the payment."""
    body = [
        _section("KPI review"),
        subtle("Worked out from the monthly returns and the provider's KPI return."),
    ]
    for kpi in computed_kpis(worked):
        note_key = f"kpi_note_{kpi.code}"
        comment = input_text(
            note_key, f"Comment on {kpi.code}: {kpi.name}", view.value(note_key), max_length=NOTE_MAX
        )
        body.append(pi_row(kpi.name, kpi.shown, kpi.target, kpi.rating, [], measure="Target"))
        body.append(view.field(comment, note_key))
    body.append(text(payment_sentence(worked), weight="Bolder", spacing="Medium"))
    return body


def comment_label(indicator: Indicator) -> str:
    """The comment box's label names its indicator, so a reader can tell the boxes apart."""
    return f"Comment on {indicator.code}: {plain(indicator.name)}"


def _kpi_input(indicator: Indicator, key: str, raw: str) -> dict[str, Any]:
    """A number input for the result; the text as typed when it is not a number, so it can be corrected."""
    spec = indicator_spec(indicator)
    label = f"{plain(indicator.name)} (result)"
    number = _number(raw)
    if raw and number is None:
        return input_text(key, label, raw)
    return input_number(key, label, number, minimum=spec.lower_limit, maximum=spec.upper_limit)


def _number(raw: str) -> float | None:
    try:
        number = float(raw) if raw.strip() else None
    except ValueError:
        return None
    return int(number) if number is not None and number.is_integer() else number


def _fee(view: RecordView) -> list[dict[str, Any]]:
    met = view.ctx.met
    reason = input_text(
        "fee_reason",
        "Reason (needed to withhold, or to sign off below the minimum)",
        view.value("fee_reason"),
        multiline=True,
        max_length=REASON_MAX,
    )
    return [
        _section("Monthly service fee"),
        text(FEE_MET if met else FEE_NOT_MET, color="Good" if met else "Attention", size="Small"),
        view.field(choice("fee", "Service fee", FEE_CHOICES, view.value("fee"), expanded=True), "fee"),
        view.field(reason, "fee_reason"),
    ]


def _open_actions(view: RecordView) -> list[dict[str, Any]]:
    """The open actions this meeting may carry or escalate, each with what happens to it."""
    kind = view.ctx.kind
    reviewable = [a for a in view.ctx.open_actions if fates(kind, a)]
    if not reviewable:
        return []
    body = [_section("Open actions")]
    for item in reviewable[:OPEN_ACTIONS_SHOWN]:
        key = f"fate_{item.id}"
        label = f"{plain(item.description, 150)} (due {short_date(item.due_on)})"
        body.append(view.field(choice(key, label, fates(kind, item), view.value(key)), key))
    return body


def _new_actions(view: RecordView) -> list[dict[str, Any]]:
    """Rows for the actions the meeting raises: what, who owns it, when it is due."""
    body = [_section("New actions")]
    owners = [(plain(p.name), str(p.id)) for p in view.ctx.people]
    for row in range(1, NEW_ACTION_ROWS + 1):
        what, owner, due = f"act_{row}_what", f"act_{row}_owner", f"act_{row}_due"
        what_input = input_text(what, f"Action {row}: what", view.value(what), max_length=1000)
        owner_input = choice(owner, "Owner", owners, view.value(owner), placeholder="Choose")
        fields = [
            view.field(what_input, what),
            view.field(owner_input, owner),
            view.field(date_input(due, "Due", view.value(due)), due),
        ]
        body.append(container(fields, spacing="Medium"))
    return body


def _quarter_ahead(view: RecordView) -> list[dict[str, Any]]:
    """The quarterly meeting's last part: missing deliverables, the deep-dive focus, any notice to give."""
    body = [_section("Quarter ahead")]
    if view.ctx.missing:
        missing = f"Deliverables still missing: {', '.join(view.ctx.missing)}"
        body.append(text(missing, color="Attention", size="Small"))
    deep_dive = input_text(
        "deep_dive", "Deep-dive focus for the quarter ahead", view.value("deep_dive"), max_length=REASON_MAX
    )
    notice = choice(
        "notice_kind", "Notice of audit or monitoring visit", NOTICE_KINDS, view.value("notice_kind", "none")
    )
    note = input_text("notice_note", "Notice details", view.value("notice_note"), max_length=REASON_MAX)
    body += [
        view.field(deep_dive, "deep_dive"),
        view.field(notice, "notice_kind"),
        view.field(date_input("notice_date", "Planned for", view.value("notice_date")), "notice_date"),
        view.field(note, "notice_note"),
    ]
    return body
