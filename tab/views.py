"""What each page shows, read through the repositories: a portfolio card per contract, and one contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from commissioning.actions import LEVEL_WORDS, STATUS_WORDS, ActionLevel, ActionStatus
from commissioning.indicators import IndicatorSpec, Rag, format_value, rag
from commissioning.meetings import MEETING_NAMES, MeetingType
from commissioning.periods import Quarter, last_completed_month, last_completed_quarter
from commissioning.quarter import ContractTerm
from commissioning.roles import Role, Side
from commissioning.standing import closed_quarters
from storage.contracts import indicator_spec
from storage.meeting_models import ActionItem, Meeting
from storage.models import Contract, MonthlyReturn, Notification, Person
from storage.people import Membership
from storage.repositories import Repositories
from storage.statuses import MeetingStatus, ReturnStatus
from tab.figures import QuarterPayment, Trend, ended_quarters, overall_rag, quarter_payment, trends


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person the page is for, and their roles on each contract they may see."""

    person: Person
    memberships: tuple[Membership, ...]
    demo: bool  # local mode: shown as this person without a sign-in

    def roles_on(self, contract_id: int) -> frozenset[Role]:
        return frozenset(m.role for m in self.memberships if m.contract.id == contract_id)

    @property
    def contracts(self) -> list[Contract]:
        """The contracts they hold a role on (the bot's own rule), each once, by name."""
        return list({m.contract.id: m.contract for m in self.memberships}.values())

    def side_on(self, contract_id: int) -> Side:
        """Commissioner if any of their roles is, else provider: what of the outbox they are shown."""
        sides = {role.side for role in self.roles_on(contract_id)}
        return Side.COMMISSIONER if Side.COMMISSIONER in sides else Side.PROVIDER


@dataclass(frozen=True, slots=True)
class Clocked:
    """Today and the periods that follow from it, in the people's time zone."""

    now: datetime
    zone: ZoneInfo

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    def when(self, moment: datetime | None) -> str:
        return "–" if moment is None else moment.astimezone(self.zone).strftime("%-d %b %Y %H:%M")


def day(value: date | None) -> str:
    return "–" if value is None else value.strftime("%-d %b %Y")


@dataclass(frozen=True, slots=True)
class NextMeeting:
    name: str
    period: str
    scheduled: str  # when, or 'not scheduled yet'
    deadline: str


@dataclass(frozen=True, slots=True)
class LastReturn:
    month: str
    status: str
    received: str


@dataclass(frozen=True, slots=True)
class Card:
    """One contract on the portfolio page."""

    contract: Contract
    provider: str
    roles: str
    rag: Rag | None
    rag_month: str
    last_return: LastReturn | None
    next_meeting: NextMeeting | None
    overdue: list[ActionItem]
    payment: QuarterPayment | None
    trends: list[Trend]


async def _specs(repos: Repositories, contract_id: int) -> list[IndicatorSpec]:
    return [indicator_spec(row) for row in await repos.contracts.indicators(contract_id)]


def _return_status(monthly: MonthlyReturn) -> str:
    if monthly.status == ReturnStatus.SUBMITTED:
        return "submitted" if monthly.current_version <= 1 else f"amended (version {monthly.current_version})"
    return "draft, not submitted"


def _next_meeting(meetings: list[Meeting], clock: Clocked) -> NextMeeting | None:
    waiting = [m for m in meetings if m.status == MeetingStatus.SCHEDULED]
    if not waiting:
        return None
    first = min(waiting, key=lambda m: (m.scheduled_for or datetime.max.replace(tzinfo=clock.zone), m.id))
    return NextMeeting(
        name=MEETING_NAMES[MeetingType(first.kind)],
        period=first.period_label,
        scheduled=clock.when(first.scheduled_for) if first.scheduled_for else "not scheduled yet",
        deadline=clock.when(first.deadline_at) if first.deadline_at else day(first.deadline_on),
    )


async def card(repos: Repositories, viewer: Viewer, contract: Contract, clock: Clocked) -> Card:
    specs = await _specs(repos, contract.id)
    values = await repos.returns.current_values(contract.id)
    rows = await repos.returns.for_contract(contract.id)
    submitted = [(m, month) for m, month in rows if m.current_version >= 1]
    rating, rag_month = None, ""
    if submitted:
        rating, rag_month = overall_rag(specs, values.get(submitted[0][1], {})), submitted[0][1].label
    last = (
        LastReturn(rows[0][1].label, _return_status(rows[0][0]), clock.when(rows[0][0].received_at))
        if rows
        else None
    )
    provider = await repos.contracts.organisation(contract.provider_org_id)
    actions = await repos.actions.actions_for([contract.id])
    quarter = last_completed_quarter(clock.today, contract.year_start_month)
    return Card(
        contract=contract,
        provider=provider.name if provider else "",
        roles=", ".join(sorted(role.label for role in viewer.roles_on(contract.id))),
        rag=rating,
        rag_month=rag_month,
        last_return=last,
        next_meeting=_next_meeting(await repos.meetings.meetings([contract.id]), clock),
        overdue=[a for a in actions if a.due_on < clock.today],
        payment=quarter_payment(contract, quarter, values),
        trends=trends(contract, specs, values, last_completed_month(clock.today)),
    )


