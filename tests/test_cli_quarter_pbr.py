"""`steward quarter CRS-ACC 2026-Q2 --json`: the demo's fee for service and payment by results contract.

CRS-ACC (examples/demo-portfolio.yaml) has no KPIs; its illustrative seed 004 terms are £110,000 a
quarter in year 1 less 2% a year, and PbR against a 42% binary and a 1.5 frequency baseline. Q2 2026/27
(July to September 2026) is its year 2.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from commissioning.periods import Quarter
from commissioning.quarter.pbr import Cohort
from storage.engine import Database
from storage.models import Contract, Person
from storage.quarter import QuarterRepository
from tests.conftest import DEMO
from tests.test_cli_quarter import NOW, run, seed

FEE = {"amount": "107800.00", "year": 2, "year_1_fee": "110000.00", "learning_curve": 0.02, "discount": 0.02}


async def report_cohort(url: str, cohort: Cohort) -> None:
    """Lewis Grant's Q2 2026/27 KPI return for CRS-ACC, with the cohort."""
    database = Database(url)
    try:
        async with database.session() as session:
            contract = (await session.execute(select(Contract).where(Contract.key == "CRS-ACC"))).scalar_one()
            lewis = (
                await session.execute(
                    select(Person.id).where(Person.email == "lewis.grant@safehomes.example")
                )
            ).scalar_one()
            repo = QuarterRepository(session)
            kpi_return = await repo.find_or_create_return(contract.id, Quarter(2026, 2), NOW)
            await repo.submit_return(
                kpi_return, based_on_version=0, values={}, evidence={}, by_id=lewis, now=NOW, cohort=cohort
            )
    finally:
        await database.dispose()


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    asyncio.run(seed(url, DEMO.read_text(encoding="utf-8"), "CRS-ACC", "lewis.grant@safehomes.example", []))
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_with_the_cohort_the_fee_and_each_measure_add_up_to_what_the_quarter_pays(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """57 of 150 reoffend (38%, 4 points under 42%): 6 fewer × £1,200 = £7,200. 195 reoffences (1.3 per
    offender, 0.2 under 1.5): 30 fewer × £250 = £7,500. £107,800 + £7,200 + £7,500 = £122,500."""
    asyncio.run(report_cohort(demo, Cohort(offenders=150, reoffenders=57, reoffences=195)))

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
        "fee_for_service": FEE,
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


def test_a_worse_cohort_pays_a_penalty_capped_where_the_terms_cap_it(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """90 of 150 reoffend (60%, 18 points over 42%): 27 more × £600 = £16,200. 330 reoffences (2.2 per
    offender, 0.7 over 1.5): 105 more × £125 = £13,125, capped at £10,000. £107,800 − £26,200 = £81,600."""
    asyncio.run(report_cohort(demo, Cohort(offenders=150, reoffenders=90, reoffences=330)))

    code, out, _ = run(capsys, "CRS-ACC", "2026-Q2", "--json")

    assert code == 0
    data = json.loads(out)
    assert [(m["rate"], m["payment"], m["penalty"]) for m in data["pbr"]["measures"]] == [
        (0.6, "0.00", "16200.00"),
        (2.2, "0.00", "10000.00"),
    ]
    assert (data["pbr"]["net"], data["total"]) == ("-26200.00", "81600.00")


def test_before_the_cohort_is_reported_each_measure_says_why_it_has_no_figures(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "CRS-ACC", "2026-Q2", "--json")

    assert code == 0
    data = json.loads(out)
    waiting = "the Q2 2026/27 cohort is not reported yet: it comes with the quarter's KPI return"
    assert data["pbr"] == {
        "cohort": None,
        "measures": [
            {"measure": "binary", "baseline": 0.42, "rate": None, "payment": None, "penalty": None,
             "reason": waiting},
            {"measure": "frequency", "baseline": 1.5, "rate": None, "payment": None, "penalty": None,
             "reason": waiting},
        ],
        "net": None,
    }  # fmt: skip
    assert (data["fee_for_service"], data["total"]) == (FEE, None)


def test_the_text_shows_the_fee_each_measure_and_the_total(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(report_cohort(demo, Cohort(offenders=150, reoffenders=57, reoffences=195)))

    code, out, _ = run(capsys, "CRS-ACC", "2026-Q2")

    assert code == 0
    assert out.splitlines()[-9:] == [
        "payment: not worked out",
        "fee for service: £107800.00 (year 2: £110000.00 less 2% learning-curve discount)",
        "PbR cohort: 150 offenders, 57 reoffenders, 195 reoffences",
        "PbR binary: baseline 0.42, rate 0.38: payment £7200.00, penalty £0.00 (better than the baseline)",
        "PbR frequency: baseline 1.5, rate 1.3: payment £7500.00, penalty £0.00 (better than the baseline)",
        "PbR net: £14700.00",
        "total to pay: £122500.00",
        "approved: not yet",
        "- the contract has no KPIs, so no outcome payment: it is paid its fee and payment by results",
    ]
