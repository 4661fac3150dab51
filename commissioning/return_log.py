"""A contract's monthly returns month by month: received, late, amended, a draft, due or missing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from commissioning.periods import Month, last_completed_month


class ReturnState(StrEnum):
    RECEIVED = "received"  # in by its due date
    LATE = "late"  # in, after its due date
    DUE = "due"  # not in yet, and its due date has not passed
    MISSING = "missing"  # not in, and its due date has passed


@dataclass(frozen=True, slots=True)
class ReturnRecord:
    """What is stored for one month's return: when it was received (local date), its version, any draft."""

    received_on: date | None = None
    version: int = 0
    has_draft: bool = False


@dataclass(frozen=True, slots=True)
class MonthStatus:
    month: Month
    due_on: date
    state: ReturnState
    version: int = 0
    has_draft: bool = False

    @property
    def received(self) -> bool:
        return self.state in (ReturnState.RECEIVED, ReturnState.LATE)

    @property
    def amended(self) -> bool:
        return self.version > 1


def contract_months(starts_on: date, ends_on: date, today: date) -> list[Month]:
    """Every month the contract ran in that is over by `today`, newest first."""
    last = min(last_completed_month(today), Month.of(ends_on))
    first = Month.of(starts_on)
    months: list[Month] = []
    month = last
    while month >= first:
        months.append(month)
        month = month.previous()
    return months


def month_status(month: Month, due_on: date, record: ReturnRecord | None, today: date) -> MonthStatus:
    """One month's state: a received return is late when it came in after its due date."""
    record = record or ReturnRecord()
    if record.received_on is not None:
        state = ReturnState.LATE if record.received_on > due_on else ReturnState.RECEIVED
    else:
        state = ReturnState.MISSING if today > due_on else ReturnState.DUE
    return MonthStatus(month, due_on, state, record.version, record.has_draft)


def return_log(
    months: list[Month],
    due_on: Callable[[Month], date],
    records: Mapping[Month, ReturnRecord],
    today: date,
) -> list[MonthStatus]:
    """Each month's status, in the order given."""
    return [month_status(month, due_on(month), records.get(month), today) for month in months]


def open_months(log: list[MonthStatus], today: date, chase_days: int) -> list[MonthStatus]:
    """The months a provider can be offered on the form: not in yet and still chased (due, or overdue by at
    most `chase_days` days, as the reminders chase them), and any month with a saved draft."""
    return [
        status
        for status in log
        if status.has_draft or (not status.received and (today - status.due_on).days <= chase_days)
    ]


@dataclass(frozen=True, slots=True)
class Tally:
    received: int
    late: int
    amended: int
    missing: int
    due: int


def tally(log: list[MonthStatus]) -> Tally:
    """How many months are received (late ones included), late, amended, missing and still due."""
    return Tally(
        received=sum(1 for s in log if s.received),
        late=sum(1 for s in log if s.state is ReturnState.LATE),
        amended=sum(1 for s in log if s.amended),
        missing=sum(1 for s in log if s.state is ReturnState.MISSING),
        due=sum(1 for s in log if s.state is ReturnState.DUE),
    )
