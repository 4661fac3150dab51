"""Bot Framework `Storage` on Steward's own database, with e-tag optimistic concurrency."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from copy import deepcopy
from datetime import datetime

from botbuilder.core import Storage, StoreItem
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from storage.engine import Database, rowcount
from storage.models import BotState

MAX_KEY = 1024


class EtagConflict(KeyError):
    """The item changed since it was read: the writer must re-read and retry."""


def storage_key(key: str) -> str:
    """Keys are stored as given; an over-long key keeps its start and gains a digest, so it stays unique."""
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return f"{key[: MAX_KEY - 65]}#{digest}"


def _etag_of(item: object) -> str | None:
    if isinstance(item, dict):
        return item.get("e_tag")
    return getattr(item, "e_tag", None)


def _with_etag(item: object, etag: str) -> object:
    if isinstance(item, dict):
        item["e_tag"] = etag
    elif isinstance(item, StoreItem) or hasattr(item, "e_tag"):
        item.e_tag = etag
    return item


class DatabaseStorage(Storage):
    """Dialog, conversation and user state that survive a restart.

    Semantics follow botbuilder's storage contract: writing with no e-tag or `*` overwrites; writing
    with the e-tag last read succeeds once; a stale e-tag raises EtagConflict and changes nothing.
    """

    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self._db = database
        self._clock = clock

    async def read(self, keys: list[str]) -> dict[str, object]:
        if not keys:
            return {}
        wanted = {storage_key(key): key for key in keys}
        async with self._db.session() as session:
            rows = (
                await session.execute(select(BotState).where(col(BotState.key).in_(list(wanted))))
            ).scalars()
            found: dict[str, object] = {}
            for row in rows:
                value = Unpickler().restore(deepcopy(row.data), reset=True)
                found[wanted[row.key]] = _with_etag(value, row.etag)
        return found

    async def write(self, changes: dict[str, object]) -> None:
        if changes is None:
            raise ValueError("changes are required when writing")
        for key, change in changes.items():
            await self._write_one(storage_key(key), change)

    async def _write_one(self, key: str, change: object) -> None:
        expected = _etag_of(change)
        if expected == "":
            raise ValueError(f"e-tag missing for {key!r}: pass the e-tag read, '*' or none")
        data = Pickler(unpicklable=True).flatten(deepcopy(change), reset=True)
        if isinstance(data, dict):
            data.pop("e_tag", None)
        new_etag = uuid.uuid4().hex
        now = self._clock()
        async with self._db.session() as session:
            statement = update(BotState).where(col(BotState.key) == key)
            if expected not in (None, "*"):
                statement = statement.where(col(BotState.etag) == expected)
            result = await session.execute(statement.values(data=data, etag=new_etag, updated_at=now))
            if rowcount(result) == 1:
                return
            exists = (
                await session.execute(select(col(BotState.key)).where(col(BotState.key) == key))
            ).first()
            if exists is not None:
                raise EtagConflict(f"e-tag conflict for {key!r}: it changed since it was read")
        try:
            async with self._db.session() as session:
                session.add(BotState(key=key, etag=new_etag, data=data, updated_at=now))
        except IntegrityError as error:
            raise EtagConflict(f"e-tag conflict for {key!r}: created concurrently") from error

    async def delete(self, keys: list[str]) -> None:
        if not keys:
            return
        async with self._db.session() as session:
            await session.execute(
                delete(BotState).where(col(BotState.key).in_([storage_key(k) for k in keys]))
            )
