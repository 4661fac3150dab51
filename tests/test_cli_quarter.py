"""`steward quarter CONTRACT QUARTER [--json]`: the quarter from the stored KPIs and the submitted returns."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from commissioning.periods import Month
from commissioning.portfolio import parse_portfolio
from storage.engine import Database
from storage.models import Contract, Indicator, Person
from storage.portfolio import import_portfolio
from storage.returns import ReturnsRepository

NOW = datetime(2026, 7, 10, 9, 0, tzinfo=UTC)

PORTFOLIO = """\
organisations:
  - {key: opcc, name: Example OPCC, kind: commissioner}
  - {key: charity, name: Example Charity, kind: provider}
people:
  - {email: ann@opcc.example, name: Ann, organisation: opcc}
  - {email: bob@charity.example, name: Bob, organisation: charity}
contracts:
  - key: VS
    name: Victim service
    commissioner: opcc
    provider: charity
    starts_on: 2026-04-01
    ends_on: 2029-03-31
    value: 4800000
    outcome_share: 0.25
    roles:
      commissioner: [ann@opcc.example]
      provider_contact: [bob@charity.example]
    indicators:
      - {code: PI1, name: Referrals, kind: count}
      - {code: SATIS, name: Satisfied, kind: count}
      - {code: SURV, name: Surveyed, kind: count}
    kpis:
      - {code: REF, name: Referrals received, source: sum, pi: PI1, targets: {1: 900, 2: 1000},
         weights: {1: 30, 2: 20}, banding: {floor: 0.8}}
      - {code: SAT, name: Service users satisfied, source: ratio, numerator: SATIS, denominator: SURV,
         scale: 100, targets: {1: 85}, weights: {1: 20, 2: 30}}
      - {code: VCOP, name: Victims' Code compliance, source: reported, baseline_year: 1, live_from_year: 2,
         targets: {2: 90}, weights: {2: 50}}
  - key: NOKPI
    name: Contract without KPIs
    commissioner: opcc
    provider: charity
    starts_on: 2026-04-01
    ends_on: 2027-03-31
