"""Leave, worked through Christmas 2026: who covers, which working days count, when someone is back.

Priya Shah (provider contact, person 1) is away from Monday 21 December 2026 to Monday 4 January 2027,
both days included. The bank holidays in between: Friday 25 December (Christmas Day), Monday 28
December (the substitute for Boxing Day, a Saturday) and Friday 1 January. Tom (2) heads the service;
Daniel (3) commissions, Hannah (4) is the programme manager, Amara (5) the director.
"""

from __future__ import annotations

from datetime import date

import pytest

from commissioning.calendar import WorkingCalendar
from commissioning.leave import Leave, LeaveError, back_on, check_leave, present_working_days_after, stand_in
from commissioning.reminders import ContractFacts, Notice, Snapshot, kinds
from commissioning.reminders.leave import back_from_leave, cover_for_leave

CALENDAR = WorkingCalendar()
ROLES = {
    "provider_contact": (1,),
    "head_of_service": (2,),
    "commissioner": (3,),
    "programme_manager": (4,),
    "director": (5,),
}
CONTRACT = 10
PRIYA_AWAY = Leave(1, 1, date(2026, 12, 21), date(2027, 1, 4))
CHRISTMAS_EVE = date(2026, 12, 24)


def snapshot(*leave: Leave) -> Snapshot:
    contract = ContractFacts(CONTRACT, "IVWS", date(2025, 4, 1), date(2029, 3, 31), roles=ROLES)
    return Snapshot(contracts={CONTRACT: contract}, leave=leave)


def notice(kind: str, recipient: int, **extra: object) -> Notice:
    return Notice(kind, f"s:{kind}", date(2026, 12, 18), recipient, CONTRACT, **extra)  # type: ignore[arg-type]


def test_the_delegate_on_the_contract_covers() -> None:
    leave = Leave(1, 1, date(2026, 12, 21), date(2027, 1, 4), {CONTRACT: 2})
    assert stand_in(1, CONTRACT, ROLES, [leave], CHRISTMAS_EVE) == 2


def test_with_no_delegate_the_provider_contacts_work_goes_to_the_head_of_service() -> None:
    assert stand_in(1, CONTRACT, ROLES, [PRIYA_AWAY], CHRISTMAS_EVE) == 2


def test_with_the_programme_manager_away_too_the_commissioners_work_goes_to_the_director() -> None:
    daniel = Leave(2, 3, date(2026, 12, 21), date(2026, 12, 31))
    hannah = Leave(3, 4, date(2026, 12, 24), date(2026, 12, 24))
    assert stand_in(3, CONTRACT, ROLES, [daniel, hannah], CHRISTMAS_EVE) == 5
    assert stand_in(3, CONTRACT, ROLES, [daniel, hannah], date(2026, 12, 23)) == 4


def test_a_delegate_who_is_away_as_well_is_passed_over_for_the_chain() -> None:
    daniel = Leave(2, 3, date(2026, 12, 21), date(2026, 12, 31), {CONTRACT: 4})
    hannah = Leave(3, 4, date(2026, 12, 24), date(2026, 12, 24))
    assert stand_in(3, CONTRACT, ROLES, [daniel, hannah], CHRISTMAS_EVE) == 5


def test_nobody_above_the_director_so_nobody_covers() -> None:
    amara = Leave(4, 5, date(2026, 12, 21), date(2026, 12, 31))
    assert stand_in(5, CONTRACT, ROLES, [amara], CHRISTMAS_EVE) is None


def test_someone_not_away_gets_their_own() -> None:
    assert stand_in(3, CONTRACT, ROLES, [PRIYA_AWAY], CHRISTMAS_EVE) == 3


def test_three_working_days_after_friday_18_december_is_wednesday_23rd_for_someone_at_work() -> None:
    assert present_working_days_after(CALENDAR, date(2026, 12, 18), 3, []) == date(2026, 12, 23)


def test_for_priya_away_over_christmas_they_are_tuesday_to_thursday_after_she_is_back() -> None:
    # Her working days after Friday 18 December: Tuesday 5, Wednesday 6, Thursday 7 January.
    assert present_working_days_after(CALENDAR, date(2026, 12, 18), 3, [PRIYA_AWAY]) == date(2027, 1, 7)


