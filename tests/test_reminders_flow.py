"""The reminders' flow table is their router: every verb listed once, with its payload, step and cards."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core import notification_cards
from dialogs import reminders
from dialogs.reminders.cards.acted import REMINDER_VERBS
from dialogs.reminders.flow import FLOW, SENT

router = reminders.router
CARDS = Path(reminders.__file__).parent / "cards"
EXECUTE = re.compile(r'execute\(\s*"[^"]*",\s*"([a-z_]+\.[a-z_]+)"', re.S)


def test_nobody_types_a_reminder_command() -> None:
    assert router.commands == {}


def test_every_verb_is_reached_from_a_card_the_scheduler_sends() -> None:
    offered = {verb for card in SENT for verb in card.offers}
    assert {entry.verb for entry in FLOW} <= offered


def test_the_cards_offer_no_verb_the_table_does_not_list() -> None:
    in_cards = {verb for module in CARDS.glob("*.py") for verb in EXECUTE.findall(module.read_text("utf-8"))}
    listed = {verb for card in SENT for verb in card.offers}
    assert in_cards == listed


def test_a_pressed_card_loses_exactly_the_reminder_verbs() -> None:
    assert REMINDER_VERBS == {entry.verb for entry in FLOW}


def test_the_scheduler_still_gets_its_card_builders_from_the_package() -> None:
    cards = notification_cards()
    assert cards.notice is reminders.notice_payload
    assert cards.summary is reminders.summary_payload
    assert cards.report is reminders.report_payload
    assert cards.max_summary == reminders.MAX_SUMMARY == 20
