"""A report link's workbook: the person re-checked against the contract when the link is opened, then built.

Shared by the bot's `/downloads/` and the tab's `/tab/downloads/`: both hand the checked grant here, so
the rule (commissioning/roles.py `may_see_contract`) and the audit are the same wherever it is opened.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.report_workbooks import report_workbook
from commissioning.download_links import ReportGrant
from commissioning.periods import Quarter
from commissioning.quarter import ContractTerm
from commissioning.roles import may_see_contract
from storage.repositories import Repositories

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Workbook:
    filename: str
    data: bytes


async def granted_workbook(
    repos: Repositories, grant: ReportGrant, now: datetime, zone: ZoneInfo, *, via: str
) -> Workbook | None:
    """The workbook, if the grant's person may still see its contract and its quarter is in the contract;
    else None (logged, never the token). Each download is audited as `report.downloaded`."""
    person = await repos.people.person(grant.person_id)
    contract = await repos.contracts.contract(grant.contract_id)
    if person is None or contract is None:
        log.info("report refused: person %s or contract %s is gone", grant.person_id, grant.contract_id)
        return None
    roles = {m.role for m in await repos.people.memberships(person.id) if m.contract.id == contract.id}
    if not may_see_contract(roles):
        log.info("report refused: person %s has no role on contract %s", person.id, contract.id)
        return None
    term = ContractTerm(contract.starts_on, contract.ends_on, contract.year_start_month)
    quarter = Quarter.parse(grant.quarter, contract.year_start_month)
    if not term.covers(quarter):
        log.info("report refused: %s is outside contract %s", grant.quarter, contract.id)
        return None
    today = now.astimezone(zone).date()
    data = await report_workbook(repos.session, contract, grant.report, quarter, today=today, zone=zone)
    repos.audit.record(
        at=now,
        actor_id=person.id,
        action="report.downloaded",
        entity="contract",
        entity_id=contract.id,
        contract_id=contract.id,
        after={"report": grant.report, "quarter": grant.quarter, "via": via},
    )
    log.info(
        "download: %s %s of contract %s for person %s", grant.report, grant.quarter, contract.id, person.id
    )
    return Workbook(grant.filename(contract.key), data)
