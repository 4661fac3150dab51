"""Download on the status card: the picked quarter checked, then a link to the workbook for the sender alone."""

from __future__ import annotations

from dialogs.base import Reply, Turn
from dialogs.common import contract_for
from dialogs.gonogo.context import when
from dialogs.status.cards.status import status_card
from dialogs.status.context import load_standing
from dialogs.status.exports import ExportChoice, ReportOffer, closed_quarters
from dialogs.status.payloads import ReportDownload
from dialogs.status.steps.showing import SEES

NOT_SET_UP = "Downloads are not set up on this Steward yet: an administrator needs to set PUBLIC_URL."
PICK = "Choose one of the closed quarters in the list."


async def download(turn: Turn, payload: ReportDownload) -> Reply:
    """The status card again, with the link; a forged contract is refused (and audited) before anything."""
    contract = contract_for(turn, payload.contract_id, SEES)
    standing = await load_standing(turn, contract)
    quarters = {q.key: q for q in closed_quarters(contract, turn.local_now.date())}
    picked = (payload.quarter or "").strip().upper() or next(iter(quarters), "")
    quarter = quarters.get(picked)
    if quarter is None:
        choice = ExportChoice(quarter=payload.quarter, error=PICK)
        return Reply(card=status_card(turn, standing, export=choice), replace=True)
    links = turn.rules.downloads
    if not links.enabled:
        choice = ExportChoice(quarter=quarter.key, note=NOT_SET_UP)
        return Reply(card=status_card(turn, standing, export=choice), replace=True)
    grant = links.report_grant(contract.id, payload.report, quarter.key, turn.person.id, turn.now)
    offer = ReportOffer(
        payload.report,
        quarter,
        grant.filename(contract.key),
        links.report_url(grant),
        when(turn, grant.expires),
    )
    choice = ExportChoice(quarter=quarter.key, offer=offer)
    return Reply(card=status_card(turn, standing, export=choice), replace=True)
