"""`make run` starts with a year of the IVWS contract behind it: its returns and held meetings, up to the clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import load_demo
from bot.demo_history import HistoryProblem, parse_history
from bot.quarter_report import summarise
from bot.settings import Settings
from commissioning.clock import FrozenClock
from storage.engine import Database
from storage.meeting_models import Meeting
from storage.models import MonthlyReturn
from tests.conftest import DEMO


async def _demo_at(tmp_path: Path, now: datetime) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'demo.db'}")
    await database.migrate()
    await load_demo(database, DEMO, FrozenClock(now), Settings().rules(), DEMO.with_name("demo-history.yaml"))
    return database


async def _months(database: Database) -> tuple[list[str], list[tuple[str, str]]]:
    async with database.session() as session:
        returns = (await session.execute(select(MonthlyReturn))).scalars().all()
        meetings = (await session.execute(select(Meeting).order_by(Meeting.held_at))).scalars().all()
        received = sorted(r.received_at.strftime("%Y-%m-%d %H:%M") for r in returns if r.received_at)
        return received, [(m.period_label, m.status) for m in meetings]


async def test_in_november_2026_the_year_from_october_2025_is_in_and_every_meeting_held(
    tmp_path: Path,
) -> None:
    database = await _demo_at(tmp_path, datetime(2026, 11, 3, 9, 0, tzinfo=UTC))
    try:
        received, meetings = await _months(database)
    finally:
        await database.dispose()

    assert len(received) == 12
    # In UTC: October 2025's at 10:20 London time (GMT), September 2026's at 10:10 London time (BST).
    assert (received[0], received[-1]) == ("2025-11-05 10:20", "2026-10-02 09:10")
    assert meetings[:3] == [
        ("October 2025", "held"),
        ("November 2025", "held"),
        ("Q3 2025/26", "held"),
    ]
    assert len(meetings) == 12 and {status for _, status in meetings} == {"held"}


async def test_in_june_2026_the_history_stops_at_the_clock(tmp_path: Path) -> None:
    # May's return came in on 3 June; its meeting is on 8 June, still to come.
    database = await _demo_at(tmp_path, datetime(2026, 6, 4, 9, 0, tzinfo=UTC))
    try:
        received, meetings = await _months(database)
    finally:
        await database.dispose()

    assert len(received) == 8 and received[-1] == "2026-06-03 08:50"
    assert meetings[-1] == ("April 2026", "held")
    assert len(meetings) == 7


async def test_the_last_quarter_of_year_one_pays_in_full_from_the_history(tmp_path: Path) -> None:
    # Q4 2025/26: 2575 + 2505 + 2530 = 7610 referrals (target 7500), satisfaction (82 + 81 + 82) / 3 = 81.67
    # (target 80): both met, so the quarter's whole share of the pot, £12,400,000 × 25% / 16 = £193,750.
    database = await _demo_at(tmp_path, datetime(2026, 11, 3, 9, 0, tzinfo=UTC))
    try:
        async with database.session() as session:
            summary = (await summarise(session, "IVWS", "2025-Q4")).as_json()
    finally:
        await database.dispose()

    assert (summary["payment"], summary["weighted_achievement"]) == ("193750.00", 1.0)
    assert [(k["code"], k["result"]) for k in summary["kpis"][:2]] == [("REF", 7610.0), ("SAT", 81.6667)]


def test_a_history_naming_no_month_is_refused_with_the_file_named() -> None:
    with pytest.raises(HistoryProblem, match=r"history\.yaml"):
        parse_history(
            "contract: IVWS\nsubmitted_by: a\nrecorded_by: b\nmonths: [{month: May}]\n", "history.yaml"
        )


async def test_q1_of_year_two_was_approved_at_its_quarterly_meeting_from_the_kpi_return(
    tmp_path: Path,
) -> None:
    # Q1 2026/27, the outcome KPIs' first live quarter (weights REF 20, SAT 20, COPE 25, BEST 20, VCOP 15):
    # REF 2400 + 2450 + 2480 = 7330 of 7500, pro rata from a floor of 6000: (7330 - 6000) / 1500 = 0.8867;
    # SAT (82 + 81 + 79) / 3 = 80.67, met; COPE 76 of 75, met; BEST 78 of 80, all or nothing: 0; VCOP 96,
    # met. 0.2 × 0.8867 + 0.2 + 0.25 + 0 + 0.15 = 0.7773 of £193,750 = £150,608.33, approved by Daniel
    # at the meeting on 7 July 2026 (10:00 in London, BST).
    database = await _demo_at(tmp_path, datetime(2026, 11, 3, 9, 0, tzinfo=UTC))
    try:
        async with database.session() as session:
            summary = (await summarise(session, "IVWS", "2026-Q1")).as_json()
    finally:
        await database.dispose()

    assert [(k["code"], k["result"], k["achievement"]) for k in summary["kpis"][2:]] == [
        ("COPE", 76.0, 1.0),
        ("BEST", 78.0, 0.0),
        ("VCOP", 96.0, 1.0),
    ]
    assert (summary["weighted_achievement"], summary["payment"]) == (0.7773, "150608.33")
    assert summary["approved"] == {
        "by": "daniel.reyes@mopac.example",
        "at": "2026-07-07T09:00:00+00:00",
        "amount": "150608.33",
        "reason": "",
    }


async def test_q2_of_year_two_is_worked_out_from_its_kpi_return_and_awaits_approval(tmp_path: Path) -> None:
    # Q2 2026/27: REF 7730, met; SAT (78 + 79 + 81) / 3 = 79.33, pro rata from 72: 0.9167; COPE 77, met;
    # BEST typed as 18 (a slip for 81): 0; VCOP 93 of 95, pro rata from 85.5: 0.7895.
    # 0.2 + 0.2 × 0.9167 + 0.25 + 0 + 0.15 × 0.7895 = 0.7518 of £193,750 = £145,652.41, not approved.
    database = await _demo_at(tmp_path, datetime(2026, 11, 3, 9, 0, tzinfo=UTC))
    try:
        async with database.session() as session:
            summary = (await summarise(session, "IVWS", "2026-Q2")).as_json()
    finally:
        await database.dispose()

    assert [(k["code"], k["result"]) for k in summary["kpis"]] == [
        ("REF", 7730.0),
        ("SAT", 79.3333),
        ("COPE", 77.0),
        ("BEST", 18.0),
        ("VCOP", 93.0),
    ]
    assert (summary["weighted_achievement"], summary["payment"], summary["approved"]) == (
        0.7518,
        "145652.41",
        None,
    )


async def test_in_august_2026_q1_is_approved_and_q2_has_no_kpi_return_yet(tmp_path: Path) -> None:
    database = await _demo_at(tmp_path, datetime(2026, 8, 10, 9, 0, tzinfo=UTC))
    try:
        async with database.session() as session:
            first = (await summarise(session, "IVWS", "2026-Q1")).as_json()
            second = (await summarise(session, "IVWS", "2026-Q2")).as_json()
    finally:
        await database.dispose()

    assert first["approved"] is not None and first["approved"]["amount"] == "150608.33"
    assert [k["result"] for k in second["kpis"][2:]] == [None, None, None]
