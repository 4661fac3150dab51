"""Meeting agendas: each meeting's objectives from seed 001 (§3.2, §4.2) with the live data that bears on them.

Names and descriptions reach this module as display text already made safe by the caller; the builder
only arranges them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from commissioning.actions import ActionLevel, ActionState, is_overdue
from commissioning.indicators import Rag
from commissioning.meetings import MeetingType

MONTHLY_OBJECTIVES: tuple[str, ...] = (
    "Review outcomes against performance indicators",
    "Demonstrate that key minimum service requirements within the specification are being met",
    "Monitor actions in relation to performance against indicators and continuous improvement plan "
    "that are set at Quarterly Contract Meetings",
    "Review service development and delivery",
    "Understand and monitor risks, issues, opportunities and outliers as relevant to the service",
    "Identify emerging issues and plan accordingly",
    "Gain assurance of fundamental service delivery",
    "Sign off payment of the monthly service fee",
)
QUARTERLY_OBJECTIVES: tuple[str, ...] = (
    "Review outcomes against key performance indicators",
    "Define, agree and approve value of quarterly outcomes-based payments",
    "Where stipulated in the contract, review performance against outcomes for the purpose of "
    "benchmarking in year 1",
    "Assign and monitor actions in relation to performance against indicators and continuous improvement plan",
    "Review continuous improvement plan",
    "Review service development and delivery",
    "Understand and monitor risks, issues, opportunities and outliers as relevant to the service",
    "Identify emerging issues and plan accordingly",
    "Present and review focused deep-dive into a specific area of the service supported in quarter case "
    "studies",
    "Agree deep-dive focus area for quarter ahead",
)
OBJECTIVES: Mapping[MeetingType, tuple[str, ...]] = MappingProxyType(
    {MeetingType.MONTHLY_REVIEW: MONTHLY_OBJECTIVES, MeetingType.QUARTERLY_CONTRACT: QUARTERLY_OBJECTIVES}
)
RAG_WORDS = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    name: str
    shown: str  # the value as people read it, or "" when not reported
    rating: Rag | None
    requirement: str


@dataclass(frozen=True, slots=True)
class ActionLine:
    what: str
    owner: str
    state: ActionState


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    warning: bool = False


@dataclass(frozen=True, slots=True)
class AgendaItem:
    title: str
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True, slots=True)
class StepLine:
    """A milestone or action of a plan or item: what, when due, whether done."""

    what: str
    due_on: date
    done: bool = False


@dataclass(frozen=True, slots=True)
class PlanLine:
    """An open performance improvement plan, in one line (pips.standing), with its steps."""

    standing: str
    by: date
    steps: Sequence[StepLine] = ()


@dataclass(frozen=True, slots=True)
class ItemLine:
    """A continuous improvement plan item the meeting reviews."""

    what: str
    owner: str
    deadline: date
    status: str  # in words: open, in progress, done
    done: bool = False
    steps: Sequence[StepLine] = ()


@dataclass(frozen=True, slots=True)
class AnswerLine:
    """The provider's answer to a red or amber rating, and the ruling on a challenge ("" while awaited)."""

    text: str
    challenge: bool = False
    ruling: str = ""


@dataclass(frozen=True, slots=True)
class Improvement:
    """What the improvement records bring to an agenda (issue 15): plans, CIP items, changes, answers."""

    plans: Sequence[PlanLine] = ()
    items: Sequence[ItemLine] = ()
    changes: Sequence[str] = ()  # each open change request in words
    answers: Sequence[AnswerLine] = ()


@dataclass(frozen=True, slots=True)
class AgendaFacts:
    """The live data an agenda draws on."""

    indicators: Sequence[IndicatorLine] = ()
    return_received: bool = False
    kpis: Sequence[IndicatorLine] = ()
    actions: Sequence[ActionLine] = ()
    missing_deliverables: Sequence[str] | None = None  # None: no checklist applies to this meeting
    improvement_plan: str = ""  # the continuous improvement plan's checklist status
    deep_dive_focus: str = ""  # agreed at the previous quarterly meeting
    notices: Sequence[str] = ()
    improvement: Improvement = Improvement()


