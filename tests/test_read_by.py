"""Which delivered messages a read receipt covers: every one up to the id Teams names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.deliveries import read_by
from storage.models import Notification

START = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


def sent(activity_id: str, minutes: int) -> Notification:
    return Notification(
        key=activity_id, kind="remind.x", activity_id=activity_id, sent_at=START + timedelta(minutes=minutes)
    )


def test_teams_numbered_ids_are_read_up_to_and_including_the_last_read() -> None:
    delivered = [sent("1730000000100", 0), sent("1730000000200", 5), sent("1730000000300", 10)]

    assert [n.activity_id for n in read_by(delivered, "1730000000200")] == ["1730000000100", "1730000000200"]


def test_ids_that_are_not_numbers_are_read_up_to_the_named_one_by_when_they_were_sent() -> None:
    delivered = [sent("act-1", 0), sent("act-2", 5), sent("act-3", 10)]

    assert [n.activity_id for n in read_by(delivered, "act-2")] == ["act-1", "act-2"]
    assert read_by(delivered, "act-9") == []  # a message Steward did not send through the outbox
