"""The notice's journey in one table: its cards, each verb's payload and step, what each card offers."""

from __future__ import annotations

from dialogs.base import Router
from dialogs.flow import Card, Verb, route
from dialogs.notice.payloads import ExportNotice, NoticeRef, StartNotice
from dialogs.notice.steps import reviewing

PICKER = Card("contract picker", ("notice.card",))
NOTICE = Card("notice card", ("notice.save", "notice.export"))

FLOW: tuple[Verb, ...] = (
    Verb("notice.start", StartNotice, reviewing.start, (PICKER, NOTICE)),
    Verb("notice.card", NoticeRef, reviewing.show, (NOTICE,)),
    Verb("notice.save", NoticeRef, reviewing.save, (NOTICE,)),
    Verb("notice.export", ExportNotice, reviewing.export, (NOTICE,)),
)

router = Router("notice")
router.command(
    "notice.start",
    "performance notice",
    "contract performance notice",
    "notice",
    help_text="The year's draft Contract Performance Notice: each KPI's rating and figures, your commentary, export",
)
route(router, FLOW)