"""

# Q1 2026/27: 300 + 310 + 245 = 855 referrals; 170 satisfied of 200 surveyed. June was amended (200 -> 245).
RETURNS = [
    (Month(2026, 4), {"PI1": 300, "SATIS": 60, "SURV": 70}),
    (Month(2026, 5), {"PI1": 310, "SATIS": 55, "SURV": 65}),
    (Month(2026, 6), {"PI1": 200, "SATIS": 55, "SURV": 65}),
    (Month(2026, 6), {"PI1": 245, "SATIS": 55, "SURV": 65}),
]


Returns = list[tuple[Month, dict[str, int]]]


async def seed(url: str, portfolio: str, key: str, by: str, submitted: Returns) -> None:
    """The portfolio imported, and `submitted` submitted on contract `key` by `by`, in order."""
    database = Database(url)
    try:
        await database.migrate()
        async with database.session() as session:
            await import_portfolio(session, parse_portfolio(portfolio, "q.yaml"), now=NOW)
        async with database.session() as session:
            contract = (await session.execute(select(Contract).where(Contract.key == key))).scalar_one()
            bob = (await session.execute(select(Person.id).where(Person.email == by))).scalar_one()
            indicators = list(
                (
                    await session.execute(select(Indicator).where(Indicator.contract_id == contract.id))
                ).scalars()
            )
            returns = ReturnsRepository(session)
            for month, values in submitted:
                monthly = await returns.find_or_create(contract.id, month, NOW)
                await session.flush()
                await returns.submit(
                    monthly,
                    based_on_version=monthly.current_version,
                    values={code: float(value) for code, value in values.items()},
                    indicators=indicators,
                    narrative="",
                    by_id=bob,
                    now=NOW,
                )
    finally:
        await database.dispose()


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'quarter.db'}"
    asyncio.run(seed(url, PORTFOLIO, "VS", "bob@charity.example", RETURNS))
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["quarter", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_json_is_the_quarter_worked_out_from_the_returns(
    seeded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "VS", "2026-Q1", "--json")

    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "contract": "VS",
        "quarter": "2026Q1",
        "pot": "100000.00",
        "kpis": [
            {"code": "REF", "name": "Referrals received", "live": True, "baseline_year": False,
             "result": 855.0, "target": 900.0, "achievement": 0.75, "weight": 30.0},
            {"code": "SAT", "name": "Service users satisfied", "live": True, "baseline_year": False,
             "result": 85.0, "target": 85.0, "achievement": 1.0, "weight": 20.0},
            {"code": "VCOP", "name": "Victims' Code compliance", "live": False, "baseline_year": True,
             "result": None, "target": None, "achievement": None, "weight": None},
        ],
        "weighted_achievement": 0.85,
        "payment": "85000.00",
        "approved": None,
        "fee_for_service": None,
        "pbr": None,
        "total": "85000.00",
    }  # fmt: skip


def test_the_contract_by_name_and_the_quarter_without_a_dash_give_the_same(
    seeded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, by_key, _ = run(capsys, "VS", "2026-Q1", "--json")
    code, by_name, _ = run(capsys, "victim service", "2026q1", "--json")

    assert code == 0
    assert by_name == by_key


def test_a_quarter_with_missing_data_has_no_payment_and_says_why(
    seeded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "VS", "2027Q1", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["pot"], data["weighted_achievement"], data["payment"]) == ("100000.00", None, None)
    assert [(k["code"], k["live"], k["weight"]) for k in data["kpis"]] == [
        ("REF", True, 20.0),
        ("SAT", True, 30.0),
        ("VCOP", True, 50.0),
    ]

    code, out, _ = run(capsys, "VS", "2027Q1")
    assert code == 0
    assert out.splitlines()[-3:] == [
        "- REF has no result: no data: April 2027 has no return; May 2027 has no return; June 2027 has no return",
        "- SAT has no result: no data: April 2027 has no return; May 2027 has no return; June 2027 has no return",
        "- VCOP has no result: no result for VCOP in the Q1 2027/28 KPI return",
    ]


def test_without_json_a_readable_table(seeded: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "VS", "2026Q1")

    assert code == 0
    assert out.splitlines() == [
        "VS 2026Q1: outcome pot £100000.00",
        "",
        "KPI   name                      status         result  target  achievement  weight",
        "----  ------------------------  -------------  ------  ------  -----------  ------",
        "REF   Referrals received        live           855     900     0.75         30",
        "SAT   Service users satisfied   live           85      85      1            20",
        "VCOP  Victims' Code compliance  baseline year  -       -       -            -",
        "",
        "weighted achievement: 0.85",
        "payment: £85000.00",
        "approved: not yet",
        "- VCOP is in its baseline year (year 1): it collects data, with no target or weight",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("NOPE", "2026Q1"),
            "steward: no contract has the key or name 'NOPE'; `steward contracts` lists them\n",
        ),
        (
            ("VS", "2026-3"),
            "steward: '2026-3' is not a quarter: write it like 2026-Q3 or 2026Q3\n",
        ),
        (
            ("VS", "2029Q1"),
            "steward: 2029Q1 is outside the contract, which runs from 2026Q1 to 2028Q4\n",
        ),
        (
            ("NOKPI", "2026Q1", "--json"),
            "steward: contract NOKPI has no KPIs and no payment terms: list them under its `kpis` or "
            "`payment` in the portfolio file (README.md, docs/quarter.md) and run `steward import FILE`\n",
        ),
    ],
    ids=["unknown-contract", "bad-quarter", "outside-the-contract", "no-kpis"],
)
def test_what_to_fix_is_said_with_exit_code_2_and_no_traceback(
    seeded: str, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, *argv)

    assert (code, out, err) == (2, "", message)


def test_help_says_what_it_prints(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["quarter", "--help"])
    text = " ".join(capsys.readouterr().out.split())

    assert "weighted_achievement, payment and approved" in text
    assert "e.g. 2026-Q3 or 2026Q3" in text
