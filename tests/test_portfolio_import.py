"""Administrators load contracts, indicators, people and roles from a portfolio file."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.cli import main
from commissioning.portfolio import PortfolioError, parse_portfolio
from storage.engine import Database
from storage.models import AuditEvent, ContractRole, Indicator, Person
from storage.portfolio import import_portfolio
from tests.conftest import DEMO, START

DEMO_TEXT = DEMO.read_text(encoding="utf-8")

SMALL = """\
organisations:
  - {key: opcc, name: Example OPCC, kind: commissioner}
  - {key: charity, name: Example Charity, kind: provider}
people:
  - {email: Ann@opcc.example, name: Ann, organisation: opcc}
  - {email: bob@charity.example, name: Bob, organisation: charity}
contracts:
  - key: VS
    name: Victim service
    commissioner: opcc
    provider: charity
    starts_on: 2026-04-01
    ends_on: 2027-03-31
    roles:
      commissioner: [ann@opcc.example]
      provider_contact: [bob@charity.example]
    indicators:
      - {code: PI1, name: Referrals, kind: count, requirement: 10}
"""


@pytest.fixture
async def database(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'p.db'}")
    await db.migrate()
    yield db
    await db.dispose()


async def counts(database: Database) -> tuple[int, int, int, int]:
    found = []
    async with database.session() as session:
        for model in (Person, ContractRole, Indicator, AuditEvent):
            found.append((await session.execute(select(func.count()).select_from(model))).scalar_one())
    return tuple(found)  # type: ignore[return-value]


def test_the_demo_portfolio_parses() -> None:
    portfolio = parse_portfolio(DEMO_TEXT, "demo")

    assert [c.key for c in portfolio.contracts] == ["IVWS", "FCAR", "CRS-ACC"]
    assert len(portfolio.people) == 15


async def test_importing_the_same_file_twice_changes_nothing(database: Database) -> None:
    portfolio = parse_portfolio(DEMO_TEXT, "demo")
    async with database.session() as session:
        first = await import_portfolio(session, portfolio, now=START)
    after_first = await counts(database)

    async with database.session() as session:
        second = await import_portfolio(session, portfolio, now=START)

    assert first.created == {"contract": 3, "indicator": 22, "organisation": 5, "person": 15, "role": 15}
    assert first.updated == {}
    assert not second.changed
    assert second.describe() == "Nothing to change: the database already matches the file."
    assert await counts(database) == after_first


async def test_reimporting_with_a_role_moved_updates_exactly_that(database: Database) -> None:
    async with database.session() as session:
        await import_portfolio(session, parse_portfolio(SMALL, "v1"), now=START)
    moved = SMALL.replace("provider_contact: [bob@charity.example]", "head_of_service: [bob@charity.example]")

    async with database.session() as session:
        summary = await import_portfolio(session, parse_portfolio(moved, "v2"), now=START)

    assert (summary.created, summary.removed, summary.updated) == ({"role": 1}, {"role": 1}, {})


async def test_an_indicator_dropped_from_the_file_is_retired_not_deleted(database: Database) -> None:
    async with database.session() as session:
        await import_portfolio(session, parse_portfolio(SMALL, "v1"), now=START)
    without = SMALL.replace(
        "    indicators:\n      - {code: PI1, name: Referrals, kind: count, requirement: 10}\n",
        "    indicators: []\n",
    )

    async with database.session() as session:
        summary = await import_portfolio(session, parse_portfolio(without, "v2"), now=START)
        [indicator] = (await session.execute(select(Indicator))).scalars()

    assert summary.removed == {"indicator": 1}
    assert indicator.active is False


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ("kind: count, requirement: 10", "kind: counted, requirement: 10"),
            "  line 18: contracts[1].indicators[1].kind: Input should be 'whole_number', 'count', 'percentage' or 'yes_no'",
        ),
        (
            ("email: bob@charity.example", "email: bob-at-charity"),
            "  line 6: people[2].email: 'bob-at-charity' is not an email address",
        ),
        (
            ("ends_on: 2027-03-31", "ends_on: 2025-03-31"),
            "  line 8: contracts[1]: ends_on must be after starts_on",
        ),
        (
            ("provider: charity", "provider: nobody"),
            "  line 11: contracts[1].provider: no organisation with key 'nobody'",
        ),
        (
            ("provider_contact: [bob@charity.example]", "provider_contact: [eve@charity.example]"),
            "  line 16: contracts[1].roles.provider_contact[1]: no person with email 'eve@charity.example'",
        ),
        (
            ("commissioner: opcc\n", "commissioner: charity\n"),
            "  line 10: contracts[1].commissioner: organisation 'charity' is a provider, not a commissioner",
        ),
        (
            ("    roles:", "    colour: blue\n    roles:"),
            "  line 14: contracts[1].colour: Extra inputs are not permitted",
        ),
        (
            ("name: Victim service", "name: [unclosed"),
            "  line 10: file: not valid YAML: expected ',' or ']', but got ':'",
        ),
    ],
    ids=[
        "bad-kind",
        "bad-email",
        "dates",
        "unknown-org",
        "unknown-person",
        "wrong-org-kind",
        "unknown-field",
        "yaml",
    ],
)
def test_a_broken_file_is_refused_with_the_line_and_field_at_fault(
    change: tuple[str, str], problem: str
) -> None:
    broken = SMALL.replace(*change, 1)

    with pytest.raises(PortfolioError) as error:
        parse_portfolio(broken, "broken.yaml")

    assert (
        error.value.describe().splitlines()[0]
        == "broken.yaml: not imported, 1 problem(s); nothing was changed."
    )
    assert error.value.describe().splitlines()[1] == problem


def test_the_import_command_reports_what_it_did_and_then_that_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "portfolio.yaml"
    path.write_text(SMALL, encoding="utf-8")

    assert main(["import", str(path)]) == 0
    assert main(["import", str(path)]) == 0

    assert capsys.readouterr().out.splitlines() == [
        "Imported: created 1 contract, 1 indicator, 2 organisation, 2 person, 2 role.",
        "Nothing to change: the database already matches the file.",
    ]


def test_the_import_command_refuses_a_broken_file_whole_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "broken.yaml"
    path.write_text(SMALL.replace("provider: charity", "provider: nobody"), encoding="utf-8")

    assert main(["import", str(path)]) == 1
    assert main(["people"]) == 0

    captured = capsys.readouterr()
    assert "line 11: contracts[1].provider: no organisation with key 'nobody'" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out.strip() == "(none)"


def test_contracts_and_people_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "portfolio.yaml"
    path.write_text(SMALL, encoding="utf-8")
    main(["import", str(path)])
    capsys.readouterr()

    main(["contracts"])
    contracts = capsys.readouterr().out.splitlines()
    main(["people"])
    people = capsys.readouterr().out.splitlines()

    assert contracts[2].split() == [
        "VS",
        "Victim",
        "service",
        "Example",
        "OPCC",
        "Example",
        "Charity",
        "2026-04-01",
        "to",
        "2027-03-31",
        "1",
        "PIs,",
        "0",
        "KPIs",
    ]
    assert people[2].split()[:3] == ["ann@opcc.example", "Ann", "opcc"]
    assert people[3].split()[-1] == "VS:provider_contact"


def test_people_shows_who_steward_cannot_reach_and_unreachable_lists_only_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "portfolio.yaml"
    path.write_text(SMALL, encoding="utf-8")
    main(["import", str(path)])

    async def refused(email: str) -> None:  # as the dispatcher marks someone Teams answered 403/404 for
        database = Database(url)
        async with database.session() as session:
            await session.execute(
                update(Person)
                .where(Person.email == email)
                .values(unreachable_since=datetime(2026, 11, 10, 10, tzinfo=UTC))
            )
        await database.dispose()

    asyncio.run(refused("bob@charity.example"))
    capsys.readouterr()

    main(["people"])
    everyone = capsys.readouterr().out.splitlines()
    main(["people", "--unreachable"])
    unreachable = capsys.readouterr().out.splitlines()

    assert everyone[0].split() == [
        "email",
        "name",
        "organisation",
        "linked",
        "to",
        "Teams",
        "unreachable",
        "since",
        "roles",
    ]
    assert everyone[2].split()[-2:] == ["-", "VS:commissioner"]
    assert everyone[3].split()[-3:] == ["2026-11-10", "10:00", "VS:provider_contact"]
    assert [line.split()[0] for line in unreachable[2:]] == ["bob@charity.example"]
