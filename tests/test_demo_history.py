"""`make run` starts with the demo's past behind it, up to the clock: a year of IVWS, and CRS-ACC's PbR quarters."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import load_demo
from bot.demo_history import HistoryProblem, parse_history
from bot.quarter_report import summarise
from bot.settings import Settings
from commissioning.clock import FrozenClock
from storage.engine import Database
from storage.meeting_models import Meeting
from storage.models import Contract, MonthlyReturn
from storage.quarter_models import KpiReturnVersion
from tests.conftest import DEMO
from tests.test_cli_quarter import run


async def _demo_at(tmp_path: Path, now: datetime) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'demo.db'}")
    await database.migrate()
    await load_demo(database, DEMO, FrozenClock(now), Settings().rules(), DEMO.with_name("demo-history.yaml"))
    return database


async def _months(database: Database, key: str = "IVWS") -> tuple[list[str], list[tuple[str, str]]]:
    """One contract's returns (when received, in UTC) and its meetings (period and status), in order."""
    async with database.session() as session:
        contract = (await session.execute(select(Contract.id).where(Contract.key == key))).scalar_one()
        returns = (
            (await session.execute(select(MonthlyReturn).where(MonthlyReturn.contract_id == contract)))
            .scalars()
            .all()
        )
        meetings = (
            (
                await session.execute(
                    select(Meeting).where(Meeting.contract_id == contract).order_by(Meeting.held_at)
                )
            )
            .scalars()
            .all()
        )
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


# -- CRS-ACC: fee for service and payment by results -----------------------------------------------------------

# Year 2 (2026/27) of CRS-ACC: £110,000 a quarter less 2% = £107,800.
CRS_FEE = {
    "amount": "107800.00",
    "year": 2,
    "year_1_fee": "110000.00",
    "learning_curve": 0.02,
    "discount": 0.02,
}


def _load_demo_at(url: str, now: datetime) -> None:
    async def load() -> None:
        database = Database(url)
        try:
            await database.migrate()
            clock = FrozenClock(now)
            await load_demo(database, DEMO, clock, Settings().rules(), DEMO.with_name("demo-history.yaml"))
        finally:
            await database.dispose()

    asyncio.run(load())


