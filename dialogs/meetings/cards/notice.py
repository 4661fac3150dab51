"""The provider's formal notice of an audit or monitoring visit, given at the quarterly meeting."""

from __future__ import annotations

from typing import Any

from commissioning.dates import long_date
from dialogs.cards import card, execute, facts, heading, plain, text
from dialogs.common import meeting_title
from storage.meeting_models import Meeting
from storage.models import Contract

NOTICE_WORDS = {"audit": "Audit", "monitoring_visit": "Monitoring visit"}


def notice_card(meeting: Meeting, contract: Contract) -> dict[str, Any]:
    """Seed 001 §5.3/§5.4: formal notice to the provider, given at the quarterly meeting."""
    what = NOTICE_WORDS.get(meeting.notice_kind, "Visit")
    pairs = [
        ("Contract", plain(contract.name)),
        ("Planned for", long_date(meeting.notice_on) if meeting.notice_on else ""),
    ]
    if meeting.notice_note:
        pairs.append(("Note", plain(meeting.notice_note)))
    return card(
        [
            heading(f"Notice of {what.lower()}"),
            facts(pairs),
            text(f"Notice given at the {meeting_title(meeting)}. Please support and facilitate it fully."),
        ],
        [execute("View minutes", "meeting.view", {"meeting_id": meeting.id})],
    )
