"""The status card's Download section: pick a closed quarter, press for one of the three workbooks."""

from __future__ import annotations

from typing import Any

from commissioning.download_links import REPORTS
from dialogs.base import Turn
from dialogs.cards import container, execute, input_choice, subtle, text
from dialogs.status.context import ContractStanding
from dialogs.status.exports import BUTTONS, REPORT_TITLES, ExportChoice, ReportOffer, closed_quarters


def export_part(turn: Turn, standing: ContractStanding, choice: ExportChoice) -> list[dict[str, Any]]:
    contract = standing.contract
    quarters = closed_quarters(contract, turn.local_now.date())
    body = [text("Workbooks", weight="Bolder", size="Medium", spacing="Large", separator=True)]
    if not quarters:
        body.append(text("No quarter of this contract has closed yet, so there is no workbook to download."))
        return body
    body.append(
        subtle(
            "Excel workbooks: the quarterly performance framework, the cumulative monthly framework to the "
            "end of the quarter, and the quarterly meeting pack. The link is made for you alone."
        )
    )
    picker = input_choice(
        "quarter", "Quarter", [(q.label, q.key) for q in quarters], choice.quarter or quarters[0].key
    )
    if choice.error:
        picker["errorMessage"] = choice.error
    body.append(picker)
    if choice.error:
        body.append(text(choice.error, color="Attention", size="Small", spacing="None"))
    if choice.note:
        body.append(text(choice.note, color="Attention", size="Small"))
    ref = {"contract_id": contract.id}
    body.append(
        {
            "type": "ActionSet",
            "actions": [execute(BUTTONS[r], "status.download", {**ref, "report": r}) for r in REPORTS],
        }
    )
    if choice.offer is not None:
        body.append(_offer_block(choice.offer))
    return body


def _offer_block(offer: ReportOffer) -> dict[str, Any]:
    """The link itself: opened in the browser, it works for the person who pressed, until it expires."""
    return container(
        [
            text(f"Your {REPORT_TITLES[offer.report]} for {offer.quarter.label} is ready", weight="Bolder"),
            {
                "type": "ActionSet",
                "actions": [{"type": "Action.OpenUrl", "title": f"Open {offer.filename}", "url": offer.url}],
            },
            subtle(
                f"This link is yours and works until {offer.until}. Anyone you pass it to could use it "
                "until then, so keep it to yourself; press Download again for a new one."
            ),
        ],
        style="emphasis",
        spacing="Medium",
    )
