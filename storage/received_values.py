"""The values of every received monthly return since a day, read once for the sweep as plain columns.

The sweep needs them twice: the indicators each return puts below their minimum (for the review
meeting's notices) and every PI's monthly result (for the breach rule). One read serves both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.indicators import IndicatorSpec
from storage.contracts import indicator_specs
from storage.models import Indicator, MonthlyReturn, ReportingPeriod, ReturnValue, ReturnVersion


@dataclass(frozen=True, slots=True)
class ReceivedValues:
    # indicator id → (its contract id, its rule object), for every indicator of the contracts read
    specs: Mapping[int, tuple[int, IndicatorSpec]] = field(default_factory=dict)
    # return id → (contract id, first day of its month, when it was received)
    returns: Mapping[int, tuple[int, date, datetime]] = field(default_factory=dict)
    # (return id, indicator id, value) in each return's latest version
    values: Sequence[tuple[int, int, float | None]] = ()


def _received(ids: list[int], since: date) -> tuple[ColumnElement[bool], ...]:
    """Received monthly returns of these contracts for months from `since` on."""
    return (
        col(MonthlyReturn.contract_id).in_(ids),
        col(ReportingPeriod.kind) == "month",
        col(ReportingPeriod.starts_on) >= since,
        col(MonthlyReturn.received_at).is_not(None),
        col(MonthlyReturn.current_version) > 0,
    )


async def received_values(session: AsyncSession, ids: list[int], since: date) -> ReceivedValues:
    """The indicators of contracts `ids`, their returns received for months from `since`, and the values."""
    if not ids:
        return ReceivedValues()
    specs = await indicator_specs(session, col(Indicator.contract_id).in_(ids))
    returns_query = (
        select(
            col(MonthlyReturn.id),
            col(MonthlyReturn.contract_id),
            col(ReportingPeriod.starts_on),
            col(MonthlyReturn.received_at),
        )
        .join(ReportingPeriod, col(ReportingPeriod.id) == col(MonthlyReturn.period_id))
        .where(*_received(ids, since))
    )
    returns = {
        return_id: (contract_id, starts_on, received_at)
        for return_id, contract_id, starts_on, received_at in await session.execute(returns_query)
        if received_at is not None
    }
    values_query = (
        select(col(ReturnVersion.return_id), col(ReturnValue.indicator_id), col(ReturnValue.value))
        .join(ReturnValue, col(ReturnValue.version_id) == col(ReturnVersion.id))
        .join(MonthlyReturn, col(MonthlyReturn.id) == col(ReturnVersion.return_id))
        .join(ReportingPeriod, col(ReportingPeriod.id) == col(MonthlyReturn.period_id))
        .where(col(ReturnVersion.version) == col(MonthlyReturn.current_version), *_received(ids, since))
    )
    return ReceivedValues(specs, returns, (await session.execute(values_query)).tuples().all())