def _indicator_lines(lines: Sequence[IndicatorLine], empty: str) -> tuple[Line, ...]:
    if not lines:
        return (Line(empty, warning=True),)
    found = []
    for line in lines:
        if not line.shown:
            found.append(Line(f"{line.name}: not reported (minimum {line.requirement})"))
            continue
        word = f" ({RAG_WORDS[line.rating]})" if line.rating else ""
        found.append(Line(f"{line.name}: {line.shown}{word}", warning=line.rating in (Rag.RED, Rag.AMBER)))
    return tuple(found)


def _shortfalls(lines: Sequence[IndicatorLine]) -> list[str]:
    return [line.name for line in lines if line.rating in (Rag.RED, Rag.AMBER)]


def _action_line(action: ActionLine, today: date, where: str = "") -> Line:
    due = f"due {action.state.due_on.day} {action.state.due_on:%b %Y}"
    late = is_overdue(action.state, today)
    return Line(f"{action.what} ({action.owner}, {due}{', OVERDUE' if late else ''}{where})", warning=late)


def _monitor_actions(actions: Sequence[ActionLine], today: date, kind: MeetingType) -> tuple[Line, ...]:
    open_actions = [a for a in actions if a.state.is_open]
    if not open_actions:
        return (Line("No open actions."),)
    overdue = [a for a in open_actions if is_overdue(a.state, today)]
    lines = [
        Line(
            f"{len(open_actions)} open action{'s' if len(open_actions) != 1 else ''}, "
            f"{len(overdue)} overdue.",
            warning=bool(overdue),
        )
    ]
    carried = [a for a in open_actions if a.state.level is ActionLevel.QUARTERLY]
    board = [a for a in open_actions if a.state.level is ActionLevel.GOVERNANCE_BOARD]
    rest = [a for a in open_actions if a.state.level is ActionLevel.MONTHLY]
    listed_apart = kind is MeetingType.QUARTERLY_CONTRACT and bool(carried)
    if listed_apart:
        lines.append(Line("Escalated from the monthly reviews (not resolved there):"))
        lines.extend(_action_line(a, today) for a in carried)
    if board:
        lines.append(Line("With the governance board:"))
        lines.extend(_action_line(a, today) for a in board)
    others = rest if kind is MeetingType.QUARTERLY_CONTRACT else rest + carried
    others.sort(key=lambda a: (a.state.due_on, a.what))
    if others:
        lines.append(Line("Other open actions:" if (listed_apart or board) else "Open actions:"))
        lines.extend(
            _action_line(
                a, today, ", with the quarterly meeting" if a.state.level is ActionLevel.QUARTERLY else ""
            )
            for a in others
        )
    return tuple(lines)


def _step_lines(steps: Sequence[StepLine], today: date) -> list[Line]:
    lines = []
    for step in steps:
        late = not step.done and step.due_on < today
        state = (
            "done" if step.done else f"due {step.due_on.day} {step.due_on:%b %Y}{', OVERDUE' if late else ''}"
        )
        lines.append(Line(f"  – {step.what} ({state})", warning=late))
    return lines


def _plans(plans: Sequence[PlanLine], today: date) -> list[Line]:
    if not plans:
        return []
    lines = [Line(f"Performance improvement plans open: {len(plans)}.")]
    for plan in plans:
        lines.append(Line(plan.standing, warning=plan.by < today))
        lines.extend(_step_lines(plan.steps, today))
    return lines


def _items(items: Sequence[ItemLine], today: date) -> list[Line]:
    lines = []
    for item in items:
        late = not item.done and item.deadline < today
        due = f"by {item.deadline.day} {item.deadline:%b %Y}{', OVERDUE' if late else ''}"
        lines.append(Line(f"{item.what} ({item.owner}, {item.status}, {due})", warning=late))
        if not item.done:
            lines.extend(_step_lines(item.steps, today))
    return lines


