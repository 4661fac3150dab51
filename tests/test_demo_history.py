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
