"""The quarterly meeting pack: the framework, the KPI results and payment, the action log, the deliverables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook

from commissioning.workbooks.framework import FrameworkInputs, add_framework_sheets
from commissioning.workbooks.inputs import ActionRow, DeliverableRow
from commissioning.workbooks.sheets import COUNT, DAY, Sheet, bar_chart, new_workbook, to_bytes

CONTENTS = (
    ("Framework", "each PI month by month against its minimum, with its RAG"),
    ("KPIs", "each KPI's result, target, achievement and weight"),
    ("Payment", "the outcome pot, the weighted achievement and the payment"),
    ("Commentary", "the narrative of each month's return"),
    ("Actions", "the action log: open actions, and those closed since the quarter began"),
    ("Deliverables", "the required deliverables for the quarter and what was supplied"),
)


@dataclass(frozen=True, slots=True)
class PackInputs:
    """The quarter's framework, plus the meeting's date if scheduled, its action log and deliverables."""

    framework: FrameworkInputs
    actions: Sequence[ActionRow]
    deliverables: Sequence[DeliverableRow]
    meeting_at: datetime | None = None  # local time, for the cover


def pack_workbook(inputs: PackInputs) -> bytes:
    """The quarterly meeting pack as .xlsx bytes: Cover, Framework, KPIs, Payment, Commentary, Actions,
    Deliverables."""
    workbook = new_workbook()
    cover_sheet(workbook, inputs)
    add_framework_sheets(workbook, inputs.framework, pis_sheet="Framework")
    actions_sheet(workbook, inputs)
    deliverables_sheet(workbook, inputs)
    return to_bytes(workbook)


def cover_sheet(workbook: Workbook, inputs: PackInputs) -> Sheet:
    framework = inputs.framework
    heading, quarter = framework.heading, framework.quarter
    sheet = Sheet(
        workbook,
        "Cover",
        f"{heading.title}: quarterly contract meeting pack, {quarter.label}",
        heading.parties,
    )
    meeting = f"{inputs.meeting_at:%d/%m/%Y %H:%M}" if inputs.meeting_at else "not scheduled yet"
    pairs: list[tuple[str, object, str | None]] = [
        ("Contract", heading.name, None),
        ("Key", heading.key, None),
        ("Commissioner", heading.commissioner, None),
        ("Provider", heading.provider, None),
        ("Quarter", quarter.label, None),
        ("From", quarter.first_day, DAY),
        ("To", quarter.last_day, DAY),
        ("Meeting", meeting, None),
    ]
    pairs += [(f"Sheet: {name}", what, None) for name, what in CONTENTS]
    sheet.items(pairs)
    sheet.finish(minimum_width=14)
    return sheet


def actions_sheet(workbook: Workbook, inputs: PackInputs) -> Sheet:
    """Open actions first (soonest due first), then the closed ones; a chart of how many stand where."""
    framework = inputs.framework
    sheet = Sheet(
        workbook,
        "Actions",
        f"{framework.heading.title}: action log, {framework.quarter.label}",
        "Open actions, and those closed since the quarter began. Overdue: past its due date and not done.",
    )
    ordered = sorted(inputs.actions, key=lambda a: (a.closed_on is not None, a.due_on, a.number))
    rows = [
        [
            a.number,
            a.description,
            a.owner,
            a.due_on,
            a.status,
            "Yes" if a.overdue else "No",
            a.level,
            a.progress,
            a.closed_on,
        ]
        for a in ordered
    ]
    headers = ["Number", "Action", "Owner", "Due", "Status", "Overdue", "Held at", "Progress", "Closed"]
    block = sheet.table(headers, rows, [COUNT, None, None, DAY, None, None, None, None, DAY])
    counts = _status_counts(ordered)
    if counts:
        top = block.last_row + 3
        summary = sheet.table(["Status", "Actions"], counts, [None, COUNT], header_row=top, first_column=11)
        bar_chart(
            sheet,
            summary,
            title="Actions by status",
            category_column=11,
            value_columns=[12],
            anchor=f"K{summary.last_row + 2}",
        )
    sheet.finish()
    return sheet


def _status_counts(actions: Sequence[ActionRow]) -> list[list[object]]:
    order: dict[str, int] = {}
    for action in actions:
        order[action.status] = order.get(action.status, 0) + 1
    return [[status, count] for status, count in order.items()]


def deliverables_sheet(workbook: Workbook, inputs: PackInputs) -> Sheet:
    framework = inputs.framework
    sheet = Sheet(
        workbook,
        "Deliverables",
        f"{framework.heading.title}: required deliverables, {framework.quarter.label}",
        "Seed 001 §4.4's list: supplied (with a link or file name), not applicable (with the reason), "
        "or missing.",
    )
    rows = [[d.title, d.status, d.where, d.note, d.reason] for d in inputs.deliverables]
    sheet.table(["Deliverable", "Status", "Link or file", "Note", "Why not applicable"], rows)
    sheet.finish()
    return sheet
