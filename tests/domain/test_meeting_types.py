"""Which meeting reviews a return, and who sits at it (seed 001 §3.4, §3.6, §4.5)."""

from __future__ import annotations

import dataclasses

import pytest

from commissioning.meetings import ATTENDEE_ROLES, MeetingType, meeting_type_for
from commissioning.periods import Month


@pytest.mark.parametrize(
    ("return_month", "start_month", "expected"),
    [
        pytest.param(Month(2026, 4), 4, MeetingType.MONTHLY_REVIEW, id="april"),
        pytest.param(Month(2026, 5), 4, MeetingType.MONTHLY_REVIEW, id="may"),
        pytest.param(Month(2026, 6), 4, MeetingType.QUARTERLY_CONTRACT, id="june-ends-q1"),
        pytest.param(Month(2026, 7), 4, MeetingType.MONTHLY_REVIEW, id="july"),
        pytest.param(Month(2026, 8), 4, MeetingType.MONTHLY_REVIEW, id="august"),
        pytest.param(Month(2026, 9), 4, MeetingType.QUARTERLY_CONTRACT, id="september-ends-q2"),
        pytest.param(Month(2026, 10), 4, MeetingType.MONTHLY_REVIEW, id="october"),
        pytest.param(Month(2026, 11), 4, MeetingType.MONTHLY_REVIEW, id="november"),
        pytest.param(Month(2026, 12), 4, MeetingType.QUARTERLY_CONTRACT, id="december-ends-q3"),
        pytest.param(Month(2027, 1), 4, MeetingType.MONTHLY_REVIEW, id="january"),
        pytest.param(Month(2027, 2), 4, MeetingType.MONTHLY_REVIEW, id="february"),
        pytest.param(Month(2027, 3), 4, MeetingType.QUARTERLY_CONTRACT, id="march-ends-q4"),
        pytest.param(Month(2026, 3), 1, MeetingType.QUARTERLY_CONTRACT, id="calendar-year-march-ends-q1"),
        pytest.param(Month(2026, 4), 1, MeetingType.MONTHLY_REVIEW, id="calendar-year-april"),
        pytest.param(Month(2026, 4), 2, MeetingType.QUARTERLY_CONTRACT, id="february-start-april-ends-q1"),
        pytest.param(Month(2026, 6), 2, MeetingType.MONTHLY_REVIEW, id="february-start-june"),
        pytest.param(Month(2027, 1), 2, MeetingType.QUARTERLY_CONTRACT, id="february-start-january-ends-q4"),
    ],
)
def test_meeting_type_for(return_month: Month, start_month: int, expected: MeetingType) -> None:
    assert meeting_type_for(return_month, start_month) is expected


def test_meeting_type_values_are_stable_strings() -> None:
    assert [m.value for m in MeetingType] == ["monthly_review", "quarterly_contract"]


@pytest.mark.parametrize(
    ("meeting_type", "expected"),
    [
        pytest.param(
            MeetingType.MONTHLY_REVIEW,
            [
                ("commissioner", "Victims Programme Manager", "programme_manager"),
                ("commissioner", "VAWG Programme Manager", "programme_manager"),
                ("commissioner", "Restorative Justice Programme Manager", "programme_manager"),
                ("provider", "Heads of Service", "head_of_service"),
                ("provider", "Performance Data Manager", "provider_contact"),
            ],
            id="monthly-seed-3-4",
        ),
        pytest.param(
            MeetingType.QUARTERLY_CONTRACT,
            [
                ("commissioner", "Director of Criminal Justice & Commissioning", "director"),
                ("commissioner", "Contracts & Innovation Manager", "commissioner"),
                ("commissioner", "Senior Policy & Commissioning Manager", "commissioner"),
                ("commissioner", "Victims Programme Manager", "programme_manager"),
                ("commissioner", "VAWG Programme Manager", "programme_manager"),
                ("commissioner", "Restorative Justice Programme Manager", "programme_manager"),
                ("provider", "Service Director", "head_of_service"),
                ("provider", "Heads of Service", "head_of_service"),
            ],
            id="quarterly-seed-4-5",
        ),
    ],
)
def test_attendee_roles(meeting_type: MeetingType, expected: list[tuple[str, str, str]]) -> None:
    assert [(r.side, r.title, r.filled_by) for r in ATTENDEE_ROLES[meeting_type]] == expected


def test_attendee_role_is_frozen() -> None:
    role = ATTENDEE_ROLES[MeetingType.MONTHLY_REVIEW][0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        role.title = "Someone else"  # type: ignore[misc]


def test_attendee_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        ATTENDEE_ROLES[MeetingType.MONTHLY_REVIEW] = ()  # type: ignore[index]
