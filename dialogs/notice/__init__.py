"""The Contract Performance Notice: the commissioner reviews a year's draft, comments per KPI and exports it."""

from dialogs.notice.flow import router

__all__ = ["router"]
