"""`steward leave`: an administrator records someone's leave; mistakes are one line and exit code 2.

The command checks the dates against the real clock, so the leave here is years ahead.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from storage.engine import Database
from storage.leave_models import LeaveRecord
from storage.models import AuditEvent, Contract, Person
from tests.conftest import DEMO_TEMPLATES, START


async def _recorded(url: str) -> tuple[list[tuple[str, str, dict[str, int]]], list[str], dict[str, int]]:
    database = Database(url)
    try:
        async with database.session() as session:
            people = {p.id: p.name for p in (await session.execute(select(Person))).scalars()}
            contracts = {c.id: c.key for c in (await session.execute(select(Contract))).scalars()}
            rows = [
                (
                    people[r.person_id],
                    f"{r.starts_on} to {r.ends_on}",
                    {contracts[int(c)]: p for c, p in r.delegates.items()},
                )
                for r in (await session.execute(select(LeaveRecord))).scalars()
            ]
            audited = [e.action for e in (await session.execute(select(AuditEvent))).scalars()]
            ids = {name: person_id for person_id, name in people.items()}
    finally:
        await database.dispose()
    return rows, audited, ids


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The demo portfolio in the database `steward` uses."""
    asyncio.run(DEMO_TEMPLATES.copy_to(tmp_path / "steward.db", START))
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


def test_an_administrator_records_leave_with_a_delegate(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "leave",
            "priya.shah@victimsupport.example",
            "2036-12-22",
            "2037-01-05",
            "--delegate",
            "IVWS=tom.whitaker@victimsupport.example",
        ]
    )

    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        "Recorded leave for Priya Shah: Monday 22 December 2036 to Monday 5 January 2037.",
        "Delegates:",
        "  IVWS: Tom Whitaker",
    ]
    rows, audited, ids = asyncio.run(_recorded(cli_env))
    assert rows == [("Priya Shah", "2036-12-22 to 2037-01-05", {"IVWS": ids["Tom Whitaker"]})]
    assert audited.count("leave.recorded") == 1


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (
            ["nobody@example.org", "2036-12-22", "2037-01-05"],
            "steward: no one is called or has the email nobody@example.org; `steward people` lists them\n",
        ),
        (
            ["Priya Shah", "2037-01-05", "2036-12-22"],
            "steward: The last day must be on or after the first day.\n",
        ),
        (
            ["Priya Shah", "2036-12-22", "2037-01-05", "--delegate", "IVWS=daniel.reyes@mopac.example"],
            "steward: --delegate IVWS=daniel.reyes@mopac.example: daniel.reyes@mopac.example is not on IVWS "
            "on Priya Shah's side of it\n",
        ),
        (
            [
                "Priya Shah",
                "2036-12-22",
                "2037-01-05",
                "--delegate",
                "NOPE=tom.whitaker@victimsupport.example",
            ],
            "steward: --delegate NOPE=tom.whitaker@victimsupport.example: no contract has the key NOPE; "
            "`steward contracts` lists them\n",
        ),
    ],
)
def test_what_the_administrator_can_fix_is_one_line_and_exit_code_2(
    cli_env: str, capsys: pytest.CaptureFixture[str], argv: list[str], error: str
) -> None:
    assert main(["leave", *argv]) == 2
    assert capsys.readouterr().err == error
    rows, _, _ = asyncio.run(_recorded(cli_env))
    assert rows == []


def test_help_says_what_leave_does(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["leave", "--help"])
    assert "While they are away their reminders wait" in capsys.readouterr().out.replace("\n", " ").replace(
        "  ", " "
    )