def test_a_day_away_in_the_middle_moves_the_day_by_one_working_day() -> None:
    one_day = Leave(5, 1, date(2026, 12, 22), date(2026, 12, 22))
    # Monday 21 counts; Tuesday 22 is leave; Wednesday 23, Thursday 24 count.
    assert present_working_days_after(CALENDAR, date(2026, 12, 18), 3, [one_day]) == date(2026, 12, 24)


def test_she_is_back_on_tuesday_5_january() -> None:
    assert back_on(CALENDAR, PRIYA_AWAY) == date(2027, 1, 5)


def test_leave_ending_on_christmas_eve_is_back_on_tuesday_29_december() -> None:
    assert back_on(CALENDAR, Leave(6, 1, date(2026, 12, 21), CHRISTMAS_EVE)) == date(2026, 12, 29)


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field", "message"),
    [
        (None, date(2027, 1, 4), "starts_on", "Enter the first day of your leave, like 2026-12-21."),
        (date(2026, 12, 21), None, "ends_on", "Enter the last day of your leave, like 2027-01-04."),
        (
            date(2026, 12, 21),
            date(2026, 12, 20),
            "ends_on",
            "The last day must be on or after the first day.",
        ),
        (
            date(2026, 11, 2),
            date(2026, 11, 6),
            "ends_on",
            "That leave is over already: the last day is in the past.",
        ),
        (
            date(2026, 12, 21),
            date(2027, 12, 22),
            "ends_on",
            "Leave can be at most a year; record a longer absence as two.",
        ),
    ],
)
def test_dates_that_cannot_be_recorded_name_the_field(
    starts_on: date | None, ends_on: date | None, field: str, message: str
) -> None:
    with pytest.raises(LeaveError) as raised:
        check_leave(starts_on, ends_on, date(2026, 12, 3))
    assert (raised.value.field, raised.value.message) == (field, message)


def test_her_overdue_reminder_waits_while_she_is_away() -> None:
    assert cover_for_leave([notice(kinds.RETURN_OVERDUE, 1)], snapshot(PRIYA_AWAY), CHRISTMAS_EVE) == []


def test_an_urgent_breach_for_an_absent_director_goes_to_her_delegate_saying_why() -> None:
    amara = Leave(4, 5, date(2026, 12, 21), date(2027, 1, 4), {CONTRACT: 3})
    [covered] = cover_for_leave(
        [notice(kinds.PERSISTENT_BREACH, 5, urgent=True, escalation=True)], snapshot(amara), CHRISTMAS_EVE
    )
    assert (covered.recipient_id, covered.covering_for, covered.away_until) == (3, 5, date(2027, 1, 4))


def test_a_meeting_inside_its_deadline_goes_up_the_chain_when_there_is_no_delegate() -> None:
    daniel = Leave(2, 3, date(2026, 12, 21), date(2027, 1, 4))
    unscheduled = Notice(
        kinds.MEETING_UNSCHEDULED, "m", date(2026, 12, 29), 3, CONTRACT, before_deadline=True
    )
    [covered] = cover_for_leave([unscheduled], snapshot(daniel), CHRISTMAS_EVE)
    assert (covered.recipient_id, covered.covering_for) == (4, 3)


def test_a_stand_in_who_has_it_already_gets_it_once() -> None:
    escalated = notice(kinds.RETURN_ESCALATED, 3, escalation=True)
    daniel = Leave(2, 3, date(2026, 12, 21), date(2027, 1, 4), {CONTRACT: 4})
    own = notice(kinds.RETURN_ESCALATED, 4, escalation=True)
    assert cover_for_leave([escalated, own], snapshot(daniel), CHRISTMAS_EVE) == [own]


def test_on_her_first_day_back_one_summary_holds_what_is_due() -> None:
    overdue = notice(kinds.RETURN_OVERDUE, 1)
    [back] = back_from_leave([overdue], snapshot(PRIYA_AWAY), date(2027, 1, 5), CALENDAR)
    assert (back.kind, back.recipient_id, back.subject, back.ref["due"]) == (
        kinds.LEAVE_BACK,
        1,
        "leave:1",
        (overdue,),
    )


def test_the_day_after_her_first_day_back_her_reminders_come_as_usual() -> None:
    overdue = notice(kinds.RETURN_OVERDUE, 1)
    assert back_from_leave([overdue], snapshot(PRIYA_AWAY), date(2027, 1, 6), CALENDAR) == [overdue]
