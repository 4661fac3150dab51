"""What each kind of notice says: its title, its lines, the button that opens the right form, its summary line."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from commissioning.dates import long_date
from commissioning.deliverables import BY_CODE
from commissioning.reminders import Notice, kinds
from dialogs.cards import execute, plain, text
from dialogs.reminders.cards.improvement import IMPROVEMENT_BUILDERS
from dialogs.reminders.words import month_label, short, when

VISIT_WORDS = {"audit": "Audit", "monitoring_visit": "Monitoring visit"}
PROVIDER_ROLES = (kinds.PROVIDER_CONTACT, kinds.HEAD_OF_SERVICE)

Built = tuple[str, list[Any], dict[str, Any] | None, str]


def _return_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    month = month_label(notice.ref["month"])
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
            f"{month} return due {short(notice.due_on)}",
            [f"The monthly return for {month} is due on {due}. You can save a draft and finish it later."],
            submit,
            f"{month} return due {short(notice.due_on)}",
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
            f"{month} return due {short(notice.due_on)}, now overdue",
        )
    return (
        f"Escalation: {month} return overdue",
        [f"The {month} monthly return, due {due}"],
        submit,
        f"escalation: {month} return due {short(notice.due_on)}, now overdue",
    )


def _kpi_return_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    label, due = notice.ref["quarter_label"], long_date(notice.due_on)
    ref = {"contract_id": notice.ref["contract_id"], "quarter": notice.ref["quarter"]}
    submit = (
        execute("Submit the KPI return", "kpi_return.start", ref, style="positive")
        if roles & set(PROVIDER_ROLES)
        else None
    )
    if notice.kind == kinds.KPI_RETURN_DUE_SOON:
        title, line, summary = (
            f"{label} KPI return due {short(notice.due_on)}",
            f"The KPI return for {label} is due on {due}.",
            f"{label} KPI return due {short(notice.due_on)}",
        )
    elif notice.kind == kinds.KPI_RETURN_DUE_TODAY:
        title, line, summary = (
            f"{label} KPI return due today",
            f"The KPI return for {label} is due today, {due}.",
            f"{label} KPI return due today",
        )
    elif notice.kind == kinds.KPI_RETURN_OVERDUE:
        title, line, summary = (
            f"{label} KPI return overdue",
            f"The KPI return for {label} was due on {due} and has not been received.",
            f"{label} KPI return due {short(notice.due_on)}, now overdue",
        )
    else:
        title, line, summary = (
            f"Escalation: {label} KPI return overdue",
            f"The {label} KPI return, due {due}",
            f"escalation: {label} KPI return due {short(notice.due_on)}, now overdue",
        )
    return title, [line], submit, summary


def _notice_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    """commissioning/reminders/performance_notices.py: a contract year ended; its notice is drafted for review."""
    name, year = plain(notice.ref["name"]), notice.ref["year"]
    ref = {"contract_id": notice.ref["contract_id"], "year": year}
    review = execute("Review the notice", "notice.card", ref, style="positive")
    lines = [
        f"Year {year} of {name} ended on {long_date(notice.due_on)}.",
        "Steward has drafted its Contract Performance Notice from the year's KPI results: review each "
        "KPI's rating, add any commentary, and export it to publish.",
    ]
    return (
        f"Contract Performance Notice drafted: year {year}",
        lines,
        review,
        f"year {year} performance notice to review",
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
            f"{title} not yet scheduled (due by {short(notice.due_on)})",
        )
    lines: list[Any] = [f"The {title}, due by {deadline}"]
    scheduled = notice.ref.get("scheduled_for")
    if scheduled:
        lines.append(f"It is scheduled for {when(datetime.fromisoformat(scheduled), zone)}.")
    else:
        lines.append("It has not been scheduled.")
    return (
        "Escalation: review meeting not held",
        lines,
        None,
        f"escalation: {title} not held by {short(notice.due_on)}",
    )


def _action_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    what = plain(notice.ref["description"], 300)
    due = long_date(notice.due_on)
    show = execute("Open the action", "actions.view", {"action_id": notice.ref["action_id"]})
    if notice.kind == kinds.ACTION_DUE_SOON:
        return (
            f"Action due {short(notice.due_on)}",
            [f"Your action is due on {due}:", text(what, weight="Bolder")],
            show,
            f"action due {short(notice.due_on)}: {notice.ref['description'][:80]}",
        )
    if notice.kind == kinds.ACTION_OVERDUE:
        return (
            "Action overdue",
            [f"Your action was due on {due} and is still open:", text(what, weight="Bolder")],
            show,
            f"action due {short(notice.due_on)}, now overdue: {notice.ref['description'][:80]}",
        )
    return (
        "Escalation: action overdue",
        [f"Action due {due}: {what}"],
        show if notice.kind == kinds.ACTION_CHAIR else None,
        f"escalation: action due {short(notice.due_on)}, now overdue: {notice.ref['description'][:60]}",
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
            f"The quarterly contract meeting is at {when(meeting_at, zone)}. "
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
        f"{what.lower()} on {short(notice.due_on)}",
    )


def _breach_card(notice: Notice, roles: set[str], zone: tzinfo) -> Built:
    """commissioning/reminders/breaches.py: a plan missed, a miss under a plan, or twice running; with evidence."""
    name, code = plain(notice.ref["name"]), plain(notice.ref["code"])
    periods = notice.ref["periods"]
    reasons = notice.ref.get("reasons", [])
    if notice.ref.get("return_id"):
        view = execute("View the return", "return.view", {"return_id": notice.ref["return_id"]})
    elif notice.ref.get("meeting_id"):
        view = execute("View the minutes", "meeting.view", {"meeting_id": notice.ref["meeting_id"]})
    else:
        view = execute("Open the plan", "improve.pip_view", {"pip_id": notice.ref["pip_id"]})
    if "plan_missed" in reasons:
        what, summary = f"{name} ({code}), its performance improvement plan missed", "improvement plan missed"
    else:
        what, summary = f"{name} ({code}), below its minimum service requirement", "missed again"
    lines: list[Any] = [what]
    if reasons == ["missed_twice_running"] and len(periods) == 2:
        lines.append(
            f"{name} missed its minimum service requirement in {periods[0]} and again in {periods[1]}."
        )
    lines.append(text("Evidence: " + plain(notice.ref.get("evidence", "")), size="Small"))
    return (
        f"Persistent breach: {name}",
        lines,
        view,
        f"persistent breach: {notice.ref['name']}, {summary} ({', '.join(periods)})",
    )


BUILDERS = {
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
    **IMPROVEMENT_BUILDERS,
    kinds.KPI_RETURN_DUE_SOON: _kpi_return_card,
    kinds.KPI_RETURN_DUE_TODAY: _kpi_return_card,
    kinds.KPI_RETURN_OVERDUE: _kpi_return_card,
    kinds.KPI_RETURN_ESCALATED: _kpi_return_card,
    kinds.KPI_RETURN_DIRECTOR: _kpi_return_card,
    kinds.PERFORMANCE_NOTICE_DRAFTED: _notice_card,
}
