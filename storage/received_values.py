"""The PI values of received monthly returns, read for the sweep's breach rule as plain columns.

The sweep has read every return (which contract and month, when it came in); this reads the latest
version's values of only those whose results can still show in a breach that is not stale
(commissioning/improvement/breaches.py `months_in_reach`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.indicators import IndicatorSpec
from storage.contracts import indicator_specs
from storage.models import Indicator, MonthlyReturn, ReturnValue, ReturnVersion

_CHUNK = 2000  # return ids per values query: well inside SQLite's and asyncpg's bound-parameter limits


@dataclass(frozen=True, slots=True)
class ReceivedValues:
    # indicator id → (its contract id, its rule object), for every indicator of the contracts read
    specs: Mapping[int, tuple[int, IndicatorSpec]] = field(default_factory=dict)
    # (return id, indicator id, value) in each return's latest version, for the returns asked for
    values: Sequence[tuple[int, int, float | None]] = ()


async def received_values(
    session: AsyncSession,
    ids: list[int],
    wanted: Collection[int],
) -> ReceivedValues:
    """The indicators of contracts `ids`, and the latest values of the received returns `wanted`."""
    if not ids:
        return ReceivedValues()
    specs = await indicator_specs(session, col(Indicator.contract_id).in_(ids))
    listed = sorted(wanted)
    values: list[tuple[int, int, float | None]] = []
    for start in range(0, len(listed), _CHUNK):
        query = (
            select(col(ReturnVersion.return_id), col(ReturnValue.indicator_id), col(ReturnValue.value))
            .join(ReturnValue, col(ReturnValue.version_id) == col(ReturnVersion.id))
            .join(MonthlyReturn, col(MonthlyReturn.id) == col(ReturnVersion.return_id))
            .where(
                col(ReturnVersion.return_id).in_(listed[start : start + _CHUNK]),
                col(ReturnVersion.version) == col(MonthlyReturn.current_version),
            )
        )
        values.extend((await session.execute(query)).tuples())
    return ReceivedValues(specs, values)
