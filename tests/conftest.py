"""Shared fixtures: a frozen clock, the Bot Connector stand-in, and the real app served over HTTP."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import settings as hypothesis_settings

from bot.app import STEWARD, Steward, create_app, load_demo
from bot.settings import Settings
from commissioning.clock import FrozenClock
from storage.engine import Database
from tests.connector_standin import ConnectorStandIn
from tests.teams import TeamsUser

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo-portfolio.yaml"

# No test is timed: Hypothesis's per-example deadline fails a property on a busy machine, so it is off.
hypothesis_settings.register_profile("steward", deadline=None)
hypothesis_settings.load_profile("steward")
# Tuesday 3 November 2026, 10:00 in London: October's return is the one due.
START = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
POSTGRES_ADMIN = os.environ.get("STEWARD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")

# People from the demo portfolio, by first name: (display name, Azure AD object id).
PEOPLE = {
    "priya": ("Priya Shah", "7f1c2a10-0000-4000-8000-000000000033"),  # provider contact: IVWS and FCAR
    "tom": ("Tom Whitaker", "7f1c2a10-0000-4000-8000-000000000032"),  # head of service: IVWS and FCAR
    "daniel": ("Daniel Reyes", "7f1c2a10-0000-4000-8000-000000000002"),  # commissioner: IVWS
    "hannah": ("Hannah Clarke", "7f1c2a10-0000-4000-8000-000000000003"),  # programme manager: IVWS
    "amara": ("Amara Okafor", "7f1c2a10-0000-4000-8000-000000000001"),  # director: IVWS
    "leila": ("Leila Begum", "7f1c2a10-0000-4000-8000-000000000012"),  # commissioner: FCAR
    "lewis": ("Lewis Grant", "7f1c2a10-0000-4000-8000-000000000043"),  # provider contact: CRS-ACC
    "samir": ("Samir Haddad", "7f1c2a10-0000-4000-8000-000000000022"),  # commissioner: CRS-ACC
}


class DemoTemplates:
    """The demo portfolio migrated and loaded once per test process (per import time), copied for each test.

    Migrating and importing the demo takes about a fifth of a second; a file copy takes a millisecond.
    A copy is the same database a fresh start builds: the app migrates (a no-op) and, finding contracts,
    leaves the portfolio as it is.
    """

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="steward-demo-")
        self._built: dict[datetime, Path] = {}

    async def copy_to(self, target: Path, now: datetime) -> None:
        template = self._built.get(now)
        if template is None:
            template = Path(self._folder.name) / f"demo-{len(self._built)}.db"
            database = Database(f"sqlite:///{template}")
            try:
                await database.migrate()
                await load_demo(database, DEMO, FrozenClock(now))
            finally:
                await database.dispose()
            self._built[now] = template
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, target)


DEMO_TEMPLATES = DemoTemplates()


class Harness:
    """The real Steward app on a loopback port, talking to the connector stand-in, with a frozen clock."""

    def __init__(
        self, database_url: str, clock: FrozenClock, connector: ConnectorStandIn, **settings: object
    ):
        self.database_url = database_url
        self.clock = clock
        self.connector = connector
        self.settings_overrides = settings
        self.sleeps: list[float] = []
        self.client: TestClient | None = None

    async def _no_wait(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def start(self) -> Harness:
        fresh_sqlite = (
            self.database_url.startswith("sqlite:///") and "DEMO_PORTFOLIO" not in self.settings_overrides
        )
        if fresh_sqlite and not (path := Path(self.database_url.removeprefix("sqlite:///"))).exists():
            await DEMO_TEMPLATES.copy_to(path, self.clock.now())
        settings = Settings(
            _env_file=None, DATABASE_URL=self.database_url, DEMO_PORTFOLIO=DEMO, **self.settings_overrides
        )  # type: ignore[arg-type]
        self.settings = settings
        app = create_app(settings, clock=self.clock, sleep=self._no_wait)
        self.client = TestClient(TestServer(app, host="127.0.0.1"))
        await self.client.start_server()
        return self

    async def close(self) -> None:
        if self.client is not None:
            await self.steward.dispatcher.idle()
            await self.client.close()
            self.client = None

    async def restart(self) -> None:
        """Stop the app and start a new one on the same database, as after a deploy or a crash."""
        await self.close()
        await self.start()

    @property
    def steward(self) -> Steward:
        assert self.client is not None
        return self.client.server.app[STEWARD]

    def user(self, first_name: str, *, known_by_aad: bool = True) -> TeamsUser:
        name, aad = PEOPLE[first_name]
        assert self.client is not None
        return TeamsUser(self.client, self.connector.url, name, aad if known_by_aad else None)

    async def settle(self) -> None:
        """Let the dispatcher finish delivering what the last turn queued."""
        await asyncio.sleep(0)
        await self.steward.dispatcher.idle()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
async def connector() -> AsyncIterator[ConnectorStandIn]:
    standin = await ConnectorStandIn().start()
    yield standin
    await standin.close()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'steward.db'}"


@pytest.fixture
async def harness(
    database_url: str, clock: FrozenClock, connector: ConnectorStandIn
) -> AsyncIterator[Harness]:
    running = await Harness(database_url, clock, connector).start()
    yield running
    await running.close()
    assert not connector.invalid_cards, "the bot sent cards Teams would reject:\n" + "\n".join(
        connector.invalid_cards
    )


async def _postgres_available() -> bool:
    try:
        connection = await asyncio.wait_for(asyncpg.connect(POSTGRES_ADMIN), timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


@asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; skips the test where no server runs."""
    if not await _postgres_available():
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN}")
    name = f"steward_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield f"{POSTGRES_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database for one test."""
    async with fresh_postgres_database() as url:
        yield url
