"""`steward notice CONTRACT YEAR [--json|--out FILE]`: a contract year's draft Contract Performance Notice."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from bot.app import load_demo
from bot.cli import main
from bot.settings import Settings
from commissioning.clock import FrozenClock
from storage.engine import Database
from tests.conftest import DEMO


async def _demo(url: str) -> None:
    database = Database(url)
    await database.migrate()
    clock = FrozenClock(datetime(2026, 11, 3, 9, 0, tzinfo=UTC))
    await load_demo(database, DEMO, clock, Settings().rules(), DEMO.with_name("demo-history.yaml"))
    await database.dispose()


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    asyncio.run(_demo(url))
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", url)
    return tmp_path


def test_year_one_rates_the_live_kpis_and_says_the_baseline_ones_leave_too_few(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Year 1 (2025/26): REF's last quarter 7,610 of 7,500 and SAT's 81.67 of 80 are Good; COPE, BEST and
    # VCOP collect a baseline (no target), so they are Other and only two KPIs can be rated.
    code = main(["notice", "IVWS", "2025/26", "--json"])
    data = json.loads(capsys.readouterr().out)

    assert code == 0
    assert (data["year"], data["from"], data["to"], data["year_over"], data["over_5m"]) == (
        1,
        "2025-04-01",
        "2026-03-31",
        True,
        True,
    )
    assert [(k["code"], k["rating"], k["result"], k["target"]) for k in data["kpis"]] == [
        ("REF", "Good", 7610.0, 7500.0),
        ("SAT", "Good", 81.6667, 80.0),
        ("COPE", "Other", None, None),
        ("BEST", "Other", None, None),
        ("VCOP", "Other", None, None),
    ]
    assert [q["result"] for q in data["kpis"][0]["quarters"]] == [None, None, 7670.0, 7610.0]
    assert data["problems"] == ["only 2 KPI(s) can be rated; a notice reports on at least 3"]


def test_the_notice_is_written_to_a_workbook_with_a_row_per_kpi_and_the_quarters_figures(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["notice", "IVWS", "1", "--out", str(demo / "notice.xlsx")])

    assert code == 0 and "Wrote the year 1 notice for IVWS" in capsys.readouterr().out
    book = openpyxl.load_workbook(demo / "notice.xlsx")
    assert book.sheetnames == ["Notice", "Quarters"]
    rows = list(book["Notice"].iter_rows(values_only=True))
    assert rows[0][4:7] == ("KPI", "Name", "Rating") and rows[1][4:7] == ("REF", "Referral volumes", "Good")
    assert len(list(book["Quarters"].iter_rows())) == 1 + 5 * 4


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["IVWS", "9"], "IVWS runs for 4 contract years; '9' is not one"),
        (["IVWS", "next"], "'next' is not a contract year: write 2 (its second year), 2026 or 2026/27"),
        (["IVWS", "1", "--out", "notice.pdf"], "notice.pdf: give the file a name ending .xlsx or .csv"),
        (["FCAR", "1"], "contract FCAR has no KPIs, so there is no performance to report"),
    ],
)
def test_what_the_person_can_fix_is_one_line_and_exit_code_2(
    demo: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code = main(["notice", *argv])

    assert code == 2 and message in capsys.readouterr().err
