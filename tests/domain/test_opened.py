"""Worked examples: how a reminder and an escalation word what Teams' read receipts say (or do not)."""

from __future__ import annotations

from datetime import UTC, datetime

from commissioning.deadlines import LONDON
from commissioning.reminders import kinds
from commissioning.reminders.opened import Opened, escalation_words, reminder_words, subject_of

SENT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # Monday 2 November, 09:00 in London
READ = datetime(2026, 11, 3, 23, 30, tzinfo=UTC)  # Tuesday 3 November, 23:30 in London


def test_the_first_reminder_says_nothing_about_opening() -> None:
    assert reminder_words(None, LONDON) is None


def test_an_opened_reminder_is_opened_on_its_day_and_not_yet_acted_on() -> None:
    assert reminder_words(Opened(SENT, READ, receipts=True), LONDON) == (
        "You opened the last reminder on Tuesday 3 November; it has not been acted on yet."
    )


def test_unopened_is_said_only_for_someone_teams_sends_receipts_for() -> None:
    assert reminder_words(Opened(SENT, None, receipts=True), LONDON) == (
        "The last reminder, sent on Monday 2 November, has not been opened."
    )
    assert reminder_words(Opened(SENT, None, receipts=False), LONDON) == (
        "Whether the last reminder, sent on Monday 2 November, was opened is unknown: Teams has not said."
    )


def test_the_escalation_names_who_read_it_when_and_what_they_have_not_done() -> None:
    opened = Opened(SENT, READ, receipts=True)
    assert escalation_words("Priya Shah", opened, kinds.RETURN_ESCALATED, LONDON) == (
        "Priya Shah read the reminder on Tuesday 3 November and has not submitted."
    )
    assert escalation_words("Owen Price", opened, kinds.ACTION_CHAIR, LONDON) == (
        "Owen Price read the reminder on Tuesday 3 November and has not closed the action."
    )


def test_the_escalation_says_unopened_or_unknown_never_unread() -> None:
    assert escalation_words("Priya Shah", Opened(SENT, None, True), kinds.RETURN_DIRECTOR, LONDON) == (
        "Priya Shah has not opened the reminder sent on Monday 2 November."
    )
    assert escalation_words("Priya Shah", Opened(SENT, None, False), kinds.RETURN_DIRECTOR, LONDON) == (
        "Whether Priya Shah has read the reminder sent on Monday 2 November is unknown: Teams has not said."
    )
    assert escalation_words("Priya Shah", None, kinds.RETURN_DIRECTOR, LONDON) is None


def test_the_subject_is_read_back_from_a_reminder_key() -> None:
    assert subject_of("remind:return.due_today:return:12:2026-10:2026-11-13:5") == "return:12:2026-10"
    assert subject_of("remind:visit.notice@10:meeting:1:x:2026-01-01:2026-11-13:5~2026-11-14") == (
        "meeting:1:x:2026-01-01"
    )
    assert subject_of("report.dead:1:2") is None
