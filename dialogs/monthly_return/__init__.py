"""The monthly return: pick a contract, fill in the PIs, save a draft or submit, amend; the reviewers' card."""

from dialogs.monthly_return.flow import router

__all__ = ["router"]
