"""Improvement: performance improvement plans, the continuous improvement plan, change requests, rating answers."""

from dialogs.improvement.flow import router

__all__ = ["router"]
