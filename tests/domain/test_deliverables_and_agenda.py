"""The eleven quarterly deliverables (seed 001 §4.4) and meeting agendas from the seed's objectives."""

from __future__ import annotations

from datetime import date

import pytest

from commissioning.actions import ActionLevel, ActionState, ActionStatus
from commissioning.agenda import (
    MONTHLY_OBJECTIVES,
    QUARTERLY_OBJECTIVES,
    ActionLine,
    AgendaFacts,
    IndicatorLine,
    Line,
    build_agenda,
)
from commissioning.deliverables import (
    REQUIRED_DELIVERABLES,
    DeliverableStatus,
    Entry,
    check_entry,
    missing,
)
from commissioning.indicators import Rag
from commissioning.meetings import MeetingType

SUPPLIED, NOT_APPLICABLE, MISSING = (
    DeliverableStatus.SUPPLIED,
    DeliverableStatus.NOT_APPLICABLE,
    DeliverableStatus.MISSING,
)


def test_the_eleven_required_deliverables_in_the_seeds_order() -> None:
    assert [d.title for d in REQUIRED_DELIVERABLES] == [
        "Completed quarterly Performance Framework",
        "Quarterly performance report",
        "Completed monthly framework & cumulative monthly framework",
        "Action log",
        "Continuous development and improvement plan",
        "Deep dive focussed report including case studies",
        "Updated Risk Register",
        "Updated Transition Plan",
        "Business Continuity Plan",
        "Financial Monitoring Report",
        "Staffing and training update",
    ]


@pytest.mark.parametrize(
    ("entry", "errors"),
    [
        pytest.param(Entry(SUPPLIED, "https://sharepoint.example/q2/framework.xlsx"), {}, id="supplied-link"),
        pytest.param(
            Entry(SUPPLIED, "Q2 risk register.xlsx", "Reviewed by the board"), {}, id="supplied-file"
        ),
        pytest.param(
            Entry(SUPPLIED),
            {"where": "Give a link (https://…) or the file name, so the commissioner can find it."},
            id="supplied-nowhere",
        ),
        pytest.param(
            Entry(SUPPLIED, "http://intranet.example/plan"),
            {"where": "A link must start with https:// and have no spaces."},
            id="plain-http",
        ),
        pytest.param(
            Entry(SUPPLIED, "https://x.example/a b"),
            {"where": "A link must start with https:// and have no spaces."},
            id="link-with-space",
        ),
        pytest.param(
            Entry(SUPPLIED, "the risk register"),
            {"where": "Give a link starting https://, or a file name like 'Q2 risk register.xlsx'."},
            id="not-a-file-name",
        ),
        pytest.param(
            Entry(NOT_APPLICABLE, reason="Transition ended in Q1"), {}, id="not-applicable-with-reason"
        ),
        pytest.param(
            Entry(NOT_APPLICABLE),
            {"reason": "Say why it does not apply this quarter."},
            id="not-applicable-no-reason",
        ),
        pytest.param(Entry(MISSING), {}, id="missing-is-fine-to-save"),
        pytest.param(
            Entry(SUPPLIED, "a.pdf", "x" * 1001),
            {"note": "Keep the note under 1,000 characters."},
            id="long-note",
        ),
    ],
)
def test_check_entry(entry: Entry, errors: dict[str, str]) -> None:
    assert check_entry(entry) == errors


def test_missing_is_what_is_neither_supplied_nor_not_applicable() -> None:
    statuses = {d.code: SUPPLIED for d in REQUIRED_DELIVERABLES[:9]}
    statuses["transition_plan"] = NOT_APPLICABLE
    statuses["risk_register"] = MISSING

    assert [d.title for d in missing(statuses)] == [
        "Updated Risk Register",
        "Financial Monitoring Report",
        "Staffing and training update",
    ]


TODAY = date(2026, 11, 6)
PIS = [
    IndicatorLine("Referrals received", "2,710", Rag.GREEN, "at least 2,500"),
    IndicatorLine("High-risk victims supported", "120", Rag.RED, "at least 150"),
]
ACTIONS = [
    ActionLine(
        "Recover contact times",
        "Priya Shah",
        ActionState(ActionStatus.OPEN, ActionLevel.MONTHLY, date(2026, 11, 2)),
    ),
    ActionLine(
        "Fix referral feed",
        "Tom Whitaker",
        ActionState(ActionStatus.OPEN, ActionLevel.QUARTERLY, date(2026, 12, 1)),
    ),
    ActionLine("Old", "Tom Whitaker", ActionState(ActionStatus.DONE, ActionLevel.MONTHLY, date(2026, 10, 1))),
]


