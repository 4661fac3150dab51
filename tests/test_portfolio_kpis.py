"""KPI definitions in the portfolio file: checked on import (contract, KPI, field named), stored, replaced."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Connection, inspect, select

from commissioning.portfolio import PortfolioError, parse_portfolio
from commissioning.quarter import kpi_from_dict
from storage.engine import Database
from storage.models import Contract
from storage.portfolio import import_portfolio
from tests.conftest import START
from tests.migrations import downgrade_to
from tests.test_portfolio_import import SMALL

KPIS = """\
    kpis:
      - {code: REF, name: Referrals received, source: sum, pi: PI1, targets: {1: 900}, weights: {1: 30},
         banding: {floor: 0.8}}
      - {code: VCOP, name: Victims' Code compliance, source: reported, baseline_year: 1, live_from_year: 2,
         targets: {2: 90}, weights: {2: 50}}
"""
WITH_KPIS = SMALL + KPIS


@pytest.fixture
async def database(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'k.db'}")
    await db.migrate()
    yield db
    await db.dispose()


async def stored_kpis(database: Database) -> list[dict[str, object]] | None:
    async with database.session() as session:
        contract = (await session.execute(select(Contract).where(Contract.key == "VS"))).scalar_one()
        return contract.kpis


def test_a_contract_lists_its_kpis_in_the_shape_kpi_from_dict_reads() -> None:
    contract = parse_portfolio(WITH_KPIS, "k.yaml").contracts[0]

    ref, vcop = contract.kpi_definitions()
    assert (ref.code, ref.pi, ref.target_for(1), ref.weight_for(1), ref.banding.floor) == (
        "REF",
        "PI1",
        900,
        30,
        Decimal("0.8"),
    )
    assert (vcop.baseline_year, vcop.live_from_year, vcop.target_for(1), vcop.target_for(2)) == (
        1,
        2,
        None,
        90,
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ("targets: {2: 90}", "targets: {1: 80, 2: 90}"),
            "  line 22: contracts[1].kpis[2]: contract VS: KPI VCOP: definition: targets are set for year 1, "
            "before the KPI goes live (no target or weight then)",
        ),
        (
            ("source: sum, pi: PI1", "source: sum"),
            "  line 20: contracts[1].kpis[1]: contract VS: KPI REF: "
            "definition: a sum of monthly values names the PI code in pi",
        ),
        (
            ("weights: {1: 30}", "weights: {1: -30}"),
            "  line 20: contracts[1].kpis[1]: contract VS: KPI REF: definition: weights: the weight for year 1 is negative",
        ),
        (
            ("pi: PI1", "pi: PI9"),
            "  line 20: contracts[1].kpis[1]: contract VS: KPI REF: no monthly PI 'PI9' on this contract",
        ),
        (
            ("code: VCOP", "code: REF"),
            "  line 22: contracts[1].kpis[2]: contract VS: KPI REF appears twice",
        ),
        (
            ("source: reported", "source: guessed"),
            "  line 22: contracts[1].kpis[2]: contract VS: KPI VCOP: source: "
            "Input should be 'sum', 'mean', 'latest', 'ratio' or 'reported'",
        ),
    ],
    ids=["target-before-live", "sum-without-pi", "negative-weight", "unknown-pi", "repeated", "bad-source"],
)
def test_a_broken_kpi_is_refused_naming_the_contract_kpi_and_field(
    change: tuple[str, str], problem: str
) -> None:
    with pytest.raises(PortfolioError) as error:
        parse_portfolio(WITH_KPIS.replace(*change, 1), "k.yaml")

    assert error.value.describe().splitlines() == [
        "k.yaml: not imported, 1 problem(s); nothing was changed.",
        problem,
    ]


async def test_kpis_are_stored_and_a_reimport_replaces_them(database: Database) -> None:
    async with database.session() as session:
        await import_portfolio(session, parse_portfolio(WITH_KPIS, "k.yaml"), now=START)
    stored = await stored_kpis(database)
    assert stored is not None
    assert [kpi_from_dict(entry) for entry in stored] == list(
        parse_portfolio(WITH_KPIS, "k.yaml").contracts[0].kpi_definitions()
    )
    assert stored[0]["targets"] == {"1": "900"}

    async with database.session() as session:
        again = await import_portfolio(session, parse_portfolio(WITH_KPIS, "k.yaml"), now=START)
    assert not again.changed

    changed = WITH_KPIS.replace("targets: {1: 900}", "targets: {1: 950}").replace(
        KPIS.splitlines()[3] + "\n" + KPIS.splitlines()[4] + "\n", ""
    )
    async with database.session() as session:
        summary = await import_portfolio(session, parse_portfolio(changed, "k.yaml"), now=START)
    assert summary.updated == {"contract": 1}
    stored = await stored_kpis(database)
    assert stored is not None
    assert [(entry["code"], entry["targets"]) for entry in stored] == [("REF", {"1": "950"})]

    async with database.session() as session:
        await import_portfolio(session, parse_portfolio(SMALL, "k.yaml"), now=START)
    assert await stored_kpis(database) is None


def _kpis_column(connection: Connection) -> bool:
    return "kpis" in {column["name"] for column in inspect(connection).get_columns("contract")}


async def _check_migration(url: str) -> None:
    database = Database(url)
    await database.migrate()
    try:
        async with database.engine.begin() as connection:
            assert await connection.run_sync(_kpis_column) is True
            await connection.run_sync(downgrade_to("0007"))
            assert await connection.run_sync(_kpis_column) is False
    finally:
        await database.dispose()


async def test_0008_adds_and_drops_the_kpis_column_on_sqlite(tmp_path: Path) -> None:
    await _check_migration(f"sqlite+aiosqlite:///{tmp_path / 'steward.db'}")


async def test_0008_adds_and_drops_the_kpis_column_on_postgresql(postgres_url: str) -> None:
    await _check_migration(postgres_url)