def _answers(answers: Sequence[AnswerLine]) -> list[Line]:
    lines = []
    for answer in answers:
        if answer.challenge and not answer.ruling:
            lines.append(Line(f"Challenged, awaiting the commissioner's ruling: {answer.text}", warning=True))
        elif answer.challenge:
            lines.append(Line(f"Challenged, {answer.ruling}: {answer.text}"))
        else:
            lines.append(Line(f"Explained by the provider: {answer.text}"))
    return lines


def _improvement(kind: MeetingType, found: Improvement, today: date) -> dict[str, tuple[Line, ...]]:
    """Where the plans, CIP items, change requests and rating answers go among the meeting's objectives."""
    if kind is MeetingType.MONTHLY_REVIEW:
        results, monitor, development = MONTHLY_OBJECTIVES[0], MONTHLY_OBJECTIVES[2], MONTHLY_OBJECTIVES[3]
        plans = _plans(found.plans, today) + _items(found.items, today)
        placed = {monitor: tuple(plans)}
    else:
        results, monitor, development = (
            QUARTERLY_OBJECTIVES[0],
            QUARTERLY_OBJECTIVES[3],
            QUARTERLY_OBJECTIVES[5],
        )
        placed = {
            monitor: tuple(_plans(found.plans, today)),
            QUARTERLY_OBJECTIVES[4]: tuple(_items(found.items, today)),
        }
    placed[results] = tuple(_answers(found.answers))
    placed[development] = tuple(Line(f"Change request: {c}") for c in found.changes)
    return {objective: lines for objective, lines in placed.items() if lines}


def build_agenda(kind: MeetingType, facts: AgendaFacts, today: date) -> tuple[AgendaItem, ...]:
    """The meeting's objectives, in the seed's order, each with what the live data says about it."""
    data: dict[str, tuple[Line, ...]] = {}
    if kind is MeetingType.MONTHLY_REVIEW:
        objectives = MONTHLY_OBJECTIVES
        data[objectives[0]] = _indicator_lines(
            facts.indicators if facts.return_received else (), "The monthly return has not been received yet."
        )
        short = _shortfalls(facts.indicators)
        if facts.return_received:
            data[objectives[1]] = (
                (Line("Below the minimum: " + ", ".join(short), warning=True),)
                if short
                else (Line("Every minimum service requirement is met."),)
            )
            data[objectives[7]] = (
                (Line("Minimum service requirements not all met: sign-off needs a recorded reason.", True),)
                if short
                else (Line("Minimum service requirements met: the fee can be signed off."),)
            )
        data[objectives[2]] = _monitor_actions(facts.actions, today, kind)
        if facts.notices:
            data[objectives[6]] = tuple(Line(n) for n in facts.notices)
    else:
        objectives = QUARTERLY_OBJECTIVES
        data[objectives[0]] = _indicator_lines(facts.kpis, "No quarterly KPIs are set up for this contract.")
        data[objectives[3]] = _monitor_actions(facts.actions, today, kind)
        if facts.improvement_plan:
            data[objectives[4]] = (Line(f"Continuous improvement plan: {facts.improvement_plan}."),)
        data[objectives[8]] = (
            (Line(f"Focus agreed last quarter: {facts.deep_dive_focus}"),)
            if facts.deep_dive_focus
            else (Line("No focus was recorded at the last quarterly meeting."),)
        )
    for objective, lines in _improvement(kind, facts.improvement, today).items():
        data[objective] = data.get(objective, ()) + lines
    items = [AgendaItem(objective, data.get(objective, ())) for objective in objectives]
    if kind is MeetingType.QUARTERLY_CONTRACT:
        if facts.missing_deliverables is not None:
            missing = facts.missing_deliverables
            items.insert(
                0,
                AgendaItem(
                    "Required deliverables",
                    (Line(f"Missing ({len(missing)}): " + ", ".join(missing), warning=True),)
                    if missing
                    else (Line("Every required deliverable is in, or marked not applicable."),),
                ),
            )
        items.append(
            AgendaItem(
                "Notice of audit or monitoring visits",
                tuple(Line(n) for n in facts.notices)
                or (Line("Give notice here of any audit or monitoring visit planned."),),
            )
        )
    return tuple(items)