def test_monthly_agenda_follows_the_seeds_objectives_in_order() -> None:
    items = build_agenda(MeetingType.MONTHLY_REVIEW, AgendaFacts(), TODAY)

    assert [item.title for item in items] == list(MONTHLY_OBJECTIVES)


def test_monthly_agenda_brings_the_figures_shortfalls_actions_and_the_fee() -> None:
    facts = AgendaFacts(indicators=PIS, return_received=True, actions=ACTIONS)

    items = {item.title: item.lines for item in build_agenda(MeetingType.MONTHLY_REVIEW, facts, TODAY)}

    assert items["Review outcomes against performance indicators"] == (
        Line("Referrals received: 2,710 (Green)"),
        Line("High-risk victims supported: 120 (Red)", warning=True),
    )
    assert items[MONTHLY_OBJECTIVES[1]] == (
        Line("Below the minimum: High-risk victims supported", warning=True),
    )
    assert items[MONTHLY_OBJECTIVES[2]] == (
        Line("2 open actions, 1 overdue.", warning=True),
        Line("Open actions:"),
        Line("Recover contact times (Priya Shah, due 2 Nov 2026, OVERDUE)", warning=True),
        Line("Fix referral feed (Tom Whitaker, due 1 Dec 2026, with the quarterly meeting)"),
    )
    assert items["Sign off payment of the monthly service fee"] == (
        Line("Minimum service requirements not all met: sign-off needs a recorded reason.", warning=True),
    )


def test_monthly_agenda_before_the_return_says_it_is_not_in() -> None:
    items = build_agenda(MeetingType.MONTHLY_REVIEW, AgendaFacts(indicators=PIS), TODAY)

    assert items[0].lines == (Line("The monthly return has not been received yet.", warning=True),)


def test_quarterly_agenda_leads_with_missing_deliverables_and_ends_with_notice() -> None:
    facts = AgendaFacts(
        kpis=[IndicatorLine("Code of Practice compliance", "", None, "at least 95%")],
        actions=ACTIONS,
        missing_deliverables=["Updated Risk Register"],
        improvement_plan="supplied",
        deep_dive_focus="Witness care in Crown Court",
        notices=["Monitoring visit planned for Tuesday 12 January 2027"],
    )

    items = build_agenda(MeetingType.QUARTERLY_CONTRACT, facts, TODAY)
    by_title = {item.title: item.lines for item in items}

    assert [item.title for item in items] == [
        "Required deliverables",
        *QUARTERLY_OBJECTIVES,
        "Notice of audit or monitoring visits",
    ]
    assert by_title["Required deliverables"] == (Line("Missing (1): Updated Risk Register", warning=True),)
    assert by_title[QUARTERLY_OBJECTIVES[0]] == (
        Line("Code of Practice compliance: not reported (minimum at least 95%)"),
    )
    assert by_title[QUARTERLY_OBJECTIVES[3]] == (
        Line("2 open actions, 1 overdue.", warning=True),
        Line("Escalated from the monthly reviews (not resolved there):"),
        Line("Fix referral feed (Tom Whitaker, due 1 Dec 2026)"),
        Line("Other open actions:"),
        Line("Recover contact times (Priya Shah, due 2 Nov 2026, OVERDUE)", warning=True),
    )
    assert by_title["Review continuous improvement plan"] == (Line("Continuous improvement plan: supplied."),)
    assert by_title[QUARTERLY_OBJECTIVES[8]] == (
        Line("Focus agreed last quarter: Witness care in Crown Court"),
    )
    assert by_title["Notice of audit or monitoring visits"] == (
        Line("Monitoring visit planned for Tuesday 12 January 2027"),
    )


def test_quarterly_agenda_lists_what_is_with_the_governance_board() -> None:
    board = ActionLine(
        "Referral pathway",
        "Tom Whitaker",
        ActionState(ActionStatus.OPEN, ActionLevel.GOVERNANCE_BOARD, date(2026, 12, 1)),
    )

    items = build_agenda(
        MeetingType.QUARTERLY_CONTRACT, AgendaFacts(actions=[board], missing_deliverables=[]), TODAY
    )
    by_title = {item.title: item.lines for item in items}

    assert by_title["Required deliverables"] == (
        Line("Every required deliverable is in, or marked not applicable."),
    )
    assert by_title[QUARTERLY_OBJECTIVES[3]] == (
        Line("1 open action, 0 overdue."),
        Line("With the governance board:"),
        Line("Referral pathway (Tom Whitaker, due 1 Dec 2026)"),
    )
