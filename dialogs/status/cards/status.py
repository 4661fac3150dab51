"""A contract's status card: PI and KPI ratings, the last return, the next meeting, what is overdue, the trend."""

from __future__ import annotations

from typing import Any

from commissioning.dates import long_date
from commissioning.standing import KpiStanding, number_text, rag_tally
from dialogs.actions.cards.entry import where_it_stands
from dialogs.base import Turn
from dialogs.cards import card, columns, execute, heading, plain, subtle, text
from dialogs.common import short_date
from dialogs.status.cards.exports import export_part
from dialogs.status.cards.trend import trend_section
from dialogs.status.cards.words import counted, late_words, meeting_words, overdue_words, rating_text
from dialogs.status.context import ContractStanding
from dialogs.status.exports import ExportChoice

TOP_ACTIONS = 3
MONTHS_NAMED = 3


def _section(title: str) -> dict[str, Any]:
    return text(title, weight="Bolder", size="Medium", spacing="Large", separator=True)


def _row(name: str, shown: str, rating: dict[str, Any]) -> dict[str, Any]:
    return columns(
        ([text(name)], "stretch"), ([text(shown, horizontalAlignment="Right")], "auto"), ([rating], "80px")
    )


def _return_part(standing: ContractStanding, turn: Turn) -> list[dict[str, Any]]:
    body = [_section("Performance indicators")]
    latest = standing.latest
    if latest is None:
        body.append(text("No return received yet, so no indicator is rated."))
        return body
    received = f", received {long_date(latest.received.date())}" if latest.received else ""
    amended = f" (amended: version {latest.version})" if latest.version > 1 else ""
    body.append(text(f"Latest return: {latest.month.label}{received}{amended}."))
    body.append(subtle(rag_tally(p.rating for p in standing.pis).words()))
    for pi in standing.pis:
        body.append(
            _row(f"{pi.spec.code} {plain(pi.spec.name)}", pi.shown, rating_text(pi.rating, "no minimum"))
        )
    return body


def kpi_line_words(kpi: KpiStanding) -> str:
    """'Q2 2026/27: 7,800 against a target of 7,500', or why there is no rating."""
    if kpi.quarter is None or kpi.result is None:
        return "–"  # the rating column says why: no result yet, or not started
    target = f" against a target of {number_text(kpi.target)}" if kpi.target is not None else ""
    return f"{kpi.quarter.label}: {number_text(kpi.result)}{target}"


def _kpi_part(standing: ContractStanding) -> list[dict[str, Any]]:
    if not standing.kpis:
        return []
    body = [_section("Key performance indicators")]
    body.append(subtle("Each KPI in its latest quarter with a result."))
    for kpi in standing.kpis:
        body.append(
            _row(
                f"{kpi.kpi.code} {plain(kpi.kpi.name)}",
                kpi_line_words(kpi),
                rating_text(kpi.rating, kpi.words),
            )
        )
    return body


def _meetings_part(standing: ContractStanding, turn: Turn) -> list[dict[str, Any]]:
    body = [_section("Meetings")]
    upcoming = standing.next_meeting
    body.append(
        text(
            f"Next: {meeting_words(upcoming, turn.zone)}." if upcoming else "Next: no review meeting is due."
        )
    )
    for late in standing.overdue_meetings:
        body.append(text(f"⚠ {late_words(late, turn.zone)}.", color="Attention"))
    return body


def _overdue_part(standing: ContractStanding, turn: Turn) -> list[dict[str, Any]]:
    today = turn.local_now.date()
    body = [_section("Overdue"), text(overdue_words(standing))]
    months = standing.overdue_returns
    if months:
        named = ", ".join(m.label for m in months[:MONTHS_NAMED])
        more = f" and {len(months) - MONTHS_NAMED} earlier" if len(months) > MONTHS_NAMED else ""
        body.append(text(f"Returns not in: {named}{more}."))
    actions = standing.overdue_actions
    if actions:
        body.append(text(f"{counted(len(actions), 'action')} past their due date, the most overdue first:"))
        for item in actions[:TOP_ACTIONS]:
            body.append(text(plain(item.description, 300), weight="Bolder", spacing="Small"))
            body.append(subtle(f"due {short_date(item.due_on)} · {where_it_stands(item, today)}"))
            body.append(
                {
                    "type": "ActionSet",
                    "actions": [execute("Open action", "actions.view", {"action_id": item.id})],
                }
            )
    return body


def _plans_part(standing: ContractStanding) -> list[dict[str, Any]]:
    """Each open improvement plan: the indicator, the level by when, its state, steps overdue; a button."""
    plans = standing.improvement_plans
    if not plans:
        return []
    body = [_section("Open improvement plans")]
    for plan in plans:
        late = f" · ⚠ {counted(plan.overdue_steps, 'step')} overdue" if plan.overdue_steps else ""
        body.append(text(f"{plain(plan.code)} {plain(plan.name)}", weight="Bolder", spacing="Small"))
        body.append(
            text(
                f"Reach {plan.level} by {short_date(plan.by)} · {plan.state}{late}",
                spacing="None",
                color="Attention" if plan.overdue_steps else "Default",
            )
        )
        body.append(
            {
                "type": "ActionSet",
                "actions": [
                    execute(f"Open plan for {plan.code}"[:60], "improve.pip_view", {"pip_id": plan.pip_id})
                ],
            }
        )
    return body


def trend_code(standing: ContractStanding, wanted: str | None) -> str | None:
    """The indicator whose trend is drawn: the one asked for, else the first off target, else the first."""
    codes = [spec.code for spec in standing.specs]
    if wanted in codes:
        return wanted
    off_target = [pi.spec.code for pi in standing.pis if pi.rating is not None and pi.rating.value != "green"]
    return off_target[0] if off_target else (codes[0] if codes else None)


def status_card(
    turn: Turn,
    standing: ContractStanding,
    indicator: str | None = None,
    export: ExportChoice | None = None,
) -> dict[str, Any]:
    contract = standing.contract
    body: list[dict[str, Any]] = [
        heading("Contract status"),
        text(f"{plain(contract.name)} ({plain(contract.key)})", weight="Bolder", spacing="None"),
        subtle(f"As at {long_date(turn.local_now.date())}"),
    ]
    body += _return_part(standing, turn)
    body += _kpi_part(standing)
    body += _meetings_part(standing, turn)
    body += _overdue_part(standing, turn)
    body += _plans_part(standing)
    code = trend_code(standing, indicator)
    if code is not None:
        body += trend_section(standing, code)
    body += export_part(turn, standing, export or ExportChoice())
    return card(body, [execute("Portfolio", "status.portfolio"), execute("Help", "help")])
