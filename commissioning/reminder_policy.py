"""The reminder policy: every delay the deadline sweep uses, read from one YAML file with documented defaults."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import time
from functools import cache
from importlib import resources
from typing import Annotated, Any

import yaml
from pydantic import BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.dataclasses import dataclass

MAX_POLICY_LENGTH = 64 * 1024
_STRICT = ConfigDict(extra="forbid")


class PolicyError(Exception):
    """A policy file or a contract's overrides that cannot be used; the message names the setting at fault."""


def _time_text(value: object) -> object:
    """Times must be written as text: YAML reads an unquoted 09:00 as the number 540."""
    if isinstance(value, time):
        return value
    if not isinstance(value, str):
        raise ValueError('write the time in quotes, like "09:00"')
    return value


ClockTime = Annotated[time, BeforeValidator(_time_text)]
WorkingDays = Annotated[int, Field(ge=0, le=60)]


@dataclass(frozen=True, config=_STRICT)
class WorkingHoursPolicy:
    start: ClockTime = time(9, 0)
    end: ClockTime = time(17, 30)

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("end must be after start")


@dataclass(frozen=True, config=_STRICT)
class ReturnPolicy:
    due_working_day: Annotated[int, Field(ge=1, le=20)] = 10
    due_soon_working_days: WorkingDays = 3
    escalate_after_working_days: Annotated[int, Field(ge=1, le=60)] = 3
    director_after_working_days: Annotated[int, Field(ge=1, le=60)] | None = 10

    def __post_init__(self) -> None:
        director = self.director_after_working_days
        if director is not None and director <= self.escalate_after_working_days:
            raise ValueError("director_after_working_days must be more than escalate_after_working_days")


@dataclass(frozen=True, config=_STRICT)
class ReviewMeetingPolicy:
    schedule_within_working_days: Annotated[int, Field(ge=1, le=20)] = 2
    manager_after_working_days: Annotated[int, Field(ge=1, le=20)] = 1


@dataclass(frozen=True, config=_STRICT)
class ActionPolicy:
    due_soon_working_days: WorkingDays = 2
    chair_after_working_days: Annotated[int, Field(ge=1, le=60)] = 3
    manager_after_working_days: Annotated[int, Field(ge=1, le=60)] = 8

    def __post_init__(self) -> None:
        if self.manager_after_working_days <= self.chair_after_working_days:
            raise ValueError("manager_after_working_days must be more than chair_after_working_days")


@dataclass(frozen=True, config=_STRICT)
class DeliverablePolicy:
    before_meeting_working_days: Annotated[int, Field(ge=1, le=30)] = 5


@dataclass(frozen=True, config=_STRICT)
class VisitPolicy:
    notice_working_days_before: tuple[Annotated[int, Field(ge=1, le=60)], ...] = (10, 1)

    def __post_init__(self) -> None:
        days = self.notice_working_days_before
        if len(set(days)) != len(days):
            raise ValueError("notice_working_days_before repeats a number")
        # Largest first: the order the reminders go out in.
        object.__setattr__(self, "notice_working_days_before", tuple(sorted(days, reverse=True)))


@dataclass(frozen=True, config=_STRICT)
class BreachPolicy:
    urgent: bool = True


@dataclass(frozen=True, config=_STRICT)
class ReminderPolicy:
    """All the delays, in working days unless named otherwise. See reminder_policy.yaml for each one's meaning."""

    working_hours: WorkingHoursPolicy = WorkingHoursPolicy()
    stop_chasing_after_days: Annotated[int, Field(ge=7, le=366)] = 60
    monthly_return: ReturnPolicy = ReturnPolicy()
    kpi_return: ReturnPolicy = ReturnPolicy()  # due_working_day counts from the quarter's close
    review_meeting: ReviewMeetingPolicy = ReviewMeetingPolicy()
    actions: ActionPolicy = ActionPolicy()
    quarterly_deliverables: DeliverablePolicy = DeliverablePolicy()
    visits: VisitPolicy = VisitPolicy()
    persistent_breach: BreachPolicy = BreachPolicy()

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> ReminderPolicy:
        """This policy with a contract's overrides laid over it; raises PolicyError naming a bad one."""
        if not overrides:
            return self
        check_overrides(overrides)
        return _build(_merge(_as_mapping(self), overrides), "")


def _as_mapping(policy: ReminderPolicy) -> dict[str, Any]:
    return dataclasses.asdict(policy)


def _merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _build(data: Mapping[str, Any], source: str) -> ReminderPolicy:
    try:
        return ReminderPolicy(**data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"]) or "policy"
            message = str(item["msg"]).removeprefix("Value error, ")
            if item["type"] == "unexpected_keyword_argument":
                message = "not a setting Steward knows (see docs/reminders.md)"
            problems.append(f"{where}: {message}")
        raise PolicyError((f"{source}: " if source else "") + "; ".join(problems)) from None
    except (TypeError, ValueError) as error:
        raise PolicyError((f"{source}: " if source else "") + str(error)) from None


def check_overrides(overrides: object) -> None:
    """A contract may change any delay but not the working hours, which hold for the whole installation."""
    if not isinstance(overrides, Mapping):
        raise PolicyError("reminders must be a mapping of policy sections, like monthly_return: {...}")
    if "working_hours" in overrides:
        raise PolicyError("working_hours are set for the whole installation, not per contract")
    for section, value in overrides.items():
        if section != "stop_chasing_after_days" and not isinstance(value, Mapping):
            raise PolicyError(f"{section}: expected a mapping of settings")
    _build(_merge(_as_mapping(default_policy()), overrides), "")


@cache
def default_policy() -> ReminderPolicy:
    """The packaged defaults (reminder_policy.yaml)."""
    text = resources.files("commissioning").joinpath("reminder_policy.yaml").read_text(encoding="utf-8")
    return _build(_read(text, "reminder_policy.yaml"), "reminder_policy.yaml")


def load_policy(text: str | None = None, source: str = "POLICY_FILE") -> ReminderPolicy:
    """The packaged defaults with an administrator's policy file (its text) laid over them."""
    if text is None or not text.strip():
        return default_policy()
    return _build(_merge(_as_mapping(default_policy()), _read(text, source)), source)


def _read(text: str, source: str) -> dict[str, Any]:
    if len(text) > MAX_POLICY_LENGTH:
        raise PolicyError(f"{source}: the file is too long")
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise PolicyError(f"{source}: not valid YAML{where}") from None
    if not isinstance(document, dict):
        raise PolicyError(f"{source}: expected sections like working_hours: and monthly_return:")
    return document