async def contract_trends(
    repos: Repositories, contract: Contract, clock: Clocked, code: str | None = None
) -> list[Trend]:
    """The contract's trends, or only the indicator `code`'s."""
    specs = [spec for spec in await _specs(repos, contract.id) if code is None or spec.code == code]
    values = await repos.returns.current_values(contract.id)
    return trends(contract, specs, values, last_completed_month(clock.today))


# -- one contract ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ValueRow:
    name: str
    shown: str
    rag: Rag | None


@dataclass(frozen=True, slots=True)
class VersionView:
    number: int
    received: str
    by: str
    narrative: str
    values: list[ValueRow]


@dataclass(frozen=True, slots=True)
class ReturnView:
    month: str
    status: str
    versions: list[VersionView]


@dataclass(frozen=True, slots=True)
class MeetingView:
    name: str
    period: str
    status: str
    scheduled: str
    deadline: str
    held: str
    decisions: str
    requirements_met: str
    fee: str
    attendance: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class ActionView:
    description: str
    owner: str
    due: str
    overdue: bool
    status: str
    level: str
    progress: str


@dataclass(frozen=True, slots=True)
class NoticeView:
    what: str
    escalation: bool
    to: str
    created: str
    sent: str
    status: str


@dataclass(frozen=True, slots=True)
class ActionFilter:
    """The action log's filters, from the page's query string; empty means any."""

    status: str = ""
    owner: str = ""
    level: str = ""

    def keeps(self, item: ActionItem) -> bool:
        return (
            (not self.status or item.status == self.status)
            and (not self.owner or str(item.owner_id) == self.owner)
            and (not self.level or item.level == self.level)
        )


STATUS_CHOICES = [(status.value, STATUS_WORDS[status]) for status in ActionStatus]
LEVEL_CHOICES = [(level.value, LEVEL_WORDS[level].capitalize()) for level in ActionLevel]


@dataclass
class ContractView:
    card: Card
    returns: list[ReturnView] = field(default_factory=list)
    meetings: list[MeetingView] = field(default_factory=list)
    actions: list[ActionView] = field(default_factory=list)
    owners: list[tuple[str, str]] = field(default_factory=list)
    quarters: list[QuarterPayment] = field(default_factory=list)
    notices: list[NoticeView] = field(default_factory=list)
    workbooks: list[WorkbookLinks] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class WorkbookLinks:
    """One closed quarter's three workbooks: (what, the tab's path to it)."""

    quarter: str  # 'Q2 2026/27'
    links: tuple[tuple[str, str], ...]


WORKBOOK_NAMES = (
    ("framework", "Performance framework"),
    ("monthly", "Monthly framework to date"),
    ("pack", "Meeting pack"),
)


def workbook_quarters(contract: Contract, today: date) -> tuple[Quarter, ...]:
    """The quarters the page offers workbooks for: the contract's closed ones, newest first."""
    term = ContractTerm(contract.starts_on, contract.ends_on, contract.year_start_month)
    return closed_quarters(term, today)


def workbook_links(contract: Contract, today: date) -> list[WorkbookLinks]:
    base = f"/tab/contracts/{quote(contract.key, safe='')}/workbooks"
    return [
        WorkbookLinks(q.label, tuple((name, f"{base}/{kind}/{q.key}.xlsx") for kind, name in WORKBOOK_NAMES))
        for q in workbook_quarters(contract, today)
    ]


async def contract_view(
    repos: Repositories, viewer: Viewer, contract: Contract, clock: Clocked, wanted: ActionFilter
) -> ContractView:
    view = ContractView(card=await card(repos, viewer, contract, clock))
    view.workbooks = workbook_links(contract, clock.today)
    specs = await _specs(repos, contract.id)
    view.returns = await _returns(repos, contract.id, specs, clock)
    view.meetings = await _meetings(repos, contract.id, clock)
    everything = await repos.actions.actions_for([contract.id], include_done=True)
    people = await repos.people.by_ids(
        [a.owner_id for a in everything] + await _recipients(repos, contract.id)
    )
    view.owners = sorted(
        {(str(a.owner_id), _name(people, a.owner_id)) for a in everything}, key=lambda o: o[1]
    )
    view.actions = [_action(a, people, clock) for a in everything if wanted.keeps(a)]
    values = await repos.returns.current_values(contract.id)
    last = last_completed_quarter(clock.today, contract.year_start_month)
    view.quarters = [
        found
        for quarter in ended_quarters(contract, last)
        if (found := quarter_payment(contract, quarter, values))
    ]
    view.notices = await _notices(repos, viewer, contract.id, people, clock)
    return view


