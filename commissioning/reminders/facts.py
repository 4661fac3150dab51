"""The plain facts the sweep reads from the tables for the rules to work on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from commissioning.improvement.changes import ChangeStatus
from commissioning.improvement.cip import CipItem
from commissioning.improvement.flags import PeriodResult
from commissioning.improvement.pips import Pip
from commissioning.leave import Leave
from commissioning.periods import Month, Quarter
from commissioning.reminder_policy import ReminderPolicy, default_policy
from commissioning.reminders.opened import Opened
from commissioning.roles import Side


@dataclass(frozen=True, slots=True)
class PersonFacts:
    id: int
    name: str
    manager_id: int | None = None
    teams_id: str | None = None  # Teams user id or Azure AD object id: what a mention needs


@dataclass(frozen=True, slots=True)
class ContractFacts:
    id: int
    name: str
    starts_on: date
    ends_on: date
    year_start_month: int = 4
    policy: ReminderPolicy = field(default_factory=default_policy)
    roles: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # role → person ids

    def holders(self, *roles: str) -> tuple[int, ...]:
        """Holders of the first of `roles` that anyone holds: the fallbacks come after."""
        for role in roles:
            found = self.roles.get(role, ())
            if found:
                return tuple(found)
        return ()

    def ran_in(self, month: Month) -> bool:
        return month.last_day >= self.starts_on and month.first_day <= self.ends_on


@dataclass(frozen=True, slots=True)
class ReturnFacts:
    """A monthly return that exists (draft or received)."""

    contract_id: int
    month: Month
    return_id: int
    received_at: datetime | None = None
    clock_started_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class KpiReturnFacts:
    """A quarter for which the contract's KPIs ask the provider for a KPI return, and when it came in."""

    contract_id: int
    quarter: Quarter
    received_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NoticeFacts:
    """A contract year whose Contract Performance Notice is due (the year ended), and whether it was reviewed."""

    contract_id: int
    year: int
    ended_on: date
    reviewed: bool = False


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    id: int
    contract_id: int
    kind: str
    period_start: date
    period_label: str
    status: str = "scheduled"
    scheduled_for: datetime | None = None
    scheduled_by_id: int | None = None
    recorded_by_id: int | None = None
    recorded_at: datetime | None = None
    held_at: datetime | None = None
    notice_kind: str = ""
    notice_on: date | None = None
    kpi_missed: Mapping[str, str] = field(
        default_factory=dict
    )  # KPI code → name, from a held quarterly meeting


@dataclass(frozen=True, slots=True)
class ActionFacts:
    id: int
    contract_id: int
    description: str
    owner_id: int
    due_on: date
    chair_id: int | None = None  # who convened the meeting that raised it (or who raised it)


@dataclass(frozen=True, slots=True)
class ResultFacts:
    """An indicator's result for a period (a PI's month from a return, a KPI's quarter from its meeting)."""

    contract_id: int
    result: PeriodResult
    reported_on: date  # the day it came in (the return received, the meeting held), people's zone
    return_id: int | None = None
    meeting_id: int | None = None


@dataclass(frozen=True, slots=True)
class PipFacts:
    id: int
    contract_id: int
    plan: Pip
    declared_missed_on: date | None = None  # the day the meeting declared it missed (pips.declare_missed)


@dataclass(frozen=True, slots=True)
class CipFacts:
    id: int
    contract_id: int
    owner_id: int
    item: CipItem


@dataclass(frozen=True, slots=True)
class ChangeFacts:
    """A change request waiting for a decision: the other side's agreement, or the director's approval."""

    id: int
    contract_id: int
    what: str
    status: ChangeStatus
    proposed_by: Side
    waiting_since: date


@dataclass(frozen=True, slots=True)
class ImprovementFacts:
    """Plans, CIP items and change requests (issue 15), and the results the breach rule reads.

    The sweep lists only the PI results the rule can read (improvement/breaches.py `can_breach`): the
    misses, and every result of an indicator under a plan.
    """

    results: tuple[ResultFacts, ...] = ()
    pips: tuple[PipFacts, ...] = ()
    items: tuple[CipFacts, ...] = ()
    changes: tuple[ChangeFacts, ...] = ()


@dataclass(frozen=True, slots=True)
class Snapshot:
    contracts: Mapping[int, ContractFacts]
    people: Mapping[int, PersonFacts] = field(default_factory=dict)
    returns: tuple[ReturnFacts, ...] = ()
    meetings: tuple[MeetingFacts, ...] = ()
    actions: tuple[ActionFacts, ...] = ()
    # (contract id, quarter start) → codes supplied or marked not applicable
    deliverables: Mapping[tuple[int, date], frozenset[str]] = field(default_factory=dict)
    # (person id, subject) → the end of that person's latest snooze of it
    snoozes: Mapping[tuple[int, str], datetime] = field(default_factory=dict)
    # (person id, subject, due date) acknowledged
    acknowledged: frozenset[tuple[int, str, date]] = frozenset()
    improvement: ImprovementFacts = field(default_factory=ImprovementFacts)
    # the quarters whose KPI return is expected (docs/quarter.md), received or not
    kpi_returns: tuple[KpiReturnFacts, ...] = ()
    # (person id, subject) → their latest reminder about it that was sent, and whether they opened it
    opened: Mapping[tuple[int, str], Opened] = field(default_factory=dict)
    # everyone's leave that has not long ended (commissioning/leave.py)
    leave: tuple[Leave, ...] = ()
    # person id → what was sent to their stand-ins while they were away: one line each
    covered: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    # the contract years whose performance notice is due (docs/quarter.md), reviewed or not
    performance_notices: tuple[NoticeFacts, ...] = ()