def test_crs_acc_q2_pays_the_fee_and_pbr_on_a_cohort_better_than_the_baseline_awaiting_approval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """57 of 150 reoffend (38%, 4 points under 42%): 6 fewer × £1,200 = £7,200. 195 reoffences (1.3 per
    offender, 0.2 under 1.5): 30 fewer × £250 = £7,500. £107,800 + £7,200 + £7,500 = £122,500."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    _load_demo_at(url, datetime(2026, 11, 3, 9, 0, tzinfo=UTC))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)

    code, out, err = run(capsys, "CRS-ACC", "2026-Q2", "--json")

    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "contract": "CRS-ACC",
        "quarter": "2026Q2",
        "pot": "0.00",
        "kpis": [],
        "weighted_achievement": None,
        "payment": None,
        "approved": None,
        "fee_for_service": CRS_FEE,
        "pbr": {
            "cohort": {"offenders": 150, "reoffenders": 57, "reoffences": 195},
            "measures": [
                {"measure": "binary", "baseline": 0.42, "rate": 0.38, "payment": "7200.00", "penalty": "0.00",
                 "reason": "better than the baseline"},
                {"measure": "frequency", "baseline": 1.5, "rate": 1.3, "payment": "7500.00", "penalty": "0.00",
                 "reason": "better than the baseline"},
            ],
            "net": "14700.00",
        },
        "total": "122500.00",
    }  # fmt: skip


async def test_crs_acc_q1_was_worse_than_the_baseline_and_approved_less_the_penalties(tmp_path: Path) -> None:
    # 63 of 140 reoffend (45%, 3 points over 42%): 4.2 more × £600 = £2,520. 224 reoffences (1.6 per
    # offender, 0.1 over 1.5): 14 more × £125 = £1,750. £107,800 − £4,270 = £103,530, approved by Samir
    # Haddad at the Q1 meeting on 9 July 2026 (14:00 in London, BST).
    database = await _demo_at(tmp_path, datetime(2026, 11, 3, 9, 0, tzinfo=UTC))
    try:
        async with database.session() as session:
            summary = (await summarise(session, "CRS-ACC", "2026-Q1")).as_json()
    finally:
        await database.dispose()

    assert summary["fee_for_service"] == CRS_FEE
    assert summary["pbr"] == {
        "cohort": {"offenders": 140, "reoffenders": 63, "reoffences": 224},
        "measures": [
            {"measure": "binary", "baseline": 0.42, "rate": 0.45, "payment": "0.00", "penalty": "2520.00",
             "reason": "worse than the baseline: a penalty"},
            {"measure": "frequency", "baseline": 1.5, "rate": 1.6, "payment": "0.00", "penalty": "1750.00",
             "reason": "worse than the baseline: a penalty"},
        ],
        "net": "-4270.00",
    }  # fmt: skip
    assert summary["total"] == "103530.00"
    assert summary["approved"] == {
        "by": "samir.haddad@probation-nw.example",
        "at": "2026-07-09T13:00:00+00:00",
        "amount": "103530.00",
        "reason": "",
    }


async def test_crs_acc_has_its_returns_from_april_to_september_2026_each_reviewed_at_its_meeting(
    tmp_path: Path,
) -> None:
    database = await _demo_at(tmp_path, datetime(2026, 11, 3, 9, 0, tzinfo=UTC))
    try:
        received, meetings = await _months(database, "CRS-ACC")
    finally:
        await database.dispose()

    # In UTC (BST throughout): April's at 14:30 London time on 7 May, September's at 15:20 on 2 October.
    assert (len(received), received[0], received[-1]) == (6, "2026-05-07 13:30", "2026-10-02 14:20")
    assert meetings == [
        ("April 2026", "held"),
        ("May 2026", "held"),
        ("Q1 2026/27", "held"),
        ("July 2026", "held"),
        ("August 2026", "held"),
        ("Q2 2026/27", "held"),
    ]


async def test_in_august_2026_crs_acc_q1_is_approved_and_q2_waits_for_its_cohort(tmp_path: Path) -> None:
    database = await _demo_at(tmp_path, datetime(2026, 8, 10, 9, 0, tzinfo=UTC))
    try:
        async with database.session() as session:
            first = (await summarise(session, "CRS-ACC", "2026-Q1")).as_json()
            second = (await summarise(session, "CRS-ACC", "2026-Q2")).as_json()
        received, _ = await _months(database, "CRS-ACC")
    finally:
        await database.dispose()

    assert first["approved"] is not None and first["approved"]["amount"] == "103530.00"
    assert (second["pbr"]["cohort"], second["total"]) == (None, None)
    assert len(received) == 4  # April to July; August's return came in on 3 September


async def test_loading_the_demo_again_leaves_its_history_as_it_was(tmp_path: Path) -> None:
    now = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
    database = await _demo_at(tmp_path, now)
    try:
        again = await load_demo(
            database, DEMO, FrozenClock(now), Settings().rules(), DEMO.with_name("demo-history.yaml")
        )
        async with database.session() as session:
            versions = (
                await session.execute(select(func.count()).select_from(KpiReturnVersion))
            ).scalar_one()
        ivws, _ = await _months(database, "IVWS")
        crs, _ = await _months(database, "CRS-ACC")
    finally:
        await database.dispose()

    assert (again, versions, len(ivws), len(crs)) == (False, 4, 12, 6)


def test_a_history_with_one_contract_at_the_top_level_reads_as_a_list_of_one() -> None:
    history = parse_history("contract: IVWS\nsubmitted_by: a\nrecorded_by: b\nmonths: []\n", "history.yaml")

    assert [section.contract for section in history.contracts] == ["IVWS"]


def test_a_cohort_with_more_reoffenders_than_offenders_is_refused_with_the_file_named() -> None:
    text = (
        "contracts:\n  - contract: CRS-ACC\n    submitted_by: a\n    recorded_by: b\n    months: []\n"
        "    kpi_returns:\n      - {quarter: 2026-Q1, received: 2026-07-06T11:00,\n"
        "         cohort: {offenders: 10, reoffenders: 12, reoffences: 20}}\n"
    )

    refused = r"(?s)history\.yaml.*kpi_returns\.0\.cohort.*more reoffenders \(12\) than offenders \(10\)"
    with pytest.raises(HistoryProblem, match=refused):
        parse_history(text, "history.yaml")
