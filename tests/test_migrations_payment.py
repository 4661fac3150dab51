"""Migrations 0014 and 0015 on SQLite and PostgreSQL: payment terms and the cohort come and go; a rating
answer may name a quarter instead of a return, and downgrading removes those answers."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect, text

from storage.engine import Database
from tests.migrations import downgrade_to


def _columns(connection: Connection, table: str) -> dict[str, bool]:
    """Each column's name and whether it may be NULL."""
    return {column["name"]: column["nullable"] for column in inspect(connection).get_columns(table)}


def _kpi_answer(connection: Connection) -> None:
    """A provider's answer to a KPI: a quarter, no return."""
    connection.execute(text("INSERT INTO organisation (key, name, kind) VALUES ('o', 'O', 'provider')"))
    connection.execute(
        text(
            "INSERT INTO contract (key, name, service, commissioner_org_id, provider_org_id, starts_on, ends_on, "
            "value_pence, outcome_share, year_start_month) VALUES ('C', 'C', '', 1, 1, '2026-04-01', "
            "'2027-03-31', 0, 0, 4)"
        )
    )
    connection.execute(
        text("INSERT INTO person (email, name, job_title, organisation_id, is_administrator) "
             "VALUES ('p@o.example', 'P', '', 1, false)")
    )  # fmt: skip
    connection.execute(
        text(
            "INSERT INTO rating_response (contract_id, return_id, quarter, version, code, name, rating, kind, "
            "text, by_id, at, ruling, ruling_reason) VALUES (1, NULL, '2026Q2', 1, 'COPE', 'Cope', 'red', "
            "'explanation', 'Because.', 1, '2026-11-03 10:00:00', '', '')"
        )
    )


def _answers(connection: Connection) -> int:
    return int(connection.execute(text("SELECT count(*) FROM rating_response")).scalar_one())


async def _check(url: str) -> None:
    database = Database(url)
    await database.migrate()
    try:
        async with database.engine.begin() as connection:
            assert "payment_terms" in await connection.run_sync(_columns, "contract")
            assert "cohort" in await connection.run_sync(_columns, "kpi_return_version")
            answers = await connection.run_sync(_columns, "rating_response")
            assert (answers["quarter"], answers["return_id"]) == (True, True)
            await connection.run_sync(_kpi_answer)

            await connection.run_sync(downgrade_to("0014"))
            answers = await connection.run_sync(_columns, "rating_response")
            assert ("quarter" in answers, answers["return_id"]) == (False, False)
            assert await connection.run_sync(_answers) == 0

            await connection.run_sync(downgrade_to("0013"))
            assert "payment_terms" not in await connection.run_sync(_columns, "contract")
            assert "cohort" not in await connection.run_sync(_columns, "kpi_return_version")
    finally:
        await database.dispose()


async def test_0014_and_0015_come_and_go_on_sqlite(tmp_path: Path) -> None:
    await _check(f"sqlite+aiosqlite:///{tmp_path / 'steward.db'}")


async def test_0014_and_0015_come_and_go_on_postgresql(postgres_url: str) -> None:
    await _check(postgres_url)
