"""Review meetings: schedule within the deadline, record what happened, the minutes, and the agenda card."""

from dialogs.meetings.cards.offer import MeetingOffer, review_meeting_offer
from dialogs.meetings.flow import router

__all__ = ["MeetingOffer", "review_meeting_offer", "router"]
