"""Every repository of one unit of work, by aggregate, all on its one session."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from storage.actions import ActionsRepository
from storage.audit import AuditLog
from storage.contracts import ContractsRepository
from storage.conversations import ConversationsRepository
from storage.deliverables import DeliverablesRepository
from storage.evaluations import EvaluationsRepository
from storage.improvement import ImprovementRepository
from storage.leave import LeaveRepository
from storage.meetings import MeetingsRepository
from storage.notices import NoticeRepository
from storage.outbox import Outbox
from storage.people import PeopleRepository
from storage.quarter import QuarterRepository
from storage.reminders import RemindersRepository
from storage.returns import ReturnsRepository


@dataclass(frozen=True)
class Repositories:
    """The repositories a turn (or a job) works through; built once per unit of work with `on(session)`."""

    session: AsyncSession
    people: PeopleRepository
    contracts: ContractsRepository
    conversations: ConversationsRepository
    returns: ReturnsRepository
    meetings: MeetingsRepository
    actions: ActionsRepository
    deliverables: DeliverablesRepository
    evaluations: EvaluationsRepository
    improvement: ImprovementRepository
    leave: LeaveRepository
    quarter: QuarterRepository
    notices: NoticeRepository
    reminders: RemindersRepository
    outbox: Outbox
    audit: AuditLog

    @classmethod
    def on(cls, session: AsyncSession) -> Repositories:
        return cls(
            session=session,
            people=PeopleRepository(session),
            contracts=ContractsRepository(session),
            conversations=ConversationsRepository(session),
            returns=ReturnsRepository(session),
            meetings=MeetingsRepository(session),
            actions=ActionsRepository(session),
            deliverables=DeliverablesRepository(session),
            evaluations=EvaluationsRepository(session),
            improvement=ImprovementRepository(session),
            leave=LeaveRepository(session),
            quarter=QuarterRepository(session),
            notices=NoticeRepository(session),
            reminders=RemindersRepository(session),
            outbox=Outbox(session),
            audit=AuditLog(session),
        )
