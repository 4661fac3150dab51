"""Repository for contracts, with their indicators and the organisations on each side."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.indicators import Comparison, IndicatorKind, IndicatorSpec
from storage.models import Contract, Indicator, Organisation

# What a rule object needs of a stored indicator, with its id and contract: read as columns, not entities.
SPEC_COLUMNS: tuple[Any, ...] = tuple(
    col(column)
    for column in (
        Indicator.id,
        Indicator.contract_id,
        Indicator.code,
        Indicator.name,
        Indicator.kind,
        Indicator.unit,
        Indicator.minimum,
        Indicator.maximum,
        Indicator.requirement,
        Indicator.comparison,
        Indicator.amber_margin,
    )
)


def indicator_spec(row: Indicator | Row[Any]) -> IndicatorSpec:
    """The pure rule object for a stored indicator (an entity, or a row of `SPEC_COLUMNS`)."""
    return _spec(
        (
            row.code,
            row.name,
            row.kind,
            row.unit,
            row.minimum,
            row.maximum,
            row.requirement,
            row.comparison,
            row.amber_margin,
        )
    )


@lru_cache(maxsize=4096)
def _spec(fields: tuple[Any, ...]) -> IndicatorSpec:
    """One rule object per distinct definition: the sweep reads every contract's indicators on each run,
    and a definition that has not changed gives the same immutable object."""
    code, name, kind, unit, minimum, maximum, requirement, comparison, amber_margin = fields
    return IndicatorSpec(
        code=code,
        name=name,
        kind=IndicatorKind(kind),
        unit=unit,
        minimum=minimum,
        maximum=maximum,
        requirement=requirement,
        comparison=Comparison(comparison),
        amber_margin=amber_margin,
    )


async def indicator_specs(session: AsyncSession, *where: Any) -> dict[int, tuple[int, IndicatorSpec]]:
    """Indicator id → (its contract id, its rule object) for the indicators `where` picks."""
    rows = await session.execute(select(*SPEC_COLUMNS).where(*where))
    return {row[0]: (row[1], _spec(tuple(row)[2:])) for row in rows}


class ContractsRepository:
    """Contracts, their indicators and organisations."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def contract(self, contract_id: int) -> Contract | None:
        return await self.session.get(Contract, contract_id)

    async def organisation(self, organisation_id: int) -> Organisation | None:
        return await self.session.get(Organisation, organisation_id)

    async def contracts(self) -> list[Contract]:
        return list((await self.session.execute(select(Contract).order_by(col(Contract.key)))).scalars())

    async def indicators(self, contract_id: int, frequency: str = "monthly") -> list[Indicator]:
        query = (
            select(Indicator)
            .where(
                col(Indicator.contract_id) == contract_id,
                col(Indicator.frequency) == frequency,
                col(Indicator.active).is_(True),
            )
            .order_by(col(Indicator.position), col(Indicator.code))
        )
        return list((await self.session.execute(query)).scalars())
