"""The reminder rules as a specification: from a snapshot and a moment, which notices are due, for whom."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from commissioning.calendar import WorkingCalendar
from commissioning.deadlines import LONDON, MeetingRules
from commissioning.improvement.flags import PeriodResult
from commissioning.periods import Month, Quarter
from commissioning.reminder_policy import default_policy
from commissioning.reminders import (
    ActionFacts,
    ContractFacts,
    ImprovementFacts,
    MeetingFacts,
    PersonFacts,
    ResultFacts,
    ReturnFacts,
    Snapshot,
    WorkingHours,
    due_notices,
    working_days_before,
)

CAL = WorkingCalendar()
RULES = MeetingRules(CAL)
ANN, BOB, DEE, HAL, OWEN = 1, 2, 3, 4, 5
PEOPLE = {
    ANN: PersonFacts(ANN, "Ann Commissioner", manager_id=DEE, teams_id="29:ann"),
    BOB: PersonFacts(BOB, "Bob Provider", manager_id=HAL, teams_id="29:bob"),
    DEE: PersonFacts(DEE, "Dee Director"),
    HAL: PersonFacts(HAL, "Hal Head"),
    OWEN: PersonFacts(OWEN, "Owen Owner", manager_id=None),
}
ROLES = {
    "provider_contact": (BOB,),
    "head_of_service": (HAL,),
    "commissioner": (ANN,),
    "director": (DEE,),
}
VS = ContractFacts(1, "Victim service", date(2026, 4, 1), date(2028, 3, 31), roles=ROLES)


def london(day: int, month: int, hour: int = 10, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


def due(snapshot: Snapshot, moment: datetime, kind: str = "") -> list[tuple[str, int, str]]:
    """(kind, recipient, due date) of the notices due, only those whose kind starts with `kind`."""
    return [
        (n.kind, n.recipient_id, n.due_on.isoformat())
        for n in due_notices(snapshot, moment, RULES)
        if n.kind.startswith(kind)
    ]


def received(month: str, at: datetime, return_id: int = 10) -> ReturnFacts:
    return ReturnFacts(1, Month.parse(month), return_id, at, at)


# August's and September's returns are in and their meetings held: only what a test adds is outstanding.
ALL_OCTOBER = (received("2026-09", london(5, 10)), received("2026-08", london(3, 9)))
HELD = (
    MeetingFacts(101, 1, "monthly_review", date(2026, 8, 1), "August 2026", "held"),
    MeetingFacts(102, 1, "quarterly_contract", date(2026, 7, 1), "Q2 2026/27", "held"),
)


def snap(
    *returns: ReturnFacts,
    meetings: tuple[MeetingFacts, ...] = (),
    contract: ContractFacts = VS,
    **extra: object,
) -> Snapshot:
    return Snapshot({1: contract}, PEOPLE, (*ALL_OCTOBER, *returns), (*HELD, *meetings), **extra)  # type: ignore[arg-type]


# -- working hours --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "opens"),
    [
        # Inside working hours: at once.
        (datetime(2026, 11, 3, 10, 0, tzinfo=UTC), datetime(2026, 11, 3, 10, 0, tzinfo=UTC)),
        # Before 09:00 London in summer time: 09:00 BST is 08:00 UTC.
        (datetime(2026, 10, 22, 6, 0, tzinfo=UTC), datetime(2026, 10, 22, 8, 0, tzinfo=UTC)),
        # Friday evening before the clocks go back (Sunday 25 October): Monday 09:00 GMT is 09:00 UTC.
        (datetime(2026, 10, 23, 17, 0, tzinfo=UTC), datetime(2026, 10, 26, 9, 0, tzinfo=UTC)),
        # Easter Saturday, before the clocks go forward on Sunday 28 March 2027: after Easter Monday,
        # Tuesday 09:00 BST, which is 08:00 UTC.
        (datetime(2027, 3, 27, 12, 0, tzinfo=UTC), datetime(2027, 3, 30, 8, 0, tzinfo=UTC)),
        # 17:30 exactly is closed; Christmas Eve evening waits for Tuesday 29 December.
        (datetime(2026, 12, 24, 17, 30, tzinfo=UTC), datetime(2026, 12, 29, 9, 0, tzinfo=UTC)),
    ],
    ids=["open", "early-summer", "over-the-autumn-change", "over-easter-and-the-spring-change", "christmas"],
)
def test_non_urgent_notices_wait_for_the_next_working_hours_on_the_london_clock(
    moment: datetime, opens: datetime
) -> None:
    assert WorkingHours(calendar=CAL).next_open(moment) == opens


def test_working_hours_come_from_the_policy() -> None:
    policy = default_policy().with_overrides(None)
    hours = WorkingHours.of(policy, LONDON, CAL)

    assert (hours.start, hours.end) == (time(9, 0), time(17, 30))
    assert not hours.is_open(datetime(2026, 11, 7, 12, tzinfo=UTC))  # a Saturday


def test_working_days_before_skips_weekends_and_never_counts_the_day_itself() -> None:
    assert working_days_before(CAL, date(2026, 11, 13), 3) == date(2026, 11, 10)
    assert working_days_before(CAL, date(2026, 11, 9), 1) == date(2026, 11, 6)
    assert working_days_before(CAL, date(2026, 11, 9), 0) == date(2026, 11, 9)


# -- monthly returns ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (london(9, 11), []),
        (london(10, 11), [("return.due_soon", BOB, "2026-11-13")]),
        (london(13, 11), [("return.due_today", BOB, "2026-11-13")]),
        (london(14, 11), [("return.overdue", BOB, "2026-11-13")]),
        (
            london(18, 11),
            [
                ("return.overdue", BOB, "2026-11-13"),
                ("return.escalated", ANN, "2026-11-13"),
                ("return.escalated", HAL, "2026-11-13"),
            ],
        ),
        (
            london(27, 11),
            [
                ("return.overdue", BOB, "2026-11-13"),
                ("return.escalated", ANN, "2026-11-13"),
                ("return.escalated", HAL, "2026-11-13"),
                ("return.director", DEE, "2026-11-13"),
            ],
        ),
    ],
    ids=["too-early", "due-soon", "due-today", "overdue", "escalated", "director"],
)
def test_an_outstanding_return_is_at_one_stage_per_person(
    moment: datetime, expected: list[tuple[str, int, str]]
) -> None:
    snapshot = snap()

    assert sorted(due(snapshot, moment)) == sorted(expected)


def test_after_downtime_a_week_late_return_yields_its_overdue_and_escalation_not_the_stale_due_soon() -> None:
    snapshot = snap()

    kinds = {kind for kind, _, _ in due(snapshot, london(20, 11))}

    assert kinds == {"return.overdue", "return.escalated"}


def test_a_received_return_is_not_chased_but_a_draft_is() -> None:
    draft = ReturnFacts(1, Month(2026, 10), 11)
    done = received("2026-10", london(12, 11), return_id=11)

    assert due(snap(draft), london(13, 11)) == [("return.due_today", BOB, "2026-11-13")]
    assert due(snap(done), london(13, 11)) == []


def test_a_contract_that_had_not_started_owes_no_return() -> None:
    later = ContractFacts(1, "New service", date(2026, 11, 1), date(2028, 3, 31), roles=ROLES)

    assert due(Snapshot({1: later}, PEOPLE), london(13, 11)) == []


def test_a_contract_override_moves_the_due_date_and_with_it_the_key() -> None:
    moved = ContractFacts(
        1,
        "Victim service",
        date(2026, 4, 1),
        date(2028, 3, 31),
        policy=default_policy().with_overrides({"monthly_return": {"due_working_day": 8}}),
        roles=ROLES,
    )
    before = due_notices(snap(), london(11, 11), RULES)
    after = due_notices(snap(contract=moved), london(11, 11), RULES)

    assert [(n.kind, n.due_on) for n in before] == [("return.due_soon", date(2026, 11, 13))]
    assert [(n.kind, n.due_on) for n in after] == [("return.due_today", date(2026, 11, 11))]
    assert before[0].key == f"remind:return.due_soon:return:1:2026-10:2026-11-13:{BOB}"
    assert after[0].key == f"remind:return.due_today:return:1:2026-10:2026-11-11:{BOB}"


def test_nothing_is_chased_more_than_the_policy_allows_after_its_date() -> None:
    snapshot = Snapshot({1: VS}, PEOPLE, ())  # nothing ever received since April

    periods = {n.subject for n in due_notices(snapshot, london(16, 11), RULES)}

    # 60 days back from 16 November: September's (due 14 October) is chased, August's (due 14 September) is not.
    assert periods == {"return:1:2026-09", "return:1:2026-10"}


# -- snoozes and acknowledgements -----------------------------------------------------------------------------


def test_a_snooze_quietens_the_person_until_it_ends_then_reminds_once_more() -> None:
    until = datetime(2026, 11, 11, 9, tzinfo=LONDON)
    snapshot = snap(snoozes={(BOB, "return:1:2026-10"): until})

    assert due(snapshot, london(10, 11, 15)) == []
    [again] = due_notices(snapshot, london(11, 11, 9), RULES)
    assert again.kind == "return.due_soon"
    assert again.key.endswith("~20261111T0900")  # a new key: the reminder comes once more


def test_an_acknowledgement_stops_reminders_before_the_deadline_but_not_the_overdue_one() -> None:
    snapshot = snap(acknowledged=frozenset({(BOB, "return:1:2026-10", date(2026, 11, 13))}))

    assert due(snapshot, london(13, 11)) == []
    assert due(snapshot, london(16, 11)) == [("return.overdue", BOB, "2026-11-13")]


# -- review meetings ------------------------------------------------------------------------------------------


def _with_meeting(status: str = "scheduled", scheduled_for: datetime | None = None) -> Snapshot:
    october = received("2026-10", london(3, 11), return_id=20)
    meeting = MeetingFacts(7, 1, "monthly_review", date(2026, 10, 1), "October 2026", status, scheduled_for)
    return snap(october, meetings=(meeting,))


def test_a_review_meeting_not_scheduled_two_working_days_after_receipt_goes_to_the_commissioner() -> None:
    snapshot = snap(received("2026-10", london(3, 11), return_id=20))

    assert due(snapshot, london(4, 11)) == []
    assert due(snapshot, london(5, 11)) == [("meeting.unscheduled", ANN, "2026-11-10")]


def test_once_scheduled_the_meeting_is_not_chased_until_its_deadline_passes_unheld() -> None:
    snapshot = _with_meeting(scheduled_for=london(9, 11))

    assert due(snapshot, london(5, 11), "visit") == []
    # Deadline Tuesday 10 November; not recorded as held by the next working day: Ann's manager, Dee.
    assert due(snapshot, london(11, 11)) == [("meeting.not_held", DEE, "2026-11-10")]


def test_a_held_meeting_is_not_chased() -> None:
    assert due(_with_meeting(status="held", scheduled_for=london(9, 11)), london(11, 11)) == []


def test_without_a_manager_the_meeting_escalation_goes_to_the_director() -> None:
    people = {**PEOPLE, ANN: PersonFacts(ANN, "Ann Commissioner")}
    snapshot = Snapshot(
        {1: VS}, people, (*ALL_OCTOBER, received("2026-10", london(3, 11), return_id=20)), HELD
    )

    assert ("meeting.not_held", DEE, "2026-11-10") in due(snapshot, london(11, 11))


# -- actions --------------------------------------------------------------------------------------------------


def _action(owner: int = BOB, chair: int | None = ANN, due_on: date = date(2026, 11, 13)) -> Snapshot:
    item = ActionFacts(30, 1, "Send the referral data", owner, due_on, chair)
    return snap(actions=(item,))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (10, []),
        (11, [("action.due_soon", BOB)]),
        (13, [("action.due_soon", BOB)]),
        (16, [("action.overdue", BOB)]),
        (18, [("action.overdue", BOB), ("action.chair", ANN)]),
        (25, [("action.overdue", BOB), ("action.chair", ANN), ("action.manager", HAL)]),
    ],
    ids=["early", "due-soon", "due-day", "overdue", "chair", "manager"],
)
def test_an_action_goes_to_its_owner_then_the_chair_then_the_owners_manager(
    day: int, expected: list[tuple[str, int]]
) -> None:
    found = [(kind, person) for kind, person, _ in due(_action(), london(day, 11), "action.")]

    assert sorted(found) == sorted(expected)


def test_an_action_whose_owner_chaired_goes_straight_to_the_manager() -> None:
    found = [(kind, person) for kind, person, _ in due(_action(chair=BOB), london(25, 11), "action.")]

    assert sorted(found) == [("action.manager", HAL), ("action.overdue", BOB)]


def test_moving_an_actions_due_date_moves_its_reminders() -> None:
    [before] = [n for n in due_notices(_action(), london(12, 11), RULES) if n.kind.startswith("action")]
    [after] = [
        n
        for n in due_notices(_action(due_on=date(2026, 11, 20)), london(19, 11), RULES)
        if n.kind.startswith("action")
    ]

    assert before.key != after.key
    assert after.key == f"remind:action.due_soon:action:30:2026-11-20:{BOB}"


# -- deliverables and visits ----------------------------------------------------------------------------------


def _quarterly(when: datetime, done: frozenset[str] = frozenset()) -> Snapshot:
    meeting = MeetingFacts(8, 1, "quarterly_contract", date(2026, 7, 1), "Q2 2026/27", "scheduled", when)
    return snap(meetings=(meeting,), deliverables={(1, date(2026, 7, 1)): done})


def test_missing_deliverables_are_chased_five_working_days_before_the_quarterly_meeting() -> None:
    meeting_at = london(17, 11, 10)

    assert due(_quarterly(meeting_at), london(9, 11), "deliverables") == []
    [notice] = [
        n for n in due_notices(_quarterly(meeting_at), london(10, 11), RULES) if n.kind.startswith("deliv")
    ]
    assert (notice.kind, notice.recipient_id, notice.subject) == (
        "deliverables.missing",
        BOB,
        "deliverables:1:2026Q2",
    )
    assert len(notice.ref["missing"]) == 11


def test_nothing_is_chased_once_every_deliverable_is_in() -> None:
    from commissioning.deliverables import REQUIRED_DELIVERABLES

    everything = frozenset(d.code for d in REQUIRED_DELIVERABLES)

    assert due(_quarterly(london(17, 11, 10), everything), london(12, 11), "deliverables") == []


def test_a_visit_is_reminded_ten_and_one_working_days_before_never_before_notice_was_given() -> None:
    meeting = MeetingFacts(
        9,
        1,
        "quarterly_contract",
        date(2026, 7, 1),
        "Q2 2026/27",
        "held",
        london(20, 10),
        recorded_at=london(20, 10),
        notice_kind="monitoring_visit",
        notice_on=date(2026, 11, 20),
    )
    snapshot = snap(meetings=(meeting,))

    assert due(snapshot, london(5, 11), "visit") == []
    assert sorted(due(snapshot, london(6, 11), "visit")) == [
        ("visit.notice", BOB, "2026-11-20"),
        ("visit.notice", HAL, "2026-11-20"),
    ]
    assert {n.stage for n in due_notices(snapshot, london(6, 11), RULES) if n.stage} == {"10wd"}
    assert {n.stage for n in due_notices(snapshot, london(19, 11), RULES) if n.stage} == {"1wd"}
    assert due(snapshot, london(21, 11), "visit") == []


def test_a_visit_reminder_that_would_fall_before_notice_was_given_is_skipped() -> None:
    meeting = MeetingFacts(
        9,
        1,
        "quarterly_contract",
        date(2026, 7, 1),
        "Q2 2026/27",
        "held",
        london(16, 11),
        recorded_at=london(16, 11),  # notice given six working days before the visit
        notice_kind="audit",
        notice_on=date(2026, 11, 24),
    )
    snapshot = snap(meetings=(meeting,))

    assert due(snapshot, london(16, 11, 15), "visit") == []
    assert {n.stage for n in due_notices(snapshot, london(23, 11), RULES) if n.stage} == {"1wd"}


# -- persistent breach (the rule: commissioning/improvement/breaches.py) ---------------------------------------


def result(
    code: str, period: Month | Quarter, value: float, on: datetime, *, return_id: int = 10
) -> ResultFacts:
    """A result against a requirement of at least 150 (PI4) or 80 (KPI1), reported on `on`."""
    requirement = 150.0 if code == "PI4" else 80.0
    return ResultFacts(
        1,
        PeriodResult(code, "High-risk" if code == "PI4" else "Cope", period, value, requirement),
        on.date(),
        return_id,
    )


def test_the_same_indicator_missed_two_months_running_goes_to_the_director_at_once() -> None:
    results = (
        result("PI4", Month.parse("2026-09"), 120, london(5, 10), return_id=1),
        result("PI4", Month.parse("2026-10"), 130, london(4, 11), return_id=2),
    )
    snapshot = Snapshot({1: VS}, PEOPLE, improvement=ImprovementFacts(results=results))

    [notice] = [n for n in due_notices(snapshot, london(4, 11, 20), RULES) if n.kind.startswith("breach")]

    assert (notice.kind, notice.recipient_id, notice.urgent, notice.responsible) == (
        "breach.persistent",
        DEE,
        True,
        (HAL,),
    )
    assert (notice.subject, notice.due_on) == ("breach:1:PI4:2026-10", date(2026, 11, 4))
    assert notice.ref["periods"] == ["September 2026", "October 2026"]
    assert notice.ref["evidence"] == (
        "High-risk (PI4): missed in two periods running. September 2026: 120 against 150; "
        "October 2026: 130 against 150."
    )


def test_a_miss_in_months_that_are_not_consecutive_is_not_a_persistent_breach() -> None:
    results = (
        result("PI4", Month.parse("2026-08"), 120, london(5, 9)),
        result("PI4", Month.parse("2026-09"), 160, london(5, 10)),
        result("PI4", Month.parse("2026-10"), 120, london(4, 11)),
    )
    snapshot = Snapshot({1: VS}, PEOPLE, improvement=ImprovementFacts(results=results))

    assert [n for n in due_notices(snapshot, london(4, 11, 20), RULES) if n.kind == "breach.persistent"] == []


def test_a_kpi_missed_at_two_quarterly_meetings_running_is_a_persistent_breach() -> None:
    results = (
        result("KPI1", Quarter(2026, 1), 70, london(15, 7)),
        result("KPI1", Quarter(2026, 2), 75, london(14, 10)),
    )
    snapshot = Snapshot({1: VS}, PEOPLE, ALL_OCTOBER, improvement=ImprovementFacts(results=results))

    [notice] = [n for n in due_notices(snapshot, london(14, 10, 16), RULES) if n.kind == "breach.persistent"]
    assert (notice.subject, notice.recipient_id) == ("breach:1:KPI1:2026Q2", DEE)
