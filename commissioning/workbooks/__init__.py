"""The report workbooks built in memory with openpyxl from plain data: framework, monthly framework, meeting pack."""

from commissioning.workbooks.framework import FrameworkInputs, framework_workbook
from commissioning.workbooks.inputs import (
    ActionRow,
    ContractHeading,
    DeliverableRow,
    Indicators,
    MonthCommentary,
)
from commissioning.workbooks.monthly import MonthlyInputs, monthly_workbook
from commissioning.workbooks.pack import PackInputs, pack_workbook

__all__ = [
    "ActionRow",
    "ContractHeading",
    "DeliverableRow",
    "FrameworkInputs",
    "Indicators",
    "MonthCommentary",
    "MonthlyInputs",
    "PackInputs",
    "framework_workbook",
    "monthly_workbook",
    "pack_workbook",
]
