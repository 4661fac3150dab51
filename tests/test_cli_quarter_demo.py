"""The demo portfolio's IVWS contract has seed 001's KPIs: a year-1 quarter pays, a year-2 quarter waits for data."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from commissioning.periods import Month
from tests.conftest import DEMO
from tests.test_cli_quarter import run, seed

# Q1 2025/26, year 1: 2500 + 2400 + 2300 = 7200 referrals of 7500 (floor 6000): 1200 / 1500 = 0.8.
# Satisfaction (82 + 78 + 77) / 3 = 79 of 80 (floor 72): 7 / 8 = 0.875. Weights 50 and 50.
DEMO_RETURNS = [
    (Month(2025, 4), {"PI1": 2500, "PI6": 82}),
    (Month(2025, 5), {"PI1": 2400, "PI6": 78}),
    (Month(2025, 6), {"PI1": 2300, "PI6": 77}),
]


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    text = DEMO.read_text(encoding="utf-8")
    asyncio.run(seed(url, text, "IVWS", "priya.shah@victimsupport.example", DEMO_RETURNS))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)


def test_a_year_one_quarter_pays_on_referrals_and_satisfaction(
    demo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "IVWS", "2025-Q1", "--json")

    assert code == 0
    data = json.loads(out)
    # £12,400,000 × 25% over 16 quarters = £193,750; × (0.8 × 0.5 + 0.875 × 0.5 = 0.8375) = £162,265.625.
    assert (data["pot"], data["weighted_achievement"], data["payment"]) == ("193750.00", 0.8375, "162265.63")
    assert [(k["code"], k["live"], k["baseline_year"], k["result"], k["achievement"], k["weight"])
            for k in data["kpis"]] == [
        ("REF", True, False, 7200.0, 0.8, 50.0),
        ("SAT", True, False, 79.0, 0.875, 50.0),
        ("COPE", False, True, None, None, None),
        ("BEST", False, True, None, None, None),
        ("VCOP", False, True, None, None, None),
    ]  # fmt: skip


def test_in_year_two_the_baseline_kpis_go_live_and_the_weights_change(
    demo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "IVWS", "2026Q1", "--json")

    assert code == 0
    data = json.loads(out)
    assert [(k["code"], k["live"], k["target"], k["weight"]) for k in data["kpis"]] == [
        ("REF", True, 7500.0, 20.0),
        ("SAT", True, 80.0, 20.0),
        ("COPE", True, 75.0, 25.0),
        ("BEST", True, 80.0, 20.0),
        ("VCOP", True, 95.0, 15.0),
    ]
    assert (data["weighted_achievement"], data["payment"]) == (None, None)  # no returns for 2026/27 here
