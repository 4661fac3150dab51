"""The leave cards as Teams receives them: a stand-in's notice says whose leave, the summary back is valid."""

from __future__ import annotations

from datetime import date

from commissioning.reminders import ContractFacts, Notice, PersonFacts, Snapshot, kinds
from dialogs.leave.cards.form import DelegateChoice, leave_form
from dialogs.reminders.cards.notice import notice_payload
from tests.cardschema import assert_valid_card
from tests.teams import card_texts

CONTRACT = ContractFacts(
    10,
    "Integrated Victims and Witnesses Service",
    date(2025, 4, 1),
    date(2029, 3, 31),
    roles={"provider_contact": (1,), "head_of_service": (2,), "commissioner": (3,)},
)
SNAPSHOT = Snapshot(
    contracts={10: CONTRACT},
    people={
        1: PersonFacts(1, "Priya Shah"),
        2: PersonFacts(2, "Tom Whitaker"),
        3: PersonFacts(3, "Daniel Reyes"),
    },
)


def test_a_stand_ins_notice_says_whose_leave_and_until_when() -> None:
    notice = Notice(
        kinds.MEETING_UNSCHEDULED,
        "meeting:10:monthly_performance:2026-11-01",
        date(2027, 1, 5),
        2,
        10,
        rank=1,
        before_deadline=True,
        covering_for=1,
        away_until=date(2027, 1, 4),
        ref={"contract_id": 10, "return_id": 1, "meeting_id": None, "title": "Review", "scheduled_for": None},
    )

    payload = notice_payload(notice, SNAPSHOT)

    assert_valid_card(payload["card"])
    assert (
        card_texts(payload["card"])[2] == "Sent to you because Priya Shah is on leave until Monday 4 January."
    )
    assert payload["reminder"]["covering_for"] == 1
    assert payload["reminder"]["to"] == "Tom Whitaker"


def test_the_summary_back_from_leave_is_a_valid_card_with_nothing_to_report() -> None:
    back = Notice(kinds.LEAVE_BACK, "leave:1", date(2027, 1, 4), 1, 10, since=date(2026, 12, 21), ref={})

    payload = notice_payload(back, SNAPSHOT)

    assert_valid_card(payload["card"])
    assert card_texts(payload["card"]) == [
        "Welcome back",
        "While you were on leave, Monday 21 December 2026 to Monday 4 January 2027.",
        "Sent to others while you were away",
        "Nothing needed sending to anyone else.",
        "Due now",
        "Nothing is waiting for you.",
        "Your usual reminders start again on your next working day.",
    ]


def test_the_leave_form_with_errors_is_a_valid_card() -> None:
    choices = [DelegateChoice(10, CONTRACT.name, [("Tom Whitaker", 2)])]
    form = leave_form(
        choices, {"starts_on": "2026-12-21", "ends_on": "21/12"}, {"ends_on": "Enter the last day"}
    )
    assert_valid_card(form)
