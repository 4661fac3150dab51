"""`steward report framework|monthly|pack`: a contract's workbooks from the stored returns, actions and deliverables."""

from __future__ import annotations

import asyncio
import io
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.cli import main
from bot.quarter_report import find_contract, parse_quarter
from bot.report_workbooks import framework_workbook, monthly_workbook, pack_workbook, term_of
from commissioning.actions import ActionLevel, ActionStatus
from commissioning.periods import Month
from storage.actions import ActionsRepository
from storage.deliverables import DeliverablesRepository
from storage.engine import Database
from storage.models import Contract, Indicator, Person
from storage.returns import ReturnsRepository
from tests.test_cli_quarter import PORTFOLIO, RETURNS, seed

NOW = datetime(2026, 7, 10, 9, 0, tzinfo=UTC)
NARRATIVE = '=HYPERLINK("http://evil.example","Click me")'


async def add_the_rest(url: str) -> None:
    """July's return with a hostile narrative, two actions (one closed in Q1, one open) and a deliverable."""
    database = Database(url)
    try:
        async with database.session() as session:
            contract = (await session.execute(select(Contract).where(Contract.key == "VS"))).scalar_one()
            bob = (
                await session.execute(select(Person).where(Person.email == "bob@charity.example"))
            ).scalar_one()
            indicators = list(
                (
                    await session.execute(select(Indicator).where(Indicator.contract_id == contract.id))
                ).scalars()
            )
            returns = ReturnsRepository(session)
            monthly = await returns.find_or_create(contract.id, Month(2026, 7), NOW)
            await session.flush()
            values = {"PI1": 330.0, "SATIS": 50.0, "SURV": 60.0}
            await returns.submit(
                monthly,
                based_on_version=0,
                values=values,
                indicators=indicators,
                narrative=NARRATIVE,
                by_id=bob.id,
                now=NOW,
            )
            actions = ActionsRepository(session)
            due = date(2026, 6, 30)
            for what in ("Send the staffing plan", "Explain June's drop in referrals"):
                await actions.add_action(
                    contract_id=contract.id,
                    meeting_id=None,
                    description=what,
                    owner_id=bob.id,
                    due_on=due,
                    level=ActionLevel.MONTHLY,
                    by_id=bob.id,
                    now=NOW,
                )
            done = await actions.action(1)
            assert done is not None
            done.status, done.closed_at, done.progress = ActionStatus.DONE.value, NOW, "Sent on 1 July"
            await DeliverablesRepository(session).save_deliverable(
                contract_id=contract.id,
                quarter_start=date(2026, 4, 1),
                code="action_log",
                status="supplied",
                location="https://sharepoint.example/actions.xlsx",
                note="",
                reason="",
                by_id=bob.id,
                now=NOW,
                existing=None,
            )
    finally:
        await database.dispose()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded database built once for this module (migrating takes seconds); each test gets a copy."""
    path = tmp_path_factory.mktemp("report") / "template.db"
    url = f"sqlite:///{path}"
    asyncio.run(seed(url, PORTFOLIO, "VS", "bob@charity.example", RETURNS))
    asyncio.run(add_the_rest(url))
    return path


@pytest.fixture
def seeded(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    shutil.copyfile(template, tmp_path / "report.db")
    url = f"sqlite:///{tmp_path / 'report.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["report", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_framework_writes_the_workbook_and_says_so(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "vs-q1.xlsx"
    code, stdout, stderr = run(capsys, "framework", "VS", "2026-Q1", "--out", str(out))

    assert code == 0
    assert stderr == "steward: building the quarterly performance framework for VS 2026-Q1…\n"
    assert stdout.startswith(f"Wrote the quarterly performance framework to {out} (")
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["PIs", "KPIs", "Payment", "Commentary"]
    pis = workbook["PIs"]
    assert [c.value for c in pis[4]][:9] == [
        "PI1",
        "Referrals",
        "no minimum set",
        None,
        300,
        "Not rated",
        310,
        "Not rated",
        245,
    ]
    payment = {r[0]: r[1] for r in workbook["Payment"].iter_rows(min_row=4, values_only=True)}
    assert (payment["Outcome pot"], payment["Weighted achievement"], payment["Payment"]) == (
        100000,
        0.85,
        85000,
    )


def test_the_framework_read_with_pandas_shows_the_figures_steward_quarter_prints(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "framework", "VS", "2026Q1", "--out", str(tmp_path / "f.xlsx"))
    assert main(["quarter", "VS", "2026Q1", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)

    kpis = pd.read_excel(tmp_path / "f.xlsx", sheet_name="KPIs", header=2)

    assert kpis["Code"].tolist() == [k["code"] for k in summary["kpis"]]
    assert kpis["Result"].tolist()[:2] == [k["result"] for k in summary["kpis"]][:2]
    assert kpis["Achievement"].tolist()[:2] == [k["achievement"] for k in summary["kpis"]][:2]
    assert kpis["Weight"].tolist()[:2] == [k["weight"] for k in summary["kpis"]][:2]


def test_monthly_covers_every_month_to_the_newest_return_with_totals_and_trends(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "vs-monthly.xlsx"
    code, _, stderr = run(capsys, "monthly", "victim service", "--out", str(out))

    assert code == 0
    assert stderr == "steward: building the cumulative monthly framework for victim service…\n"
    workbook = load_workbook(out)
    grid = workbook["Monthly framework"]
    assert [c.value for c in grid[3]][4:8] == ["April 2026", "May 2026", "June 2026", "July 2026"]
    assert [c.value for c in grid[4]][4:9] == [300, 310, 245, 330, 1185]
    trends = workbook["Trends"]
    assert len(trends._charts) == 3
    assert trends._charts[0].series[0].val.numRef.f == "'Trends'!$B$5:$B$8"
    commentary = workbook["Commentary"]
    assert commentary["D7"].value == "'" + NARRATIVE
    assert commentary["D7"].data_type == "s"


def test_monthly_to_a_quarter_stops_at_its_end(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "monthly", "VS", "--to", "2026-Q1", "--out", str(tmp_path / "m.xlsx"))
    assert code == 0
    header = [c.value for c in load_workbook(tmp_path / "m.xlsx")["Monthly framework"][3]]
    assert header[4:8] == ["April 2026", "May 2026", "June 2026", "To date"]


def test_the_pack_lists_open_and_closed_actions_and_the_deliverables(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pack.xlsx"
    code, _, _ = run(capsys, "pack", "VS", "2026-Q1", "--out", str(out))

    assert code == 0
    workbook = load_workbook(out)
    assert workbook.sheetnames == [
        "Cover",
        "Framework",
        "KPIs",
        "Payment",
        "Commentary",
        "Actions",
        "Deliverables",
    ]
    actions = [[c.value for c in r][:5] for r in workbook["Actions"].iter_rows(min_row=4, max_row=5)]
    assert [(a[0], a[1], a[2], a[4]) for a in actions] == [
        (2, "Explain June's drop in referrals", "Bob", "Open"),
        (1, "Send the staffing plan", "Bob", "Done"),
    ]
    deliverables = {r[0]: r[1:3] for r in workbook["Deliverables"].iter_rows(min_row=4, values_only=True)}
    assert deliverables["Action log"] == ("Supplied", "https://sharepoint.example/actions.xlsx")
    assert deliverables["Updated Risk Register"] == ("Missing", None)


async def test_each_workbook_is_one_function_returning_the_file_bytes(seeded: str) -> None:
    database = Database(seeded)
    try:
        async with database.session() as session:
            contract = await find_contract(session, "VS")
            quarter = parse_quarter("2026-Q1", term_of(contract))
            files = [
                await framework_workbook(session, contract, quarter),
                await monthly_workbook(session, contract),
                await pack_workbook(session, contract, quarter, today=date(2026, 7, 10)),
            ]
    finally:
        await database.dispose()
    assert [load_workbook(io.BytesIO(data)).sheetnames[0] for data in files] == [
        "PIs",
        "Monthly framework",
        "Cover",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("framework", "NOPE", "2026Q1"),
            "no contract has the key or name 'NOPE'; `steward contracts` lists them",
        ),
        (("framework", "VS", "2026-Q9"), "'2026-Q9' is not a quarter: write it like 2026-Q3 or 2026Q3"),
        (("pack", "VS", "2030Q1"), "2030Q1 is outside the contract, which runs from 2026Q1 to 2028Q4"),
        (("monthly", "VS", "--to", "soon"), "'soon' is not a quarter: write it like 2026-Q3 or 2026Q3"),
    ],
)
def test_what_the_person_can_fix_is_one_line_and_exit_code_2(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "x.xlsx"
    code, stdout, stderr = run(capsys, *argv, "--out", str(out))

    assert (code, stdout) == (2, "")
    assert stderr.splitlines()[-1] == f"steward: {message}"
    assert not out.exists()


def test_an_unwritable_file_is_refused_before_any_work(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, stderr = run(
        capsys, "framework", "VS", "2026Q1", "--out", str(tmp_path / "no" / "such" / "f.xlsx")
    )
    assert (code, stderr) == (
        2,
        f"steward: cannot write {tmp_path / 'no' / 'such' / 'f.xlsx'}: there is no folder {tmp_path / 'no' / 'such'}\n",
    )

    code, _, stderr = run(capsys, "framework", "VS", "2026Q1", "--out", "report.csv")
    assert (code, stderr) == (2, "steward: report.csv: give the workbook a name ending .xlsx\n")


def test_help_says_what_each_workbook_holds(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    listing = capsys.readouterr().out
    assert "framework" in listing and "monthly" in listing and "pack" in listing
    with pytest.raises(SystemExit):
        main(["report", "pack", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Actions (open actions and those closed since the quarter began" in text
    assert "Deliverables" in text
