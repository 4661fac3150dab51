"""Leave and out of office: a person records their leave and a delegate per contract; reminders follow it."""

from dialogs.leave.flow import router

__all__ = ["router"]
