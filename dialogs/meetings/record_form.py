"""Reading the record card: every input taken as typed and checked; nothing is stored unless all of it is right."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from commissioning.actions import ActionProblem, new_action
from commissioning.dates import long_date, parse_clock_time, parse_day
from commissioning.deadlines import REASON_MAX, is_late
from commissioning.indicators import validate_values
from commissioning.meetings import FEE_SIGNED_OFF, FEE_WITHHELD, fee_problem, held_problem
from dialogs.base import Turn
from dialogs.common import raw_text
from dialogs.meetings.cards.kpis import computed_kpis
from dialogs.meetings.cards.notice import NOTICE_WORDS
from dialogs.meetings.cards.record import ATTENDANCE_WORDS, NOT_THERE, RecordView
from dialogs.meetings.context import RecordContext, deadline_of, fates
from dialogs.meetings.payloads import DECISIONS_MAX, NEW_ACTION_ROWS, NOTE_MAX
from storage.contracts import indicator_spec


@dataclass
class _Entries:
    """The entries read so far, and what is wrong with them."""

    turn: Turn
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def take(self, key: str, limit: int) -> str:
        self.values[key] = raw_text(self.turn, key, limit)
        if len(self.values[key]) > limit:
            self.errors[key] = f"Keep it under {limit:,} characters."
        return self.values[key]


def read_record(turn: Turn, ctx: RecordContext) -> RecordView:
    """Read and check every input of the record card. Nothing is stored unless there are no errors."""
    entries = _Entries(turn)
    held_at = _read_held(entries, ctx)
    _read_attendance(entries, ctx)
    _read_reviews(entries, ctx)
    entries.take("decisions", DECISIONS_MAX)
    _read_fee(entries, ctx)
    _read_new_actions(entries, ctx)
    _read_open_actions(entries, ctx)
    if ctx.quarterly:
        _read_quarter_ahead(entries, held_at.date() if held_at else None)
    return RecordView(ctx, entries.values, entries.errors, held_at)


def _read_held(entries: _Entries, ctx: RecordContext) -> datetime | None:
    """When it was held (in the people's zone): not in the future, and with a reason if after the deadline."""
    turn, errors = entries.turn, entries.errors
    day, start = parse_day(entries.take("held_date", 20)), parse_clock_time(entries.take("held_time", 20))
    if day is None:
        errors["held_date"] = "Enter the date it was held, for example 2026-11-06."
    if start is None:
        errors["held_time"] = "Enter the time it started, for example 10:00."
    held_at = datetime.combine(day, start, tzinfo=turn.zone) if day and start else None
    if held_at is not None and (problem := held_problem(held_at, turn.now)):
        errors["held_date"] = problem
    deadline = deadline_of(ctx.meeting, turn)
    late_reason = entries.take("late_reason", REASON_MAX)
    if (
        held_at is not None
        and deadline is not None
        and is_late(held_at, deadline)
        and not ctx.meeting.late_reason
        and not late_reason
    ):
        errors["late_reason"] = (
            f"It was held after the deadline ({long_date(deadline.last_day)}). Give the reason; it is recorded."
        )
    return held_at


def _read_attendance(entries: _Entries, ctx: RecordContext) -> None:
    for seat in ctx.invitees:
        key = f"att_{seat.person.id}"
        if entries.take(key, 20) not in ATTENDANCE_WORDS:
            entries.errors[key] = "Choose attended, sent apologies or absent."
    for person in ctx.others:
        key = f"att_{person.id}"
        if (entries.take(key, 20) or NOT_THERE) not in (NOT_THERE, "attended"):
            entries.errors[key] = "Choose attended or not there."


def _read_reviews(entries: _Entries, ctx: RecordContext) -> None:
    """The PI comments; for a quarterly meeting the KPI results, checked like a return's, and their comments."""
    for indicator in ctx.indicators:
        entries.take(f"pi_note_{indicator.code}", NOTE_MAX)
    if ctx.worked is not None:
        for kpi in computed_kpis(ctx.worked):
            entries.take(f"kpi_note_{kpi.code}", NOTE_MAX)
    if not ctx.kpis:
        return
    specs = [indicator_spec(k) for k in ctx.kpis]
    results: dict[str, object] = {k.code: entries.take(f"kpi_{k.code}", 100) for k in ctx.kpis}
    _, kpi_errors = validate_values(specs, results, require_all=False)
    entries.errors.update({f"kpi_{code}": message for code, message in kpi_errors.items()})
    for indicator in ctx.kpis:
        entries.take(f"kpi_note_{indicator.code}", NOTE_MAX)


def _read_fee(entries: _Entries, ctx: RecordContext) -> None:
    fee, reason = entries.take("fee", 20), entries.take("fee_reason", REASON_MAX)
    if (problem := fee_problem(fee, ctx.met, reason)) is not None:
        entries.errors["fee" if fee not in (FEE_SIGNED_OFF, FEE_WITHHELD) else "fee_reason"] = problem


def _read_new_actions(entries: _Entries, ctx: RecordContext) -> None:
    """Each new action row filled in at all needs what, an owner from the contract's people, and a due date."""
    errors = entries.errors
    owners = {str(p.id) for p in ctx.people}
    today = entries.turn.local_now.date()
    for row in range(1, NEW_ACTION_ROWS + 1):
        what, owner, due = (
            entries.take(f"act_{row}_what", 1000),
            entries.take(f"act_{row}_owner", 20),
            entries.take(f"act_{row}_due", 20),
        )
        if not (what or owner or due):
            continue
        if owner not in owners:
            errors[f"act_{row}_owner"] = "Choose who owns it from the contract's people."
        due_day = parse_day(due)
        if due_day is None:
            errors[f"act_{row}_due"] = "Choose the due date."
        try:
            new_action(what, due_day or today, today, ctx.action_level)
        except ActionProblem as problem:
            errors.setdefault(f"act_{row}_{problem.field}", problem.message)


def _read_open_actions(entries: _Entries, ctx: RecordContext) -> None:
    for item in ctx.open_actions:
        options = {value for _, value in fates(ctx.kind, item)}
        if options:
            key = f"fate_{item.id}"
            if entries.take(key, 20) not in options:
                entries.errors[key] = "Choose what happens to this action."


def _read_quarter_ahead(entries: _Entries, day: date | None) -> None:
    """The deep-dive focus, and any notice of an audit or visit: planned for a date after the meeting."""
    errors = entries.errors
    if not entries.take("deep_dive", REASON_MAX):
        errors["deep_dive"] = "Agree the deep-dive focus for the quarter ahead (seed 001 §4.2)."
    kind = entries.take("notice_kind", 20) or "none"
    entries.values["notice_kind"] = kind
    notice_day = parse_day(entries.take("notice_date", 20))
    entries.take("notice_note", REASON_MAX)
    if kind not in {"none", *NOTICE_WORDS}:
        errors["notice_kind"] = "Choose none, an audit or a monitoring visit."
    elif kind in NOTICE_WORDS:
        if notice_day is None:
            errors["notice_date"] = "Give the planned date, so the provider has notice."
        elif day is not None and notice_day <= day:
            errors["notice_date"] = "Notice is given in advance: choose a date after the meeting."
