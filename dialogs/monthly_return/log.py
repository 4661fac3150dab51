"""What the return lists start from: a contract's months, each with its status, its return and when it came in."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from commissioning.periods import Month
from commissioning.reminder_policy import PolicyError, ReminderPolicy
from commissioning.reminders import return_due_date
from commissioning.return_log import MonthStatus, ReturnRecord, contract_months, open_months, return_log
from dialogs.base import Turn
from storage.models import Contract, MonthlyReturn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoggedMonth:
    """One month of a contract's log: its status, and its stored return if there is one."""

    status: MonthStatus
    monthly: MonthlyReturn | None
    received_local: datetime | None  # when the first version was received, in the people's zone

    @property
    def month(self) -> Month:
        return self.status.month


def contract_policy(turn: Turn, contract: Contract) -> ReminderPolicy:
    """The reminder policy with the contract's overrides, as the sweep reads it (a bad override is ignored)."""
    try:
        return turn.rules.policy.with_overrides(contract.reminders)
    except PolicyError as error:
        log.warning("contract %s: reminder overrides ignored: %s", contract.key, error)
        return turn.rules.policy


async def load_log(turn: Turn, contract: Contract) -> list[LoggedMonth]:
    """Every month the contract ran in that is over, newest first, with its return's status."""
    policy, today = contract_policy(turn, contract), turn.local_now.date()
    stored = {month: monthly for monthly, month in await turn.repos.returns.for_contract(contract.id)}
    records = {month: _record(monthly, turn) for month, monthly in stored.items()}

    def due_on(month: Month) -> date:
        return return_due_date(month, policy, turn.rules.calendar)

    months = contract_months(contract.starts_on, contract.ends_on, today)
    statuses = return_log(months, due_on, records, today)
    return [LoggedMonth(s, stored.get(s.month), _received(stored.get(s.month), turn)) for s in statuses]


async def load_open_months(turn: Turn, contract: Contract) -> list[LoggedMonth]:
    """The months a provider may be offered: due or still chased, and any with a saved draft."""
    logged = await load_log(turn, contract)
    chase = contract_policy(turn, contract).stop_chasing_after_days
    wanted = {s.month for s in open_months([m.status for m in logged], turn.local_now.date(), chase)}
    return [m for m in logged if m.month in wanted]


def _record(monthly: MonthlyReturn, turn: Turn) -> ReturnRecord:
    received = _received(monthly, turn)
    return ReturnRecord(
        received_on=received.date() if received else None,
        version=monthly.current_version,
        has_draft=monthly.draft_saved_at is not None,
    )


def _received(monthly: MonthlyReturn | None, turn: Turn) -> datetime | None:
    if monthly is None or monthly.received_at is None:
        return None
    return monthly.received_at.astimezone(turn.zone)
