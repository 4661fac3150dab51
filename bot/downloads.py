"""`GET /downloads/{token}`: a card's download link, checked (signature, expiry, access now) and served.

Three kinds of link (commissioning/download_links.py): an evaluation's export (Excel or CSV), a meeting's
calendar invitation (.ics, text/calendar) that the invitation card offers each attendee, and a contract's
report workbook for a quarter (.xlsx) that the status card offers (bot/report_downloads.py).
"""

from __future__ import annotations

import html
import logging

from aiohttp import web

from bot.core import Core
from bot.notice_report import notice_file
from bot.report_downloads import granted_workbook
from commissioning.download_links import Grant, InviteGrant, LinkRefused, token_kind
from commissioning.roles import Permission
from dialogs.base import Refused, Turn
from dialogs.gonogo.context import readable
from dialogs.meetings.calendar import invitation_file
from storage.models import Contract
from storage.notices import NoticeProblem, draft_notice
from storage.repositories import Repositories

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "ics": "text/calendar; charset=utf-8; method={method}",
}
# Nothing about a download is kept by the browser or a proxy, or sent on as a referrer.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}
FORGED = (
    "This download link is not valid",
    "It may have been copied incompletely. Press Download on the result card in Teams for a new link.",
)
EXPIRED = (
    "This download link has expired",
    "Download links work for {minutes} minutes. Press Download on the result card in Teams for a new one.",
)
REVOKED = (
    "This file is no longer available to you",
    "You no longer have access to this file's contract, so Steward will not give out its file.",
)
INVITE_EXPIRED = (
    "This invitation link has expired",
    "Invitation links work until the day after the meeting. Ask the organiser to send it again.",
)
INVITE_REVOKED = (
    "This invitation is not available to you",
    "You no longer have access to this meeting, or it has no time set, so Steward will not give it out.",
)


