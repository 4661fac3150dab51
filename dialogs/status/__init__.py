"""Where contracts stand: a contract's status card (`status`, `status IVWS`) and the portfolio card (`portfolio`)."""

from dialogs.status.flow import router

__all__ = ["router"]
