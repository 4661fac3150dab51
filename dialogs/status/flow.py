"""The status journey in one table: the status card, the portfolio card and the picker between them.

The router is built from the table, so a verb is routed exactly when it is listed here.
"""

from __future__ import annotations

from dialogs.base import NoPayload, Router
from dialogs.flow import Card, Verb, route
from dialogs.status.payloads import ReportDownload, StatusRef
from dialogs.status.steps import exporting, showing

STATUS = Card(
    "status",
    ("status.show", "status.download", "status.portfolio", "actions.view", "improve.pip_view", "help"),
)
PICKER = Card("status picker", ("status.show", "status.portfolio", "help"))
PORTFOLIO = Card("portfolio", ("status.show", "help"))

FLOW: tuple[Verb, ...] = (
    Verb("status.show", StatusRef, showing.show, (PICKER, STATUS)),
    Verb("status.download", ReportDownload, exporting.download, (STATUS,)),
    Verb("status.portfolio", NoPayload, showing.portfolio, (PORTFOLIO,)),
)

router = Router("status")
router.command(
    "status.show",
    "status",
    "contract status",
    "status card",
    help_text="A contract's status: ratings, the last return, meetings, what is overdue, the trend "
    "(\u201cstatus IVWS\u201d opens one directly)",
    argument="contract",
)
router.command(
    "status.portfolio",
    "portfolio",
    "my portfolio",
    "my contracts",
    help_text="Every contract you have a role on, with its ratings and what is overdue",
)
route(router, FLOW)
