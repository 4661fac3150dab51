"""Repository for contracts, with their indicators and the organisations on each side."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.indicators import Comparison, IndicatorKind, IndicatorSpec
from storage.models import Contract, Indicator, Organisation


def indicator_spec(row: Indicator) -> IndicatorSpec:
    """The pure rule object for a stored indicator."""
    return IndicatorSpec(
        code=row.code,
        name=row.name,
        kind=IndicatorKind(row.kind),
        unit=row.unit,
        minimum=row.minimum,
        maximum=row.maximum,
        requirement=row.requirement,
        comparison=Comparison(row.comparison),
        amber_margin=row.amber_margin,
    )


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
