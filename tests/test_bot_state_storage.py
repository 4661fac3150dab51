"""The Bot Framework storage contract, run against every backend: SQLite and PostgreSQL.

Covers what botbuilder's StorageBaseTests covers: unknown keys, empty and null input, create, odd keys,
update with and without an e-tag, a stale e-tag, '*', delete and batches; plus restart and a write race.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from botbuilder.core import StoreItem

from commissioning.clock import FrozenClock
from storage.botstate import MAX_KEY, DatabaseStorage, EtagConflict
from storage.engine import Database
from tests.conftest import START, fresh_postgres_database


class Note(StoreItem):
    def __init__(self, text: str = "", e_tag: str | None = None) -> None:
        super().__init__(e_tag=e_tag)
        self.text = text


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'state.db'}"
        else:
            url = await stack.enter_async_context(fresh_postgres_database())
        db = Database(url)
        await db.migrate()
        yield db
        await db.dispose()


@pytest.fixture
def storage(database: Database) -> DatabaseStorage:
    return DatabaseStorage(database, FrozenClock(START).now)


async def test_reading_an_unknown_key_returns_nothing(storage: DatabaseStorage) -> None:
    assert await storage.read(["unknown"]) == {}


async def test_reading_no_keys_returns_nothing(storage: DatabaseStorage) -> None:
    assert await storage.read([]) == {}


async def test_writing_none_is_refused(storage: DatabaseStorage) -> None:
    with pytest.raises(ValueError):
        await storage.write(None)  # type: ignore[arg-type]


async def test_writing_no_items_is_harmless(storage: DatabaseStorage) -> None:
    await storage.write({})

    assert await storage.read(["anything"]) == {}


async def test_created_items_read_back_with_an_etag(storage: DatabaseStorage) -> None:
    await storage.write({"dict": {"count": 1, "nested": {"a": [1, 2]}}, "item": Note("hello")})

    found = await storage.read(["dict", "item"])

    assert found["dict"]["count"] == 1 and found["dict"]["nested"] == {"a": [1, 2]}
    assert isinstance(found["item"], Note) and found["item"].text == "hello"
    assert found["dict"]["e_tag"] and found["item"].e_tag
    assert found["dict"]["e_tag"] != found["item"].e_tag


async def test_odd_keys_are_kept_exactly(storage: DatabaseStorage) -> None:
    key = '!@#$%^&*()_+??><":QASD~`\\/ é 漢字 '

    await storage.write({key: {"ok": True}})

    assert (await storage.read([key]))[key]["ok"] is True


async def test_an_over_long_key_stays_unique(storage: DatabaseStorage) -> None:
    first, second = "k" * (MAX_KEY + 10) + "1", "k" * (MAX_KEY + 10) + "2"

    await storage.write({first: {"n": 1}, second: {"n": 2}})

    found = await storage.read([first, second])
    assert (found[first]["n"], found[second]["n"]) == (1, 2)


async def test_an_update_with_the_etag_read_succeeds_and_changes_the_etag(storage: DatabaseStorage) -> None:
    await storage.write({"pocket": {"count": 1}})
    read = (await storage.read(["pocket"]))["pocket"]

    read["count"] = 2
    await storage.write({"pocket": read})

    again = (await storage.read(["pocket"]))["pocket"]
    assert again["count"] == 2
    assert again["e_tag"] != read["e_tag"]


async def test_an_update_with_a_stale_etag_is_refused_and_changes_nothing(storage: DatabaseStorage) -> None:
    await storage.write({"pocket": {"count": 1}})
    stale = (await storage.read(["pocket"]))["pocket"]
    fresh = dict(stale, count=2)
    await storage.write({"pocket": fresh})

    with pytest.raises(EtagConflict):
        await storage.write({"pocket": dict(stale, count=99)})

    assert (await storage.read(["pocket"]))["pocket"]["count"] == 2


async def test_an_update_without_an_etag_or_with_star_overwrites(storage: DatabaseStorage) -> None:
    await storage.write({"pocket": {"count": 1}})

    await storage.write({"pocket": {"count": 2}})
    assert (await storage.read(["pocket"]))["pocket"]["count"] == 2
    await storage.write({"pocket": {"count": 3, "e_tag": "*"}})
    assert (await storage.read(["pocket"]))["pocket"]["count"] == 3


async def test_an_empty_etag_is_refused(storage: DatabaseStorage) -> None:
    with pytest.raises(ValueError):
        await storage.write({"pocket": {"count": 1, "e_tag": ""}})


async def test_delete_removes_items_and_ignores_unknown_keys(storage: DatabaseStorage) -> None:
    await storage.write({"a": {"n": 1}, "b": {"n": 2}})

    await storage.delete(["a", "never-there"])

    assert list(await storage.read(["a", "b"])) == ["b"]


async def test_batches_create_read_and_delete_together(storage: DatabaseStorage) -> None:
    await storage.write({f"batch-{i}": {"n": i} for i in range(3)})

    found = await storage.read([f"batch-{i}" for i in range(3)])
    await storage.delete([f"batch-{i}" for i in range(3)])

    assert sorted(item["n"] for item in found.values()) == [0, 1, 2]
    assert await storage.read([f"batch-{i}" for i in range(3)]) == {}


async def test_state_survives_a_restart(database: Database) -> None:
    await DatabaseStorage(database, FrozenClock(START).now).write({"conversation/1": {"step": "draft"}})

    reopened = DatabaseStorage(database, FrozenClock(START).now)

    assert (await reopened.read(["conversation/1"]))["conversation/1"]["step"] == "draft"


async def test_two_writers_with_the_same_etag_only_one_wins(storage: DatabaseStorage) -> None:
    await storage.write({"race": {"winner": None}})
    read = (await storage.read(["race"]))["race"]

    results = await asyncio.gather(
        storage.write({"race": dict(read, winner="first")}),
        storage.write({"race": dict(read, winner="second")}),
        return_exceptions=True,
    )

    assert sum(isinstance(result, EtagConflict) for result in results) == 1
    assert (await storage.read(["race"]))["race"]["winner"] in {"first", "second"}
