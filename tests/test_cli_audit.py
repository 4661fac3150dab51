"""`steward audit`: the audit trail as a table, filtered by contract and date, safe to print in a terminal."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from commissioning.portfolio import parse_portfolio
from storage.audit import AuditLog
from storage.engine import Database
from storage.models import Contract, Person
from storage.portfolio import import_portfolio
from tests.conftest import DEMO, Harness
from tests.test_monthly_return_journey import IVWS_GOOD, ivws_id

IMPORTED = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


async def _seed(url: str) -> None:
    database = Database(url)
    try:
        await database.migrate()
        async with database.session() as session:
            await import_portfolio(session, parse_portfolio(DEMO.read_text(), str(DEMO)), now=IMPORTED)
        async with database.session() as session:
            ivws = (await session.execute(select(Contract.id).where(Contract.key == "IVWS"))).scalar_one()
            fcar = (await session.execute(select(Contract.id).where(Contract.key == "FCAR"))).scalar_one()
            priya = (
                await session.execute(
                    select(Person.id).where(Person.email == "priya.shah@victimsupport.example")
                )
            ).scalar_one()
            audit = AuditLog(session)
            audit.record(
                at=datetime(2026, 10, 30, 16, 45, tzinfo=UTC),
                actor_id=priya,
                action="return.draft_saved",
                entity="monthly_return",
                entity_id=1,
                contract_id=fcar,
                before={"values": {}, "narrative": ""},
                after={"values": {"FC1": "3600"}, "narrative": "Half done"},
            )
            audit.record(
                at=datetime(2026, 11, 3, 10, 30, tzinfo=UTC),
                actor_id=priya,
                action="return.amended",
                entity="monthly_return",
                entity_id=2,
                contract_id=ivws,
                before={"version": 1, "values": {"PI1": 2710, "PI2": 93.5}, "narrative": "Steady"},
                after={"version": 2, "values": {"PI1": 2710, "PI2": 88}, "narrative": "Steady"},
            )
            audit.record(
                at=datetime(2026, 11, 3, 23, 30, tzinfo=UTC),
                actor_id=None,
                action="team.removed",
                entity="team",
                entity_id="19:general@thread.tacv2",
                contract_id=ivws,
                before={"contract_id": ivws, "team": "IVWS contract team"},
            )
    finally:
        await database.dispose()


@pytest.fixture
def audited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with the demo portfolio and a few known events; the CLI reads it through DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    asyncio.run(_seed(url))
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(["audit", *argv])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_one_contracts_events_show_who_what_when_and_what_changed(
    audited: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = run(capsys, "--contract", "IVWS", "--since", "2026-11-01")

    assert code == 0
    assert lines == [
        "when              who         contract  action          what                          change",
        "----------------  ----------  --------  --------------  ----------------------------  " + "-" * 68,
        "2026-11-03 10:30  Priya Shah  IVWS      return.amended  monthly_return 2              "
        "version: 1 → 2; values.PI2: 93.5 → 88",
        "2026-11-03 23:30  Steward     IVWS      team.removed    team 19:general@thread.tacv2  "
        'contract_id removed (was 1); team removed (was "IVWS contract team")',
    ]


def test_since_is_a_local_day_and_includes_every_contract(
    audited: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = run(capsys, "--since", "2026-10-30")

    assert code == 0
    assert [line.split("  ")[0] for line in lines[2:]] == [
        "2026-10-30 16:45",
        "2026-11-03 10:30",
        "2026-11-03 23:30",
    ]
    assert lines[2].endswith('values.FC1="3600"; narrative: "" → "Half done"')
    assert " FCAR " in lines[2]


def test_without_filters_the_import_is_listed_too(audited: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(capsys)

    assert code == 0
    assert lines[2].startswith("2026-10-01 09:00  Steward   ")  # 08:00 UTC is 09:00 in London in October
    assert " import.create " in lines[2]
    assert len(lines) > 10


def test_an_unknown_contract_is_a_clean_error(audited: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = run(capsys, "--contract", "NOPE")

    assert code == 1
    assert lines == []
    assert err == "steward: no contract has the key NOPE; `steward contracts` lists them\n"


def test_a_bad_date_is_a_usage_error(audited: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["audit", "--since", "3 November"])

    assert exit_.value.code == 2
    assert "'3 November' is not a date like 2026-11-01" in capsys.readouterr().err


def test_an_empty_trail_says_none(audited: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(capsys, "--since", "2027-01-01")

    assert (code, lines) == (0, ["(none)"])


async def test_a_return_submitted_through_teams_is_in_the_audit_with_its_values(
    harness: Harness, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    evil = "Fine\x1b[2J\x1b[31m month\r\nrm -rf"
    await harness.user("priya").press(
        "return.submit",
        {"contract_id": await ivws_id(harness), "month": "2026-10", **IVWS_GOOD, "narrative": evil},
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", harness.database_url)

    code = await asyncio.to_thread(main, ["audit", "--contract", "IVWS"])

    out = capsys.readouterr().out
    assert code == 0
    [row] = [line for line in out.splitlines() if "return.submitted" in line]
    assert row.startswith("2026-11-03 10:00  Priya Shah  IVWS      return.submitted  monthly_return 1")
    assert row.endswith('version=1; values={7 fields}; narrative="Fine [2J [31m month rm -rf"')
    assert "\x1b" not in out
