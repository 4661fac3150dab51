"""The agenda of a coming meeting, built from its objectives and the latest figures, actions and deliverables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commissioning.agenda import ActionLine, AgendaFacts, AgendaItem, IndicatorLine, build_agenda
from commissioning.dates import long_date
from commissioning.deliverables import STATUS_WORDS, DeliverableStatus
from commissioning.indicators import format_value, rag
from commissioning.meetings import MeetingType
from commissioning.periods import Month, Quarter
from commissioning.roles import Permission
from dialogs.base import Turn
from dialogs.cards import card, container, execute, facts, heading, plain, text
from dialogs.common import meeting_title, when_text
from dialogs.improvement.agenda import agenda_improvement, flagged_buttons
from dialogs.meetings.cards.kpis import computed_kpis
from dialogs.meetings.cards.notice import NOTICE_WORDS
from dialogs.meetings.cards.schedule import deadline_text
from dialogs.meetings.context import RecordContext, deadline_of, record_context
from storage.actions import action_state
from storage.contracts import indicator_spec
from storage.meeting_models import Meeting
from storage.models import Contract
from storage.quarter import has_quarter
from storage.repositories import Repositories


async def agenda_card(turn: Turn, meeting: Meeting, contract: Contract) -> dict[str, Any]:
    kind = MeetingType(meeting.kind)
    data = await agenda_facts(turn, meeting, contract)
    items = build_agenda(kind, data, turn.local_now.date())
    pairs = [("Contract", plain(contract.name))]
    if meeting.scheduled_for:
        pairs.append(("When", when_text(meeting.scheduled_for, turn.zone)))
    if meeting.location:
        pairs.append(("Where", plain(meeting.location)))
    deadline = deadline_of(meeting, turn)
    if deadline:
        pairs.append(("Deadline", deadline_text(deadline, turn)))
    body: list[dict[str, Any]] = [heading(f"Agenda: {meeting_title(meeting)}"), facts(pairs)]
    body += [_item(number, item) for number, item in enumerate(items, start=1)]
    body += await flagged_buttons(turn, meeting, contract)
    return card(body, _buttons(turn, meeting, contract, kind))


def _item(number: int, item: AgendaItem) -> dict[str, Any]:
    """One numbered agenda item and its lines, a warning flagged."""
    lines = [text(f"{number}. {item.title}", weight="Bolder", spacing="Medium")]
    for line in item.lines:
        lines.append(
            text(
                ("⚠ " if line.warning else "• ") + line.text,
                spacing="None",
                size="Small",
                **({"color": "Attention"} if line.warning else {}),
            )
        )
    return container(lines)


def _buttons(turn: Turn, meeting: Meeting, contract: Contract, kind: MeetingType) -> list[dict[str, Any]]:
    buttons = []
    if turn.may(contract.id, Permission.RECORD_MEETING) and meeting.status != "held":
        buttons.append(execute("Record the meeting", "meeting.record_open", {"meeting_id": meeting.id}))
    if kind is MeetingType.QUARTERLY_CONTRACT:
        quarter_key = _quarter_key(meeting, contract)
        buttons.append(
            execute("Deliverables", "deliverables.open", {"contract_id": contract.id, "quarter": quarter_key})
        )
        if has_quarter(contract) and turn.may(contract.id, Permission.REVIEW_RETURN):
            buttons.append(
                execute("KPI card", "quarter.card", {"contract_id": contract.id, "quarter": quarter_key})
            )
    buttons.append(execute("Action log", "actions.log", {"contract_id": contract.id}))
    return buttons


def _quarter_key(meeting: Meeting, contract: Contract) -> str:
    return Quarter.containing(Month.of(meeting.period_start), contract.year_start_month).key


async def agenda_facts(turn: Turn, meeting: Meeting, contract: Contract) -> AgendaFacts:
    """The live data behind an agenda: the return's PIs, KPIs, open actions, deliverables, last focus, notices."""
    ctx = await record_context(turn, meeting, contract)
    repos = turn.repos
    improvement = ""
    if ctx.kind is MeetingType.QUARTERLY_CONTRACT:
        improvement = STATUS_WORDS[
            ctx.deliverables.get("improvement_plan", DeliverableStatus.MISSING)
        ].lower()
    actions = await _action_lines(repos, ctx)
    last = await _last_quarterly(turn, repos, meeting, contract)
    return AgendaFacts(
        indicators=_indicator_lines(ctx),
        return_received=bool(ctx.values),
        kpis=_kpi_lines(ctx),
        actions=actions,
        missing_deliverables=list(ctx.missing) if ctx.kind is MeetingType.QUARTERLY_CONTRACT else None,
        improvement_plan=improvement,
        deep_dive_focus=last.deep_dive_focus,
        notices=last.notices,
        improvement=await agenda_improvement(turn, meeting, contract),
    )


def _kpi_lines(ctx: RecordContext) -> list[IndicatorLine]:
    """The quarter's KPIs: worked out by the rules where the contract has `kpis`, else the typed-in kind."""
    if ctx.worked is not None:
        return [
            IndicatorLine(k.name, k.shown if k.value is not None else "", k.rating, k.target)
            for k in computed_kpis(ctx.worked)
        ]
    return [
        IndicatorLine(plain(k.name), "", None, indicator_spec(k).describe_requirement()) for k in ctx.kpis
    ]


def _indicator_lines(ctx: RecordContext) -> list[IndicatorLine]:
    return [
        IndicatorLine(
            plain(i.name),
            format_value(indicator_spec(i), ctx.values[i.code]) if i.code in ctx.values else "",
            rag(indicator_spec(i), ctx.values.get(i.code)),
            indicator_spec(i).describe_requirement(),
        )
        for i in ctx.indicators
    ]


async def _action_lines(repos: Repositories, ctx: RecordContext) -> list[ActionLine]:
    owners = await repos.people.by_ids(a.owner_id for a in ctx.open_actions)
    return [
        ActionLine(
            plain(a.description, 200),
            plain(owners[a.owner_id].name if a.owner_id in owners else ""),
            action_state(a),
        )
        for a in ctx.open_actions
    ]


@dataclass(frozen=True)
class LastQuarterly:
    """What the last quarterly meeting agreed that the next agenda carries."""

    deep_dive_focus: str
    notices: list[str]


async def _last_quarterly(
    turn: Turn, repos: Repositories, meeting: Meeting, contract: Contract
) -> LastQuarterly:
    """The deep-dive focus the last quarterly meeting agreed, and the notices it gave that are still ahead."""
    previous = await repos.meetings.previous_held(
        contract.id, MeetingType.QUARTERLY_CONTRACT.value, meeting.period_start
    )
    if previous is None:
        return LastQuarterly("", [])
    notices: list[str] = []
    if previous.notice_kind and previous.notice_on and previous.notice_on >= turn.local_now.date():
        notices.append(
            f"{NOTICE_WORDS[previous.notice_kind]} planned for {long_date(previous.notice_on)}"
            + (f": {plain(previous.notice_note)}" if previous.notice_note else "")
        )
    return LastQuarterly(plain(previous.deep_dive_focus), notices)
