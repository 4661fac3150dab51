"""`steward import FILE.xlsx` and `--template`: the Excel portfolio imports exactly what the YAML one does."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.cli import main
from commissioning.portfolio import parse_portfolio
from commissioning.portfolio_sheets import template_workbook
from storage.engine import Database
from storage.models import Contract, ContractRole, Indicator, Organisation, Person
from tests.conftest import DEMO

TABLES = (Organisation, Person, Contract, ContractRole, Indicator)


async def contents(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of the portfolio's tables, in id order."""
    database = Database(url)
    try:
        async with database.session() as session:
            found = {}
            for model in TABLES:
                rows = (await session.execute(select(model).order_by(model.id))).scalars()  # type: ignore[attr-defined]
                found[model.__name__] = [row.model_dump() for row in rows]
            return found
    finally:
        await database.dispose()


async def people(url: str) -> int:
    database = Database(url)
    try:
        await database.migrate()
        async with database.session() as session:
            return int((await session.execute(select(func.count()).select_from(Person))).scalar_one())
    finally:
        await database.dispose()


@pytest.fixture
def demo_xlsx(tmp_path: Path) -> Path:
    """The demo portfolio exported to the template's format."""
    path = tmp_path / "demo.xlsx"
    path.write_bytes(template_workbook(parse_portfolio(DEMO.read_text(encoding="utf-8"), "demo")))
    return path


def test_the_demo_in_excel_gives_the_same_database_as_the_yaml(
    demo_xlsx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    databases = {}
    for name, source in (("yaml", DEMO), ("excel", demo_xlsx)):
        url = f"sqlite:///{tmp_path / name}.db"
        monkeypatch.setenv("DATABASE_URL", url)
        assert main(["import", str(source)]) == 0
        databases[name] = asyncio.run(contents(url))
    out = capsys.readouterr().out.splitlines()

    assert (
        out[0] == out[1] == "Imported: created 3 contract, 22 indicator, 5 organisation, 15 person, 15 role."
    )
    assert databases["excel"] == databases["yaml"]
    assert len(databases["excel"]["Contract"][0]["kpis"]) == 5


def test_a_broken_cell_imports_nothing_and_says_where(
    demo_xlsx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = load_workbook(demo_xlsx)
    workbook["Indicators"]["J7"] = "about ninety"
    broken = tmp_path / "broken.xlsx"
    workbook.save(broken)
    url = f"sqlite:///{tmp_path / 'p.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)

    code = main(["import", str(broken)])

    _, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines() == [
        f"steward: {broken}: not imported, 1 problem(s); nothing was changed.",
        "  Indicators!J7: requirement must be a number",
    ]
    assert asyncio.run(people(url)) == 0


def test_the_template_command_writes_the_empty_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["import", "--template", "portfolio.xlsx"]) == 0
    assert capsys.readouterr().out == (
        "Wrote the Excel portfolio template to portfolio.xlsx: fill it in, then `steward import portfolio.xlsx`.\n"
    )
    workbook = load_workbook(io.BytesIO((tmp_path / "portfolio.xlsx").read_bytes()))
    assert workbook.sheetnames[0] == "Notes"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import"], "say which portfolio file to import (YAML or .xlsx), or --template FILE.xlsx"),
        (
            ["import", "--template", "missing/portfolio.xlsx"],
            "cannot write missing/portfolio.xlsx: there is no folder missing",
        ),
    ],
)
def test_import_without_a_file_or_to_nowhere_is_exit_code_2(
    argv: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert capsys.readouterr().err == f"steward: {message}\n"
