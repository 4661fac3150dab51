"""The portfolio file: contracts, indicators, people and roles, parsed and checked with line numbers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from commissioning.indicators import Comparison, IndicatorKind
from commissioning.quarter.kpis import Kpi, KpiError, kpi_from_dict
from commissioning.quarter.payment_terms import PaymentTerms, PaymentTermsError, payment_terms_from_dict
from commissioning.reminder_policy import PolicyError, check_overrides
from commissioning.roles import Role
from commissioning.seats import SeatsEntry

_KEY = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


Where = int | str | None
"""Where a problem is: a YAML file's line, a workbook's cell ('Indicators!C7'), or None (the whole file)."""
Problem = tuple[Where, str, str]
Placer = Callable[[tuple[Any, ...], str, str | None], Problem]
"""Turns a problem's location in the portfolio's structure, its message and (for a validation error) the
error's type into a Problem: where it is in the file, the field (may be empty) and the message."""


class PortfolioError(Exception):
    """A portfolio file that cannot be imported; `problems` lists (where, field, message), nothing is applied."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        lines = [f"{self.source}: not imported, {len(self.problems)} problem(s); nothing was changed."]
        for place, field, message in self.problems:
            where = f"line {place}" if isinstance(place, int) else place or "file"
            lines.append(f"  {where}: {field}: {message}" if field else f"  {where}: {message}")
        return "\n".join(lines)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OrganisationEntry(_Strict):
    key: str = Field(pattern=_KEY)
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["commissioner", "provider"]
    # Its own seats at the meetings, in place of seed 001's for its side (docs/meetings.md).
    seats: SeatsEntry | None = None


class PersonEntry(_Strict):
    email: str = Field(max_length=254)
    name: str = Field(min_length=1, max_length=200)
    organisation: str
    job_title: str = Field(default="", max_length=200)
    aad_object_id: str | None = Field(default=None, max_length=64)
    manager: str | None = None
    administrator: bool = False

    @field_validator("email", "manager")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _EMAIL.match(value):
            raise ValueError(f"{value!r} is not an email address")
        return value.lower()


class IndicatorEntry(_Strict):
    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=1000)
    frequency: Literal["monthly", "quarterly"] = "monthly"
    kind: IndicatorKind
    unit: str = Field(default="", max_length=32)
    minimum: float | None = None
    maximum: float | None = None
    requirement: float | None = None
    comparison: Comparison = Comparison.AT_LEAST
    amber_margin: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _limits(self) -> IndicatorEntry:
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("minimum is greater than maximum")
        if self.kind is IndicatorKind.YES_NO and self.requirement not in (None, 0, 1):
            raise ValueError("a yes/no indicator's requirement is 1 (must be yes) or 0 (must be no)")
        return self


class ContractEntry(_Strict):
    key: str = Field(pattern=_KEY)
    name: str = Field(min_length=1, max_length=200)
    service: str = Field(default="", max_length=200)
    commissioner: str
    provider: str
    starts_on: date
    ends_on: date
    value: float = Field(default=0, ge=0, description="contract value in pounds")
    outcome_share: float = Field(default=0.0, ge=0, le=1)
    year_start_month: int = Field(default=4, ge=1, le=12)
    roles: dict[Role, list[str]] = Field(default_factory=dict)
    indicators: list[IndicatorEntry] = Field(default_factory=list)
    # Its quarterly KPIs, each as `kpi_from_dict` reads it (docs/quarter.md); checked in `parse_portfolio`.
    kpis: list[dict[str, Any]] = Field(default_factory=list)
    # Fee for service and payment by results (seed 004), as `payment_terms_from_dict` reads them
    # (docs/quarter.md); checked in `parse_portfolio`.
    payment: dict[str, Any] | None = None
    # This contract's own seats at the meetings, in place of its organisations' (docs/meetings.md).
    seats: SeatsEntry | None = None
    # This contract's own reminder delays, laid over the policy file (docs/reminders.md).
    reminders: dict[str, Any] | None = None

    @field_validator("reminders")
    @classmethod
    def _reminders(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None:
            try:
                check_overrides(value)
            except PolicyError as error:
                raise ValueError(str(error)) from None
        return value or None

    @model_validator(mode="after")
    def _dates(self) -> ContractEntry:
        if self.ends_on <= self.starts_on:
            raise ValueError("ends_on must be after starts_on")
        codes = [indicator.code for indicator in self.indicators]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"indicator codes repeated: {', '.join(duplicates)}")
        return self

    def kpi_definitions(self) -> tuple[Kpi, ...]:
        """Its KPIs, parsed; only call on a contract `parse_portfolio` has checked."""
        return tuple(kpi_from_dict(entry) for entry in self.kpis)

    def payment_terms(self) -> PaymentTerms | None:
        """Its fee for service and PbR terms, parsed; only call on a contract `parse_portfolio` has checked."""
        return None if self.payment is None else payment_terms_from_dict(self.payment)


class Portfolio(_Strict):
    organisations: list[OrganisationEntry] = Field(default_factory=list)
    people: list[PersonEntry] = Field(default_factory=list)
    contracts: list[ContractEntry] = Field(default_factory=list)


def parse_portfolio(text: str, source: str = "portfolio") -> Portfolio:
    """Parse and check a whole portfolio file; raise PortfolioError naming every problem's line and field."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise PortfolioError(
            source, [(line, "file", f"not valid YAML: {getattr(error, 'problem', error)}")]
        ) from None
    if not isinstance(data, dict):
        raise PortfolioError(source, [(1, "file", "expected sections organisations, people and contracts")])

    def place(loc: tuple[Any, ...], message: str, kind: str | None) -> Problem:
        return (_line_of(root, loc), field_name(loc), message)

    return check_portfolio(data, source, place)


