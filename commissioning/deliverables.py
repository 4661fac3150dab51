"""The quarterly required deliverables (seed 001 §4.4) and what makes an entry for one complete."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

LINK_MAX = 500
FILE_NAME_MAX = 255
NOTE_MAX = 1000
_LINK = re.compile(r"^https://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_FILE_NAME = re.compile(r"^[^\\/:*?\"<>|\x00-\x1f]+\.[A-Za-z0-9]{1,8}$")


class DeliverableStatus(StrEnum):
    MISSING = "missing"
    SUPPLIED = "supplied"
    NOT_APPLICABLE = "not_applicable"


STATUS_WORDS = {
    DeliverableStatus.MISSING: "Missing",
    DeliverableStatus.SUPPLIED: "Supplied",
    DeliverableStatus.NOT_APPLICABLE: "Not applicable",
}


@dataclass(frozen=True, slots=True)
class Deliverable:
    code: str
    title: str
    hint: str = ""


# Seed 001 §4.4, in the seed's order.
REQUIRED_DELIVERABLES: tuple[Deliverable, ...] = (
    Deliverable("performance_framework", "Completed quarterly Performance Framework"),
    Deliverable("performance_report", "Quarterly performance report"),
    Deliverable("monthly_frameworks", "Completed monthly framework & cumulative monthly framework"),
    Deliverable("action_log", "Action log"),
    Deliverable("improvement_plan", "Continuous development and improvement plan", "Seed 001 §5.1"),
    Deliverable(
        "deep_dive_report",
        "Deep dive focussed report including case studies",
        "On the focus agreed at the previous quarterly meeting",
    ),
    Deliverable("risk_register", "Updated Risk Register"),
    Deliverable("transition_plan", "Updated Transition Plan", "Until no longer appropriate"),
    Deliverable("business_continuity_plan", "Business Continuity Plan"),
    Deliverable("financial_monitoring_report", "Financial Monitoring Report"),
    Deliverable("staffing_training_update", "Staffing and training update"),
)
BY_CODE: Mapping[str, Deliverable] = {d.code: d for d in REQUIRED_DELIVERABLES}


@dataclass(frozen=True, slots=True)
class Entry:
    """What the provider says about one deliverable; `where` is a link or a file name."""

    status: DeliverableStatus
    where: str = ""
    note: str = ""
    reason: str = ""

    @property
    def is_link(self) -> bool:
        return self.where.strip().lower().startswith(("http://", "https://", "www."))


def check_entry(entry: Entry) -> dict[str, str]:
    """Problems with one entry, keyed by field: 'where', 'note' or 'reason'.

    Supplied needs a link (https) or a file name, so the commissioner can find it; not applicable
    needs a reason, because the seed makes every item required unless it no longer applies.
    """
    errors: dict[str, str] = {}
    where = entry.where.strip()
    if entry.status is DeliverableStatus.SUPPLIED:
        if not where:
            errors["where"] = "Give a link (https://…) or the file name, so the commissioner can find it."
        elif entry.is_link and (len(where) > LINK_MAX or not _LINK.match(where)):
            errors["where"] = "A link must start with https:// and have no spaces."
        elif not entry.is_link and (len(where) > FILE_NAME_MAX or not _FILE_NAME.match(where)):
            errors["where"] = "Give a link starting https://, or a file name like 'Q2 risk register.xlsx'."
    elif entry.status is DeliverableStatus.NOT_APPLICABLE:
        if not entry.reason.strip():
            errors["reason"] = "Say why it does not apply this quarter."
        elif len(entry.reason) > NOTE_MAX:
            errors["reason"] = f"Keep the reason under {NOTE_MAX:,} characters."
    if len(entry.note) > NOTE_MAX:
        errors["note"] = f"Keep the note under {NOTE_MAX:,} characters."
    return errors


def missing(statuses: Mapping[str, DeliverableStatus]) -> list[Deliverable]:
    """The required deliverables neither supplied nor marked not applicable, in the seed's order."""
    return [
        d
        for d in REQUIRED_DELIVERABLES
        if statuses.get(d.code, DeliverableStatus.MISSING) is DeliverableStatus.MISSING
    ]
