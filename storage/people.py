"""Repository for organisations, people, contracts, roles, indicators and conversation references."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.indicators import Comparison, IndicatorKind, IndicatorSpec
from commissioning.roles import Role
from storage.models import Contract, ContractRole, ConversationRef, Indicator, Organisation, Person


@dataclass(frozen=True, slots=True)
class Membership:
    contract: Contract
    role: Role


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


class PeopleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def person(self, person_id: int) -> Person | None:
        return await self.session.get(Person, person_id)

    async def by_aad_object_id(self, aad_object_id: str) -> Person | None:
        query = select(Person).where(col(Person.aad_object_id) == aad_object_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_email(self, email: str) -> Person | None:
        query = select(Person).where(col(Person.email) == email.strip().lower())
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_teams_user_id(self, user_id: str) -> Person | None:
        query = select(Person).where(col(Person.teams_user_id) == user_id)
        return (await self.session.execute(query)).scalars().first()

    async def memberships(self, person_id: int) -> list[Membership]:
        query = (
            select(Contract, col(ContractRole.role))
            .join(ContractRole, col(ContractRole.contract_id) == col(Contract.id))
            .where(col(ContractRole.person_id) == person_id)
            .order_by(col(Contract.name), col(ContractRole.role))
        )
        return [
            Membership(contract, Role(role)) for contract, role in (await self.session.execute(query)).all()
        ]

    async def roles_on(self, person_id: int, contract_id: int) -> frozenset[Role]:
        query = select(col(ContractRole.role)).where(
            col(ContractRole.person_id) == person_id, col(ContractRole.contract_id) == contract_id
        )
        return frozenset(Role(role) for role in (await self.session.execute(query)).scalars())

    async def people_with_roles(self, contract_id: int, roles: frozenset[Role]) -> list[Person]:
        query = (
            select(Person)
            .join(ContractRole, col(ContractRole.person_id) == col(Person.id))
            .where(
                col(ContractRole.contract_id) == contract_id,
                col(ContractRole.role).in_([r.value for r in roles]),
            )
            .order_by(col(Person.name))
            .distinct()
        )
        return list((await self.session.execute(query)).scalars())

    async def administrators(self) -> list[Person]:
        query = select(Person).where(col(Person.is_administrator).is_(True)).order_by(col(Person.name))
        return list((await self.session.execute(query)).scalars())

    async def contract(self, contract_id: int) -> Contract | None:
        return await self.session.get(Contract, contract_id)

    async def organisation(self, organisation_id: int) -> Organisation | None:
        return await self.session.get(Organisation, organisation_id)

    async def contracts(self) -> list[Contract]:
        return list((await self.session.execute(select(Contract).order_by(col(Contract.key)))).scalars())

    async def people(self) -> list[Person]:
        return list((await self.session.execute(select(Person).order_by(col(Person.email)))).scalars())

    async def all_roles(self) -> list[ContractRole]:
        return list((await self.session.execute(select(ContractRole))).scalars())

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

    async def link_identity(
        self, person: Person, *, aad_object_id: str | None, tenant_id: str | None, teams_user_id: str | None
    ) -> None:
        """Remember how Teams names this person, so the next turn finds them without a lookup."""
        if aad_object_id and person.aad_object_id != aad_object_id:
            person.aad_object_id = aad_object_id
        if tenant_id and person.tenant_id != tenant_id:
            person.tenant_id = tenant_id
        if teams_user_id and person.teams_user_id != teams_user_id:
            person.teams_user_id = teams_user_id
        person.unreachable_since = None
        self.session.add(person)

    async def save_conversation(self, ref: ConversationRef, now: datetime) -> ConversationRef:
        """Insert or refresh a conversation reference, keyed by conversation id."""
        query = select(ConversationRef).where(col(ConversationRef.conversation_id) == ref.conversation_id)
        stored = (await self.session.execute(query)).scalar_one_or_none()
        if stored is None:
            ref.updated_at = now
            self.session.add(ref)
            return ref
        changed = False
        for field in (
            "person_id",
            "contract_id",
            "scope",
            "service_url",
            "channel_id",
            "tenant_id",
            "bot_id",
            "user_id",
        ):
            value = getattr(ref, field)
            if value is not None and getattr(stored, field) != value:
                setattr(stored, field, value)
                changed = True
        if changed:
            stored.updated_at = now
            self.session.add(stored)
        return stored

    async def personal_conversation(self, person_id: int) -> ConversationRef | None:
        query = (
            select(ConversationRef)
            .where(col(ConversationRef.person_id) == person_id, col(ConversationRef.scope) == "personal")
            .order_by(col(ConversationRef.updated_at).desc())
        )
        return (await self.session.execute(query)).scalars().first()

    async def channel_conversation(self, contract_id: int) -> ConversationRef | None:
        """The team channel linked to a contract, where its notifications are also posted."""
        query = (
            select(ConversationRef)
            .where(col(ConversationRef.contract_id) == contract_id, col(ConversationRef.scope) == "channel")
            .order_by(col(ConversationRef.updated_at).desc())
        )
        return (await self.session.execute(query)).scalars().first()
