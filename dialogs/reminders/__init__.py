"""Reminder and escalation cards: act on the spot, acknowledge, or snooze until the next working day."""

from dialogs.reminders.cards.acted import acted_card
from dialogs.reminders.cards.notice import notice_payload
from dialogs.reminders.cards.report import report_payload
from dialogs.reminders.cards.summary import summary_card, summary_payload
from dialogs.reminders.flow import router
from dialogs.reminders.payloads import MAX_SUMMARY

__all__ = [
    "MAX_SUMMARY",
    "acted_card",
    "notice_payload",
    "report_payload",
    "router",
    "summary_card",
    "summary_payload",
]
