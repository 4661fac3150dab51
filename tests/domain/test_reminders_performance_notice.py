"""When a contract year ends, its commissioner is sent the draft Contract Performance Notice to review, once."""

from __future__ import annotations

from datetime import date

from commissioning.reminders.facts import NoticeFacts
from tests.domain.test_reminders_rules import ANN, due, london, snap

YEAR_ONE = NoticeFacts(1, 1, date(2027, 3, 31))


def test_the_day_after_the_year_ends_the_commissioner_is_sent_the_notice_to_review() -> None:
    snapshot = snap(performance_notices=(YEAR_ONE,))

    assert due(snapshot, london(31, 3, year=2027), "notice") == []
    assert due(snapshot, london(1, 4, year=2027), "notice") == [("notice.drafted", ANN, "2027-03-31")]


def test_a_reviewed_notice_is_not_sent_and_one_left_sixty_days_is_no_longer_chased() -> None:
    reviewed = NoticeFacts(1, 1, date(2027, 3, 31), reviewed=True)

    assert due(snap(performance_notices=(reviewed,)), london(1, 4, year=2027), "notice") == []
    assert due(snap(performance_notices=(YEAR_ONE,)), london(1, 6, year=2027), "notice") == []
