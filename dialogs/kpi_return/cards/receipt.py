"""What the provider sees once a KPI return is in, and what the commissioner and programme manager are sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commissioning.periods import Quarter
from commissioning.quarter.kpis import Kpi
from dialogs.cards import card, container, execute, facts, heading, plain, subtle, text
from dialogs.kpi_return.context import value_text
from storage.models import Contract

RECEIVED_FORMAT = "%H:%M on %A %d %B %Y"


def _ref(contract: Contract, quarter: Quarter) -> dict[str, Any]:
    return {"contract_id": contract.id, "quarter": quarter.key}


def kpi_receipt_card(
    contract: Contract, quarter: Quarter, version: int, sent_to: list[str], received_local: str
) -> dict[str, Any]:
    amended = version > 1
    title = f"KPI return {'amendment ' if amended else ''}received: {quarter.label}"
    pairs = [("Contract", plain(contract.name)), ("Received", received_local), ("Version", str(version))]
    if sent_to:
        pairs.append(("Sent to", plain(", ".join(sent_to))))
    body = [
        heading(title),
        facts(pairs),
        text(
            "Thank you. The commissioner has been sent the results and their evidence for the quarterly meeting."
        ),
    ]
    return card(body, [execute("Amend KPI return", "kpi_return.amend", _ref(contract, quarter))])


def kpi_already_submitted_card(
    contract: Contract, quarter: Quarter, version: int, received_local: str
) -> dict[str, Any]:
    body = [
        heading(f"{quarter.label} KPI return already submitted"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
        facts([("Received", received_local), ("Current version", str(version))]),
        text("You can amend it: the earlier version is kept and the commissioner is sent the new one."),
    ]
    return card(body, [execute("Amend KPI return", "kpi_return.amend", _ref(contract, quarter))])


@dataclass(frozen=True)
class ReceivedView:
    """A submitted KPI return as its reviewers see it."""

    contract: Contract
    quarter: Quarter
    version: int
    kpis: tuple[Kpi, ...]
    values: dict[str, float]
    evidence: dict[str, dict[str, str]]
    submitted_by: str
    received_local: str
    cohort: dict[str, Any] | None = None  # the PbR cohort as stored, for a contract that pays by results


def kpi_return_review_card(view: ReceivedView, *, buttons: bool = True) -> dict[str, Any]:
    """The results and evidence, for the quarterly meeting; a button opens the KPI card."""
    amended = view.version > 1
    body: list[dict[str, Any]] = [
        heading(f"KPI return {'amended' if amended else 'received'}: {view.quarter.label}"),
        text(plain(view.contract.name), weight="Bolder", spacing="None"),
        facts(
            [
                ("Submitted by", plain(view.submitted_by)),
                ("Received", view.received_local),
                ("Version", str(view.version)),
            ]
        ),
    ]
    for kpi in view.kpis:
        given = view.evidence.get(kpi.code, {})
        value = view.values.get(kpi.code)
        body.append(
            container(
                [
                    text(
                        f"{kpi.code}  {plain(kpi.name)}: {'-' if value is None else value_text(value)}",
                        weight="Bolder",
                    ),
                    subtle(f"Data source: {plain(given.get('source', '')) or 'not given'}"),
                    subtle(f"Evidence: {plain(given.get('evidence', '')) or 'none supplied'}"),
                ],
                spacing="Medium",
            )
        )
    if view.cohort:
        body.append(
            container(
                [
                    text("Payment by results: the cohort", weight="Bolder"),
                    facts(
                        [
                            ("Offenders", str(view.cohort["offenders"])),
                            ("Reoffenders", str(view.cohort["reoffenders"])),
                            ("Reoffences", str(view.cohort["reoffences"])),
                        ]
                    ),
                ],
                spacing="Medium",
            )
        )
    actions = (
        [execute("Open the KPI card", "quarter.card", _ref(view.contract, view.quarter))] if buttons else None
    )
    return card(body, actions)
