"""Chasing plans, CIP items and change requests as a specification: from a snapshot and a moment, who is told."""

from __future__ import annotations

from datetime import date, datetime

from commissioning.calendar import WorkingCalendar
from commissioning.deadlines import LONDON, MeetingRules
from commissioning.improvement.changes import ChangeStatus
from commissioning.improvement.cip import CipItem
from commissioning.improvement.pips import Pip
from commissioning.improvement.steps import Step, StepStatus
from commissioning.indicators import Comparison
from commissioning.reminders import (
    ChangeFacts,
    CipFacts,
    ContractFacts,
    ImprovementFacts,
    PipFacts,
    Snapshot,
    due_notices,
)
from commissioning.roles import Side

RULES = MeetingRules(WorkingCalendar())
ANN, BOB, DEE, HAL, OWEN = 1, 2, 3, 4, 5
ROLES = {
    "provider_contact": (BOB,),
    "head_of_service": (HAL,),
    "commissioner": (ANN,),
    "director": (DEE,),
}
VS = ContractFacts(1, "Victim service", date(2026, 4, 1), date(2028, 3, 31), roles=ROLES)
# PI1 back to 90% by 31 October 2026, agreed on 21 July; its one action due Friday 18 September.
PLAN = Pip(
    "PI1",
    "Referrals contacted within 2 days",
    90,
    Comparison.AT_LEAST,
    date(2026, 7, 21),
    date(2026, 10, 31),
    (Step("Recruit two caseworkers", date(2026, 9, 18)),),
)


def london(day: int, month: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=LONDON)


def chased(improvement: ImprovementFacts, moment: datetime) -> list[tuple[str, int, str]]:
    snapshot = Snapshot({1: VS}, improvement=improvement)
    return sorted(
        (n.kind, n.recipient_id, n.due_on.isoformat())
        for n in due_notices(snapshot, moment, RULES)
        if n.kind.startswith(("pip.", "cip.", "change."))
    )


def test_a_plans_action_is_due_soon_to_the_provider_two_working_days_before() -> None:
    plans = ImprovementFacts(pips=(PipFacts(7, 1, PLAN),))

    assert chased(plans, london(15, 9)) == []
    assert chased(plans, london(16, 9)) == [
        ("pip.step_due_soon", BOB, "2026-09-18"),
        ("pip.step_due_soon", HAL, "2026-09-18"),
    ]


def test_overdue_by_three_working_days_the_commissioner_is_told_too() -> None:
    plans = ImprovementFacts(pips=(PipFacts(7, 1, PLAN),))

    assert chased(plans, london(23, 9)) == [
        ("pip.step_escalated", ANN, "2026-09-18"),
        ("pip.step_overdue", BOB, "2026-09-18"),
        ("pip.step_overdue", HAL, "2026-09-18"),
    ]


def test_a_done_action_is_not_chased() -> None:
    done = Step("Recruit two caseworkers", date(2026, 9, 18), StepStatus.DONE, date(2026, 9, 10))
    plans = ImprovementFacts(pips=(PipFacts(7, 1, Pip(**{**_fields(PLAN), "actions": (done,)})),))

    assert chased(plans, london(23, 9)) == []


def test_a_cip_deadline_is_chased_to_its_owner_within_five_working_days() -> None:
    item = CipItem("Evening drop-in", "Owen Owner", date(2026, 11, 30))
    items = ImprovementFacts(items=(CipFacts(3, 1, OWEN, item),))

    assert chased(items, london(20, 11)) == []
    assert chased(items, london(23, 11)) == [("cip.due_soon", OWEN, "2026-11-30")]


def test_a_change_waiting_five_working_days_goes_to_whoever_decides_it() -> None:
    formal = ChangeFacts(
        4, 1, "Move £20,000 to staffing", ChangeStatus.AWAITING_APPROVAL, Side.COMMISSIONER, date(2026, 11, 2)
    )
    informal = ChangeFacts(
        5, 1, "One-to-one support", ChangeStatus.PROPOSED, Side.PROVIDER, date(2026, 11, 2)
    )

    facts = ImprovementFacts(changes=(formal, informal))
    assert chased(facts, london(6, 11)) == []
    assert chased(facts, london(9, 11)) == [
        ("change.awaiting_decision", ANN, "2026-11-09"),
        ("change.awaiting_decision", DEE, "2026-11-09"),
    ]


def _fields(plan: Pip) -> dict[str, object]:
    return {name: getattr(plan, name) for name in Pip.__dataclass_fields__}