async def serve_download(request: web.Request, core: Core) -> web.StreamResponse:
    """The file for a valid, fresh link whose person may still read the evaluation; else a page saying why."""
    links = core.rules.downloads
    token = request.match_info.get("token", "")
    kind = token_kind(token)
    if kind == "invitation":
        return await serve_invitation(token, core)
    if kind == "report":
        return await serve_report(token, core)
    try:
        grant = links.check(token, core.clock.now())
    except LinkRefused as refusal:
        log.info("download refused: %s", refusal.reason)  # never the token itself
        if refusal.expired:
            minutes = int(links.lifetime.total_seconds() // 60)
            return _page(410, EXPIRED[0], EXPIRED[1].format(minutes=minutes))
        return _page(403, *FORGED)
    async with core.database.session() as session:
        repos = Repositories.on(session)
        data = await _export(core, repos, grant)
    if data is None:
        return _page(403, *REVOKED)
    log.info(
        "download: %s %s as %s for person %s", grant.kind, grant.evaluation_id, grant.fmt, grant.person_id
    )
    headers = {
        **PRIVATE,
        "Content-Type": CONTENT_TYPES[grant.fmt],
        "Content-Disposition": f'attachment; filename="{grant.filename}"',
    }
    return web.Response(body=data, headers=headers)


async def _export(core: Core, repos: Repositories, grant: Grant) -> bytes | None:
    """The export, if the link's person may still read the evaluation by the rule its cards use."""
    person = await repos.people.person(grant.person_id)
    if person is None:
        log.info("download refused: person %s no longer exists", grant.person_id)
        return None
    now = core.clock.now()
    memberships = await repos.people.memberships(person.id)
    turn = Turn(person=person, memberships=memberships, now=now, rules=core.rules, repos=repos)
    if grant.kind == "notice":
        return await _notice_export(turn, grant)
    try:
        loaded = await readable(turn, grant.evaluation_id)
    except Refused as refusal:
        log.info("download refused: person %s: %s", person.id, refusal.reason)
        return None
    data = await loaded.repo.export(loaded.evaluation.id, grant.fmt)
    repos.audit.record(
        at=now,
        actor_id=person.id,
        action="evaluation.downloaded",
        entity="evaluation",
        entity_id=loaded.evaluation.id,
        contract_id=loaded.evaluation.contract_id,
        after={"format": grant.fmt},
    )
    return data


REPORT_EXPIRED = (
    "This download link has expired",
    "Download links work for {minutes} minutes. Press Download on the status card in Teams for a new one.",
)
REPORT_REVOKED = (
    "This file is no longer available to you",
    "You no longer have a role on this contract, so Steward will not give out its workbook.",
)


async def serve_report(token: str, core: Core) -> web.StreamResponse:
    """A contract's workbook for a valid, fresh link whose person may still see the contract."""
    links, now = core.rules.downloads, core.clock.now()
    try:
        grant = links.check_report(token, now)
    except LinkRefused as refusal:
        log.info("report download refused: %s", refusal.reason)
        if refusal.expired:
            minutes = int(links.lifetime.total_seconds() // 60)
            return _page(410, REPORT_EXPIRED[0], REPORT_EXPIRED[1].format(minutes=minutes))
        return _page(403, *FORGED)
    async with core.database.session() as session:
        found = await granted_workbook(Repositories.on(session), grant, now, core.rules.zone, via="bot")
    if found is None:
        return _page(403, *REPORT_REVOKED)
    return workbook_response(found.filename, found.data)


def workbook_response(filename: str, data: bytes) -> web.Response:
    """An .xlsx as an attachment, kept by no cache."""
    headers = {
        **PRIVATE,
        "Content-Type": CONTENT_TYPES["xlsx"],
        "Content-Disposition": f'attachment; filename="{filename}"',
    }
    return web.Response(body=data, headers=headers)


async def serve_invitation(token: str, core: Core) -> web.StreamResponse:
    """A meeting's .ics for a valid, unexpired link whose person may still see the meeting."""
    try:
        grant = core.rules.downloads.check_invite(token, core.clock.now())
    except LinkRefused as refusal:
        log.info("invitation refused: %s", refusal.reason)
        return _page(410, *INVITE_EXPIRED) if refusal.expired else _page(403, *FORGED)
    async with core.database.session() as session:
        found = await _invitation(core, Repositories.on(session), grant)
    if found is None:
        return _page(403, *INVITE_REVOKED)
    filename, data, method = found
    log.info("download: meeting %s invitation for person %s", grant.meeting_id, grant.person_id)
    headers = {
        **PRIVATE,
        "Content-Type": CONTENT_TYPES["ics"].format(method=method),
        "Content-Disposition": f'attachment; filename="{filename}"',
    }
    return web.Response(body=data, headers=headers)


async def _invitation(core: Core, repos: Repositories, grant: InviteGrant) -> tuple[str, bytes, str] | None:
    person = await repos.people.person(grant.person_id)
    if person is None:
        return None
    memberships = await repos.people.memberships(person.id)
    turn = Turn(person=person, memberships=memberships, now=core.clock.now(), rules=core.rules, repos=repos)
    try:
        found = await invitation_file(turn, grant.meeting_id)
    except Refused as refusal:
        log.info("invitation refused: person %s: %s", person.id, refusal.reason)
        return None
    return found.filename, found.data, found.method


def _page(status: int, title: str, message: str) -> web.Response:
    """A short page a browser shows instead of the file: what happened and what to do."""
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        f"<title>{html.escape(title)}</title>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></html>\n"
    )
    return web.Response(status=status, text=body, content_type="text/html", headers=PRIVATE)


async def _notice_export(turn: Turn, grant: Grant) -> bytes | None:
    """A performance notice's file, if the link's person still reviews returns on its contract (the card's rule)."""
    repos = turn.repos
    row = await repos.notices.get(grant.evaluation_id)
    contract = await repos.session.get(Contract, row.contract_id) if row is not None else None
    if row is None or contract is None or not turn.may(contract.id, Permission.REVIEW_RETURN):
        log.info("download refused: person %s may not have notice %s", turn.person.id, grant.evaluation_id)
        return None
    today = turn.local_now.date()
    try:
        draft = await draft_notice(repos.session, contract, row.year, today)
    except NoticeProblem:
        return None
    data = notice_file(draft, grant.fmt, {k: str(v) for k, v in (row.commentary or {}).items()})
    repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="performance_notice.downloaded",
        entity="performance_notice",
        entity_id=row.id,
        contract_id=contract.id,
        after={"format": grant.fmt, "year": row.year},
    )
    return data