def check_portfolio(data: dict[str, Any], source: str, place: Placer) -> Portfolio:
    """Check the portfolio's structure (from a YAML file or a workbook) against every rule; raise
    PortfolioError with each problem where `place` puts it."""
    try:
        portfolio = Portfolio.model_validate(data)
    except ValidationError as error:
        problems = [
            place(error_item["loc"], _message(error_item), error_item["type"])
            for error_item in error.errors()
        ]
        raise PortfolioError(source, problems) from None
    problems = _cross_references(portfolio, place)
    if problems:
        raise PortfolioError(source, problems)
    return portfolio


def _cross_references(portfolio: Portfolio, place: Placer) -> list[Problem]:
    problems: list[Problem] = []
    organisations = {o.key: o for o in portfolio.organisations}
    emails = {p.email for p in portfolio.people}

    def problem(loc: tuple[Any, ...], message: str) -> None:
        problems.append(place(loc, message, None))

    keyed: tuple[tuple[str, Sequence[Any], Callable[[Any], str]], ...] = (
        ("organisation", portfolio.organisations, lambda o: o.key),
        ("person", portfolio.people, lambda p: p.email),
        ("contract", portfolio.contracts, lambda c: c.key),
    )
    for kind, items, key_of in keyed:
        seen: set[str] = set()
        section = {"organisation": "organisations", "person": "people", "contract": "contracts"}[kind]
        field = "email" if kind == "person" else "key"
        for index, item in enumerate(items):
            key = key_of(item)
            if key in seen:
                problem((section, index, field), f"{kind} {key!r} appears twice")
            seen.add(key)
    aad_ids = [p.aad_object_id for p in portfolio.people if p.aad_object_id]
    for index, person in enumerate(portfolio.people):
        if person.organisation not in organisations:
            problem(("people", index, "organisation"), f"no organisation with key {person.organisation!r}")
        if person.manager is not None and person.manager not in emails:
            problem(("people", index, "manager"), f"no person with email {person.manager!r}")
        if person.aad_object_id and aad_ids.count(person.aad_object_id) > 1:
            problem(("people", index, "aad_object_id"), "this Azure AD object id is given to two people")
    for index, contract in enumerate(portfolio.contracts):
        for field, kind in (("commissioner", "commissioner"), ("provider", "provider")):
            org = organisations.get(getattr(contract, field))
            if org is None:
                problem(("contracts", index, field), f"no organisation with key {getattr(contract, field)!r}")
            elif org.kind != kind:
                problem(
                    ("contracts", index, field), f"organisation {org.key!r} is a {org.kind}, not a {kind}"
                )
        for role, members in contract.roles.items():
            for position, email in enumerate(members):
                if email.lower() not in emails:
                    problem(
                        ("contracts", index, "roles", role.value, position), f"no person with email {email!r}"
                    )
    _seat_problems(portfolio, problem)
    _kpi_problems(portfolio, problem)
    _payment_problems(portfolio, problem)
    return problems


def _payment_problems(portfolio: Portfolio, problem: Callable[[tuple[Any, ...], str], None]) -> None:
    """Each contract's `payment:` block parses; each problem is placed at its field and names the contract."""
    for index, contract in enumerate(portfolio.contracts):
        if contract.payment is None:
            continue
        try:
            payment_terms_from_dict(contract.payment)
        except PaymentTermsError as error:
            for loc, message in error.problems:
                problem(("contracts", index, "payment", *loc), f"contract {contract.key}: {message}")


def _kpi_problems(portfolio: Portfolio, problem: Callable[[tuple[Any, ...], str], None]) -> None:
    """Each KPI parses, its code is unique on the contract, and the PIs it is computed from are monthly PIs there."""
    for index, contract in enumerate(portfolio.contracts):
        monthly = {i.code for i in contract.indicators if i.frequency == "monthly"}
        seen: set[str] = set()
        for position, entry in enumerate(contract.kpis):
            where = ("contracts", index, "kpis", position)
            try:
                kpi = kpi_from_dict(entry)
            except KpiError as error:
                problem(where, f"contract {contract.key}: {error}")
                continue
            if kpi.code in seen:
                problem(where, f"contract {contract.key}: KPI {kpi.code} appears twice")
            seen.add(kpi.code)
            for code in kpi.pi_codes:
                if code not in monthly:
                    problem(
                        where,
                        f"contract {contract.key}: KPI {kpi.code}: no monthly PI {code!r} on this contract",
                    )


def _seat_problems(portfolio: Portfolio, problem: Callable[[tuple[Any, ...], str], None]) -> None:
    """A contract's seat names people on that contract; an organisation's seat names its own people."""
    for index, contract in enumerate(portfolio.contracts):
        on_contract = {email.lower() for members in contract.roles.values() for email in members}
        for word, seat, position, email in contract.seats.seated() if contract.seats else ():
            if email not in on_contract:
                where = ("contracts", index, "seats", word, seat, "people", position)
                problem(where, f"{email!r} has no role on this contract")
    for index, organisation in enumerate(portfolio.organisations):
        staff = {p.email for p in portfolio.people if p.organisation == organisation.key}
        for word, seat, position, email in organisation.seats.seated() if organisation.seats else ():
            if email not in staff:
                where = ("organisations", index, "seats", word, seat, "people", position)
                problem(where, f"no person of {organisation.key!r} with email {email!r}")


def field_name(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1]}[{part + 1}]"] if parts else [f"[{part + 1}]"]
        else:
            parts.append(str(part))
    return ".".join(parts) or "file"


def _message(error: ErrorDetails) -> str:
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the YAML node a pydantic error location points at (or its nearest parent)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if node is None:
            break
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if str(key_node.value) == str(part):
                    child = value_node
                    line = key_node.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line
