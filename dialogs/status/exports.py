"""What the status card's Download offers: the contract's closed quarters to pick from, and the link given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from commissioning import standing
from commissioning.download_links import ReportKind
from commissioning.periods import Quarter
from commissioning.quarter import ContractTerm
from storage.models import Contract

QUARTERS_OFFERED = 8
"""Two contract years of closed quarters to pick from, newest first: the card stays short."""
REPORT_TITLES: dict[ReportKind, str] = {
    "framework": "quarterly performance framework",
    "monthly": "cumulative monthly framework",
    "pack": "quarterly meeting pack",
}
BUTTONS: dict[ReportKind, str] = {
    "framework": "Download framework",
    "monthly": "Download monthly",
    "pack": "Download meeting pack",
}


@dataclass(frozen=True)
class ReportOffer:
    """A link just made for the person who pressed Download: which workbook, its file name, until when."""

    report: ReportKind
    quarter: Quarter
    filename: str
    url: str
    until: str


@dataclass(frozen=True)
class ExportChoice:
    """The Download section's state: the quarter picked, the link given, or the error beside the picker."""

    quarter: str | None = None
    offer: ReportOffer | None = None
    error: str | None = None
    note: str | None = None


def closed_quarters(contract: Contract, today: date) -> tuple[Quarter, ...]:
    """The contract's quarters that have closed by `today`, newest first (the default is the first)."""
    term = ContractTerm(contract.starts_on, contract.ends_on, contract.year_start_month)
    return standing.closed_quarters(term, today, QUARTERS_OFFERED)
