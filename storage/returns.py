"""Repository for reporting periods and monthly returns with their versioned values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commissioning.periods import Month
from storage.models import Indicator, MonthlyReturn, ReportingPeriod, ReturnValue, ReturnVersion
from storage.rows import add_once, find_or_add
from storage.statuses import ReturnStatus


class VersionConflict(Exception):
    """Someone (or a second click) submitted this return since the form was drawn."""


@dataclass(frozen=True, slots=True)
class SubmittedVersion:
    version: ReturnVersion
    values: dict[str, float]  # indicator code → value


class ReturnsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def month_period(self, contract_id: int, month: Month) -> ReportingPeriod:
        """The reporting period row for a month, created on first use."""
        query = select(ReportingPeriod).where(
            col(ReportingPeriod.contract_id) == contract_id,
            col(ReportingPeriod.kind) == "month",
            col(ReportingPeriod.starts_on) == month.first_day,
        )

        async def find() -> ReportingPeriod | None:
            return (await self.session.execute(query)).scalar_one_or_none()

        period, _ = await find_or_add(
            self.session,
            find,
            lambda: ReportingPeriod(
                contract_id=contract_id,
                kind="month",
                starts_on=month.first_day,
                ends_on=month.last_day,
                label=month.label,
            ),
        )
        return period

    async def find(self, contract_id: int, month: Month) -> MonthlyReturn | None:
        query = (
            select(MonthlyReturn)
            .join(ReportingPeriod, col(ReportingPeriod.id) == col(MonthlyReturn.period_id))
            .where(
                col(MonthlyReturn.contract_id) == contract_id,
                col(ReportingPeriod.starts_on) == month.first_day,
            )
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def get(self, return_id: int) -> MonthlyReturn | None:
        return await self.session.get(MonthlyReturn, return_id)

    async def period(self, period_id: int) -> ReportingPeriod | None:
        return await self.session.get(ReportingPeriod, period_id)

    async def find_or_create(self, contract_id: int, month: Month, now: datetime) -> MonthlyReturn:
        found = await self.find(contract_id, month)
        if found is not None:
            return found
        period = await self.month_period(contract_id, month)
        monthly, _ = await add_once(
            self.session,
            MonthlyReturn(contract_id=contract_id, period_id=period.id, created_at=now),
            lambda: self.find(contract_id, month),
        )
        return monthly

    async def save_draft(
        self, monthly: MonthlyReturn, *, values: dict[str, str], narrative: str, by_id: int, now: datetime
    ) -> None:
        monthly.draft_values = dict(values)
        monthly.draft_narrative = narrative
        monthly.draft_saved_at = now
        monthly.draft_saved_by_id = by_id
        self.session.add(monthly)

    async def submit(
        self,
        monthly: MonthlyReturn,
        *,
        based_on_version: int,
        values: dict[str, float],
        indicators: list[Indicator],
        narrative: str,
        by_id: int,
        now: datetime,
    ) -> ReturnVersion:
        """Store a new version. Refuses (VersionConflict) when the return moved on since `based_on_version`."""
        await self.session.refresh(monthly)
        if monthly.current_version != based_on_version:
            raise VersionConflict(f"return {monthly.id} is at version {monthly.current_version}")
        number = monthly.current_version + 1
        version = ReturnVersion(
            return_id=monthly.id,
            version=number,
            narrative=narrative,
            submitted_by_id=by_id,
            received_at=now,
        )
        try:
            async with self.session.begin_nested():
                self.session.add(version)
                await self.session.flush()
        except IntegrityError as error:
            raise VersionConflict(f"version {number} of return {monthly.id} already exists") from error
        by_code = {indicator.code: indicator for indicator in indicators}
        if values:  # one INSERT of every value, not one (with its RETURNING) per indicator
            await self.session.execute(
                insert(ReturnValue),
                [
                    {"version_id": version.id, "indicator_id": by_code[code].id, "value": value}
                    for code, value in values.items()
                ],
            )
        monthly.current_version = number
        monthly.status = ReturnStatus.SUBMITTED
        if monthly.received_at is None:  # an amendment does not restart the meeting clock (docs/meetings.md)
            monthly.received_at = now
            monthly.clock_started_at = now
        monthly.draft_values = {}
        monthly.draft_narrative = ""
        monthly.draft_saved_at = None
        self.session.add(monthly)
        await self.session.flush()
        return version

    async def version(self, return_id: int, number: int) -> SubmittedVersion | None:
        query = select(ReturnVersion).where(
            col(ReturnVersion.return_id) == return_id, col(ReturnVersion.version) == number
        )
        version = (await self.session.execute(query)).scalar_one_or_none()
        if version is None:
            return None
        rows = await self.session.execute(
            select(col(Indicator.code), col(ReturnValue.value))
            .join(Indicator, col(Indicator.id) == col(ReturnValue.indicator_id))
            .where(col(ReturnValue.version_id) == version.id)
        )
        return SubmittedVersion(version, {code: value for code, value in rows.all()})

    async def versions(self, return_id: int) -> list[ReturnVersion]:
        query = (
            select(ReturnVersion)
            .where(col(ReturnVersion.return_id) == return_id)
            .order_by(col(ReturnVersion.version))
        )
        return list((await self.session.execute(query)).scalars())

    async def for_contract(self, contract_id: int) -> list[tuple[MonthlyReturn, Month]]:
        """Every monthly return row of a contract (drafts included), with its month, newest first."""
        query = (
            select(MonthlyReturn, col(ReportingPeriod.starts_on))
            .join(ReportingPeriod, col(ReportingPeriod.id) == col(MonthlyReturn.period_id))
            .where(col(MonthlyReturn.contract_id) == contract_id)
            .order_by(col(ReportingPeriod.starts_on).desc())
        )
        return [
            (monthly, Month.of(starts_on)) for monthly, starts_on in (await self.session.execute(query)).all()
        ]

    async def current_versions(
        self, contract_id: int, first: Month, last: Month
    ) -> list[tuple[Month, ReturnVersion, dict[str, float]]]:
        """Each month from `first` to `last` with a submitted return: its current version and values, oldest
        first. Two queries however many months, for the reports."""
        query = (
            select(col(ReportingPeriod.starts_on), ReturnVersion)
            .join(MonthlyReturn, col(MonthlyReturn.period_id) == col(ReportingPeriod.id))
            .join(
                ReturnVersion,
                (col(ReturnVersion.return_id) == col(MonthlyReturn.id))
                & (col(ReturnVersion.version) == col(MonthlyReturn.current_version)),
            )
            .where(
                col(MonthlyReturn.contract_id) == contract_id,
                col(ReportingPeriod.kind) == "month",
                col(ReportingPeriod.starts_on) >= first.first_day,
                col(ReportingPeriod.starts_on) <= last.first_day,
            )
            .order_by(col(ReportingPeriod.starts_on))
        )
        found = [
            (Month.of(starts_on), version) for starts_on, version in (await self.session.execute(query)).all()
        ]
        if not found:
            return []
        values = await self.values_of([version.id for _, version in found])
        return [(month, version, values.get(version.id, {})) for month, version in found]

    async def latest_submitted_month(self, contract_id: int) -> Month | None:
        """The newest month with a submitted return, or None."""
        query = (
            select(col(ReportingPeriod.starts_on))
            .join(MonthlyReturn, col(MonthlyReturn.period_id) == col(ReportingPeriod.id))
            .where(col(MonthlyReturn.contract_id) == contract_id, col(MonthlyReturn.current_version) >= 1)
            .order_by(col(ReportingPeriod.starts_on).desc())
            .limit(1)
        )
        starts_on = (await self.session.execute(query)).scalar_one_or_none()
        return None if starts_on is None else Month.of(starts_on)

    async def current_values(self, contract_id: int) -> dict[Month, dict[str, float]]:
        """Each submitted month's values (indicator code → value) as its current version has them."""
        query = (
            select(col(ReportingPeriod.starts_on), col(Indicator.code), col(ReturnValue.value))
            .join(MonthlyReturn, col(MonthlyReturn.period_id) == col(ReportingPeriod.id))
            .join(
                ReturnVersion,
                (col(ReturnVersion.return_id) == col(MonthlyReturn.id))
                & (col(ReturnVersion.version) == col(MonthlyReturn.current_version)),
            )
            .join(ReturnValue, col(ReturnValue.version_id) == col(ReturnVersion.id))
            .join(Indicator, col(Indicator.id) == col(ReturnValue.indicator_id))
            .where(col(MonthlyReturn.contract_id) == contract_id, col(MonthlyReturn.current_version) >= 1)
        )
        values: dict[Month, dict[str, float]] = {}
        for starts_on, code, value in (await self.session.execute(query)).all():
            values.setdefault(Month.of(starts_on), {})[code] = value
        return values

    async def values_of(self, version_ids: list[int]) -> dict[int, dict[str, float]]:
        """The values of several versions at once: version id → indicator code → value."""
        if not version_ids:
            return {}
        rows = await self.session.execute(
            select(col(ReturnValue.version_id), col(Indicator.code), col(ReturnValue.value))
            .join(Indicator, col(Indicator.id) == col(ReturnValue.indicator_id))
            .where(col(ReturnValue.version_id).in_(version_ids))
        )
        found: dict[int, dict[str, float]] = {}
        for version_id, code, value in rows.all():
            found.setdefault(version_id, {})[code] = value
        return found
