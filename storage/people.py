"""Repository for people: who they are, how Teams names them, and their roles on contracts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.roles import Role
from storage.models import Contract, ContractRole, Person


@dataclass(frozen=True, slots=True)
class Membership:
    contract: Contract
    role: Role


# Where a unit of work keeps the memberships fetched with a person, until memberships() first asks for them.
_FETCHED = "steward.people.memberships"


class PeopleRepository:
    """People, their Teams identities and their roles on contracts."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def person(self, person_id: int) -> Person | None:
        return await self.session.get(Person, person_id)

    async def by_aad_object_id(self, aad_object_id: str, tenant_id: str | None) -> Person | None:
        """The person with this Azure AD object id in this tenant: an object id is unique only in its tenant.

        A person not yet seen in Teams has no tenant and matches; one first seen in a tenant matches only there.
        """
        if tenant_id is None:
            found = await self.session.execute(_BY_AAD_UNSEEN, {"aad": aad_object_id})
        else:
            found = await self.session.execute(_BY_AAD_IN_TENANT, {"aad": aad_object_id, "tenant": tenant_id})
        rows = found.all()
        if not rows:
            return None
        person = rows[0][0]
        # Their roles came in the same trip to the database: memberships() hands them out once.
        self.session.info.setdefault(_FETCHED, {})[person.id] = [
            Membership(contract, Role(role)) for found, contract, role in rows if found is person and contract
        ]
        return person

    async def by_email(self, email: str) -> Person | None:
        query = select(Person).where(col(Person.email) == email.strip().lower())
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_teams_user_id(self, user_id: str, tenant_id: str | None) -> Person | None:
        if tenant_id is None:
            found = await self.session.execute(_BY_TEAMS_UNSEEN, {"user": user_id})
        else:
            found = await self.session.execute(_BY_TEAMS_IN_TENANT, {"user": user_id, "tenant": tenant_id})
        return found.scalars().first()

    async def by_ids(self, person_ids: Iterable[int]) -> dict[int, Person]:
        ids = sorted(set(person_ids))
        if not ids:
            return {}
        query = select(Person).where(col(Person.id).in_(ids))
        return {p.id: p for p in (await self.session.execute(query)).scalars()}

    async def memberships(self, person_id: int) -> list[Membership]:
        fetched = self.session.info.get(_FETCHED, {}).pop(person_id, None)
        if fetched is not None:
            return fetched
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
        return list((await self.session.execute(_ADMINISTRATORS)).scalars())

    async def people(self) -> list[Person]:
        return list((await self.session.execute(select(Person).order_by(col(Person.email)))).scalars())

    async def all_roles(self) -> list[ContractRole]:
        return list((await self.session.execute(select(ContractRole))).scalars())

    async def link_identity(
        self, person: Person, *, aad_object_id: str | None, tenant_id: str | None, teams_user_id: str | None
    ) -> None:
        """Remember how Teams names this person, so the next turn finds them without a lookup."""
        if aad_object_id and person.aad_object_id != aad_object_id:
            person.aad_object_id = aad_object_id
        if tenant_id and person.tenant_id is None:  # the tenant is set once: another tenant never rebinds it
            person.tenant_id = tenant_id
        if teams_user_id and person.teams_user_id != teams_user_id:
            person.teams_user_id = teams_user_id
        if person.unreachable_since is not None:
            person.unreachable_since = None
        # Assigned only when different, so a known person's turn leaves nothing for the commit to flush.
        self.session.add(person)


def _by_aad(tenant: ColumnElement[bool]) -> Select[Person, Contract, str]:
    """A person by AAD object id (bound as `aad`) with each contract role, in one trip."""
    return (
        select(Person, Contract, col(ContractRole.role))
        .outerjoin(ContractRole, col(ContractRole.person_id) == col(Person.id))
        .outerjoin(Contract, col(Contract.id) == col(ContractRole.contract_id))
        .where(col(Person.aad_object_id) == bindparam("aad"), tenant)
        .order_by(col(Person.id), col(Contract.name), col(ContractRole.role))
    )


# Built once (every turn asks): building the query and its cache key cost more than the trip itself.
# A person not yet seen in any tenant, or seen in this one (bound as `tenant`).
_UNSEEN = col(Person.tenant_id).is_(None)
_IN_TENANT = or_(_UNSEEN, col(Person.tenant_id) == bindparam("tenant"))
_BY_AAD_UNSEEN = _by_aad(_UNSEEN)
_BY_AAD_IN_TENANT = _by_aad(_IN_TENANT)
# A sender not found by object id (a stranger's every turn): by Teams user id, then the administrators.
_BY_TEAMS = select(Person).where(col(Person.teams_user_id) == bindparam("user"))
_BY_TEAMS_UNSEEN = _BY_TEAMS.where(_UNSEEN)
_BY_TEAMS_IN_TENANT = _BY_TEAMS.where(_IN_TENANT)
_ADMINISTRATORS = select(Person).where(col(Person.is_administrator).is_(True)).order_by(col(Person.name))
