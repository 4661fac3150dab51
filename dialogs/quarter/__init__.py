"""The commissioner's KPI card: the quarter's results and payment, the evidence checklist, the approval."""

from dialogs.quarter.flow import router

__all__ = ["router"]
