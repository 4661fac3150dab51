"""Reviewing the year's draft notice: open it, keep the commentary per KPI (checked, audited), export it."""

from __future__ import annotations

from commissioning.quarter.notice_year import check_commentary, needs_notice, years_due
from commissioning.roles import Permission
from dialogs.base import Refused, Reply, Turn
from dialogs.common import contract_for, raw_text
from dialogs.notice.cards.notice import DownloadLink, notice_card, notice_picker_card
from dialogs.notice.payloads import COMMENTARY_PREFIX, ExportNotice, NoticeRef, StartNotice
from storage.models import Contract
from storage.notices import DraftNotice, NoticeProblem, draft_notice
from storage.quarter import contract_term

REVIEW = Permission.REVIEW_RETURN  # commissioner, programme manager, director
READ_MAX = 4000


def notice_year(turn: Turn, contract: Contract) -> int:
    """The latest contract year that has ended, or, before the first ends, the year so far."""
    term = contract_term(contract)
    today = turn.local_now.date()
    ended = years_due(term, term.starts_on, today)
    if ended:
        return ended[-1]
    closed = [q for q in term.quarters if q.last_day < today]
    return term.year_of(closed[-1]) if closed else 1


def _contracts(turn: Turn) -> list[Contract]:
    return [c for c in turn.contracts_where(REVIEW) if c.kpis and needs_notice(c.value_pence)]


async def start(turn: Turn, payload: StartNotice) -> Reply:
    if payload.contract_id is not None:
        contract = contract_for(turn, payload.contract_id, REVIEW)
        return await _show(turn, contract, notice_year(turn, contract))
    contracts = _contracts(turn)
    if not contracts:
        raise Refused(
            "The Contract Performance Notice is for the commissioning team of a contract over £5m with KPIs.",
            reason="no notice contract",
        )
    if len(contracts) == 1:
        return await _show(turn, contracts[0], notice_year(turn, contracts[0]))
    return Reply(card=notice_picker_card([(c, notice_year(turn, c)) for c in contracts]), replace=True)


async def show(turn: Turn, payload: NoticeRef) -> Reply:
    return await _show(turn, contract_for(turn, payload.contract_id, REVIEW), payload.year)


async def save(turn: Turn, payload: NoticeRef) -> Reply:
    contract = contract_for(turn, payload.contract_id, REVIEW)
    draft = await _draft(turn, contract, payload.year)
    codes = [kpi.code for kpi in draft.drafted.notice.kpis]
    entries = {code: raw_text(turn, COMMENTARY_PREFIX + code, READ_MAX) for code in codes}
    kept, errors = check_commentary(codes, entries)
    row, _ = await turn.repos.notices.find_or_draft(contract.id, payload.year, turn.now)
    if errors:
        card = notice_card(draft, row, turn.zone, entries=entries, errors=errors)
        return Reply(card=card, replace=True)
    before = dict(row.commentary or {})
    if before != kept or row.reviewed_at is None:
        await turn.repos.notices.review(row, kept, by_id=turn.person.id, now=turn.now)
        turn.repos.audit.record(
            at=turn.now,
            actor_id=turn.person.id,
            action="performance_notice.reviewed",
            entity="performance_notice",
            entity_id=row.id,
            contract_id=contract.id,
            before={"commentary": before},
            after={"year": payload.year, "commentary": kept},
        )
    return Reply(card=notice_card(draft, row, turn.zone, note="Commentary saved."), replace=True)


async def export(turn: Turn, payload: ExportNotice) -> Reply:
    """The card again, with a link to the notice's file made for the sender alone, for a short while."""
    contract = contract_for(turn, payload.contract_id, REVIEW)
    draft = await _draft(turn, contract, payload.year)
    row, _ = await turn.repos.notices.find_or_draft(contract.id, payload.year, turn.now)
    links = turn.rules.downloads
    if not links.enabled:
        note = "Downloads are not set up on this Steward yet: an administrator needs to set PUBLIC_URL."
        return Reply(card=notice_card(draft, row, turn.zone, note=note), replace=True)
    grant = links.grant(row.id, payload.file_format, turn.person.id, turn.now, kind="notice")
    link = DownloadLink(grant.filename, links.url(grant), grant.expires)
    return Reply(card=notice_card(draft, row, turn.zone, download=link), replace=True)


async def _show(turn: Turn, contract: Contract, year: int) -> Reply:
    draft = await _draft(turn, contract, year)
    row, _ = await turn.repos.notices.find_or_draft(contract.id, year, turn.now)
    return Reply(card=notice_card(draft, row, turn.zone), replace=True)


async def _draft(turn: Turn, contract: Contract, year: int) -> DraftNotice:
    if not contract.kpis or not needs_notice(contract.value_pence):
        raise Refused(
            "This contract is not over £5m with KPIs, so it has no performance notice.", reason="no notice"
        )
    try:
        return await draft_notice(turn.repos.session, contract, year, turn.local_now.date())
    except NoticeProblem as problem:
        raise Refused(f"{problem}.", reason="no draft") from None