def _name(people: dict[int, Person], person_id: int | None) -> str:
    person = people.get(person_id) if person_id is not None else None
    return person.name if person else "someone no longer in the portfolio"


async def _returns(
    repos: Repositories, contract_id: int, specs: list[IndicatorSpec], clock: Clocked
) -> list[ReturnView]:
    rows = await repos.returns.for_contract(contract_id)
    versions = {m.id: await repos.returns.versions(m.id) for m, _ in rows}
    values = await repos.returns.values_of([v.id for found in versions.values() for v in found])
    people = await repos.people.by_ids(v.submitted_by_id for found in versions.values() for v in found)
    found: list[ReturnView] = []
    for monthly, month in rows:
        shown = [
            VersionView(
                number=v.version,
                received=clock.when(v.received_at),
                by=_name(people, v.submitted_by_id),
                narrative=v.narrative,
                values=[
                    ValueRow(
                        s.name,
                        format_value(s, values.get(v.id, {}).get(s.code)),
                        rag(s, values.get(v.id, {}).get(s.code)),
                    )
                    for s in specs
                ],
            )
            for v in reversed(versions[monthly.id])
        ]
        found.append(ReturnView(month.label, _return_status(monthly), shown))
    return found


async def _meetings(repos: Repositories, contract_id: int, clock: Clocked) -> list[MeetingView]:
    meetings = list(reversed(await repos.meetings.meetings([contract_id])))
    attendance = {
        m.id: await repos.meetings.attendance(m.id) for m in meetings if m.status == MeetingStatus.HELD
    }
    people = await repos.people.by_ids(a.person_id for rows in attendance.values() for a in rows)
    return [
        MeetingView(
            name=MEETING_NAMES[MeetingType(m.kind)],
            period=m.period_label,
            status="held" if m.status == MeetingStatus.HELD else "scheduled",
            scheduled=clock.when(m.scheduled_for) if m.scheduled_for else "not scheduled yet",
            deadline=clock.when(m.deadline_at) if m.deadline_at else day(m.deadline_on),
            held=clock.when(m.held_at),
            decisions=m.decisions,
            requirements_met={True: "yes", False: "no", None: "–"}[m.requirements_met],
            fee={"signed_off": "signed off", "withheld": f"withheld: {m.fee_reason}"}.get(
                m.fee_decision, "–"
            ),
            attendance=[(_name(people, a.person_id), a.status) for a in attendance.get(m.id, [])],
        )
        for m in meetings
    ]


def _action(item: ActionItem, people: dict[int, Person], clock: Clocked) -> ActionView:
    status = ActionStatus(item.status)
    return ActionView(
        description=item.description,
        owner=_name(people, item.owner_id),
        due=day(item.due_on),
        overdue=status is not ActionStatus.DONE and item.due_on < clock.today,
        status=STATUS_WORDS[status],
        level=LEVEL_WORDS[ActionLevel(item.level)],
        progress=item.progress,
    )


async def _recipients(repos: Repositories, contract_id: int) -> list[int]:
    return [
        n.recipient_id for n in await repos.outbox.for_contract(contract_id) if n.recipient_id is not None
    ]


async def _notices(
    repos: Repositories, viewer: Viewer, contract_id: int, people: dict[int, Person], clock: Clocked
) -> list[NoticeView]:
    """Reminders and escalations about the contract: all of them for its commissioners; for a provider,
    only those sent to them or to others on the provider's side (never the commissioners' escalations)."""
    notices = await repos.outbox.for_contract(contract_id)
    if viewer.side_on(contract_id) is Side.PROVIDER:
        providers = {
            p.id
            for p in await repos.people.people_with_roles(
                contract_id, frozenset({Role.PROVIDER_CONTACT, Role.HEAD_OF_SERVICE})
            )
        }
        notices = [n for n in notices if n.recipient_id in providers]
    return [_notice(n, people, clock) for n in notices]


def _notice(notice: Notification, people: dict[int, Person], clock: Clocked) -> NoticeView:
    kind = notice.kind.removeprefix("remind.")
    title = notice.payload.get("title")
    return NoticeView(
        what=title if isinstance(title, str) and title else kind.replace(".", " ").replace("_", " "),
        escalation=bool(notice.payload.get("escalation")),
        to=_name(people, notice.recipient_id),
        created=clock.when(notice.created_at),
        sent=clock.when(notice.sent_at),
        status=notice.status.replace("_", " "),
    )
