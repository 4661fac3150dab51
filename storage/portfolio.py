"""Apply a checked portfolio to the database: an idempotent upsert, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.portfolio import ContractEntry, OrganisationEntry, Portfolio
from storage.audit import AuditLog
from storage.models import Contract, ContractRole, Indicator, Organisation, Person


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], kind: str) -> None:
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def describe(self) -> str:
        if not self.changed:
            return "Nothing to change: the database already matches the file."
        parts = []
        for label, bucket in (
            ("created", self.created),
            ("updated", self.updated),
            ("removed", self.removed),
        ):
            if bucket:
                parts.append(f"{label} " + ", ".join(f"{n} {kind}" for kind, n in sorted(bucket.items())))
        return "Imported: " + "; ".join(parts) + "."


def _apply(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


async def import_portfolio(session: AsyncSession, portfolio: Portfolio, *, now: datetime) -> ImportSummary:
    """Create or update everything the file names; roles on a listed contract become exactly the file's."""
    importer = _Importer(session, now)
    orgs = {entry.key: await importer.organisation(entry) for entry in portfolio.organisations}
    people = await importer.people(portfolio, orgs)
    for entry in portfolio.contracts:
        contract = await importer.contract(entry, orgs)
        await _sync_roles(session, contract, entry.roles, people, importer.summary, importer.audit, now)
        await importer.indicators(contract, entry)
    await session.flush()
    return importer.summary


class _Importer:
    """One import's session, time, audit trail and running summary, and how each kind of row is written."""

    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session = session
        self.now = now
        self.summary = ImportSummary()
        self.audit = AuditLog(session)

    async def upsert(self, model: Any, lookup: dict[str, Any], values: dict[str, Any], kind: str) -> Any:
        """The row `lookup` finds, created or brought up to `values`; each change counted and audited."""
        row = (await self.session.execute(select(model).filter_by(**lookup))).scalar_one_or_none()
        if row is None:
            row = model(**lookup, **values)
            self.session.add(row)
            await self.session.flush()
            self.summary.count(self.summary.created, kind)
            after = {**lookup, **_plain(values)}
            self.audit.record(
                at=self.now, actor_id=None, action="import.create", entity=kind, entity_id=row.id, after=after
            )
            return row
        before = {name: _plain_value(getattr(row, name)) for name in values}
        if _apply(row, values):
            self.session.add(row)
            self.summary.count(self.summary.updated, kind)
            self.audit.record(
                at=self.now,
                actor_id=None,
                action="import.update",
                entity=kind,
                entity_id=row.id,
                before=before,
                after=_plain(values),
            )
        return row

    async def organisation(self, entry: OrganisationEntry) -> Organisation:
        values = {
            "name": entry.name,
            "kind": entry.kind,
            "seats": entry.seats.stored() if entry.seats else None,
        }
        organisation: Organisation = await self.upsert(
            Organisation, {"key": entry.key}, values, "organisation"
        )
        return organisation

    async def people(self, portfolio: Portfolio, orgs: dict[str, Organisation]) -> dict[str, Person]:
        """Everyone in the file, then their managers (who may come later in the file)."""
        people: dict[str, Person] = {}
        existing = set((await self.session.execute(select(col(Person.email)))).scalars())
        created_people = {entry.email for entry in portfolio.people} - existing
        for entry in portfolio.people:
            values: dict[str, Any] = {
                "name": entry.name,
                "organisation_id": orgs[entry.organisation].id,
                "job_title": entry.job_title,
                "is_administrator": entry.administrator,
            }
            if entry.aad_object_id:
                values["aad_object_id"] = entry.aad_object_id
            people[entry.email] = await self.upsert(Person, {"email": entry.email}, values, "person")
        for entry in portfolio.people:
            manager_id = people[entry.manager].id if entry.manager else None
            person = people[entry.email]
            if person.manager_id != manager_id:
                newly_created = person.manager_id is None and entry.email in created_people
                person.manager_id = manager_id
                self.session.add(person)
                if not newly_created:
                    self.summary.count(self.summary.updated, "person")
        return people

    async def contract(self, entry: ContractEntry, orgs: dict[str, Organisation]) -> Contract:
        values = {
            "name": entry.name,
            "service": entry.service,
            "commissioner_org_id": orgs[entry.commissioner].id,
            "provider_org_id": orgs[entry.provider].id,
            "starts_on": entry.starts_on,
            "ends_on": entry.ends_on,
            "value_pence": round(entry.value * 100),
            "outcome_share": entry.outcome_share,
            "year_start_month": entry.year_start_month,
            "reminders": entry.reminders,
            "seats": entry.seats.stored() if entry.seats else None,
            "kpis": [kpi.model_dump(mode="json") for kpi in entry.kpi_definitions()] or None,
            "payment_terms": _terms_json(entry),
        }
        contract: Contract = await self.upsert(Contract, {"key": entry.key}, values, "contract")
        return contract

    async def indicators(self, contract: Contract, entry: ContractEntry) -> None:
        """The contract's indicators as the file lists them; one no longer listed is retired, never deleted."""
        listed = set()
        for position, indicator in enumerate(entry.indicators):
            listed.add(indicator.code)
            values = {
                "name": indicator.name,
                "description": indicator.description,
                "frequency": indicator.frequency,
                "kind": indicator.kind.value,
                "unit": indicator.unit,
                "minimum": indicator.minimum,
                "maximum": indicator.maximum,
                "requirement": indicator.requirement,
                "comparison": indicator.comparison.value,
                "amber_margin": indicator.amber_margin,
                "position": position,
                "active": True,
            }
            await self.upsert(
                Indicator, {"contract_id": contract.id, "code": indicator.code}, values, "indicator"
            )
        stale = await self.session.execute(select(Indicator).where(col(Indicator.contract_id) == contract.id))
        for row in stale.scalars():
            if row.code not in listed and row.active:
                row.active = False  # kept, not deleted: earlier returns refer to it
                self.session.add(row)
                self.summary.count(self.summary.removed, "indicator")


async def _sync_roles(
    session: AsyncSession,
    contract: Contract,
    roles: dict[Any, list[str]],
    people: dict[str, Person],
    summary: ImportSummary,
    audit: AuditLog,
    now: datetime,
) -> None:
    wanted = {(people[email.lower()].id, role.value) for role, emails in roles.items() for email in emails}
    existing = (
        await session.execute(select(ContractRole).where(col(ContractRole.contract_id) == contract.id))
    ).scalars()
    have = set()
    for row in existing:
        if (row.person_id, row.role) in wanted:
            have.add((row.person_id, row.role))
        else:
            await session.delete(row)
            summary.count(summary.removed, "role")
            audit.record(
                at=now,
                actor_id=None,
                action="import.remove",
                entity="role",
                contract_id=contract.id,
                before={"person_id": row.person_id, "role": row.role},
            )
    for person_id, role in sorted(wanted - have):
        session.add(ContractRole(contract_id=contract.id, person_id=person_id, role=role))
        summary.count(summary.created, "role")
        audit.record(
            at=now,
            actor_id=None,
            action="import.create",
            entity="role",
            contract_id=contract.id,
            after={"person_id": person_id, "role": role},
        )


def _terms_json(entry: ContractEntry) -> dict[str, Any] | None:
    terms = entry.payment_terms()
    return None if terms is None else terms.model_dump(mode="json", exclude_none=True)


def _plain_value(value: Any) -> Any:
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _plain_value(value) for name, value in values.items()}
