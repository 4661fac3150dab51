"""Go/no-go evaluation: start it, invite assessors, score every factor, remind, close, read the result."""

from dialogs.gonogo.cards.progress import ProgressView, progress_card
from dialogs.gonogo.cards.rationale import rationale_card
from dialogs.gonogo.cards.result import result_card
from dialogs.gonogo.flow import router
from dialogs.gonogo.paging import page_starts, plan_page
from dialogs.gonogo.payloads import MAX_ASSESSORS

__all__ = [
    "MAX_ASSESSORS",
    "ProgressView",
    "page_starts",
    "plan_page",
    "progress_card",
    "rationale_card",
    "result_card",
    "router",
]
