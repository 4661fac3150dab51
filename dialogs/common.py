"""What the journeys share: contract checks, reading inputs, dates in words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from commissioning.dates import long_date, parse_clock_time, parse_day
from commissioning.meetings import MEETING_NAMES, MeetingType
from commissioning.roles import Permission, Role
from dialogs import inputs
from dialogs.base import Refused, Turn
from dialogs.cards import container, error_text, input_choice, input_text, subtle, text
from storage.meeting_models import Meeting
from storage.models import Contract, Person

NO_ROLE = "You don't have a role on that contract that allows this."
PROVIDER_ROLES = frozenset({Role.PROVIDER_CONTACT, Role.HEAD_OF_SERVICE})


def contract_for(turn: Turn, contract_id: int, permission: Permission) -> Contract:
    """The contract, if the sender's role on it grants `permission`; otherwise refused (cards can be forged)."""
    for membership in turn.memberships:
        if membership.contract.id == contract_id and turn.may(contract_id, permission):
            return membership.contract
    raise Refused(NO_ROLE, reason=f"{permission}:{contract_id}")


def raw_text(turn: Turn, key: str, limit: int = 4000) -> str:
    """One of the turn's card inputs as trimmed, bounded text (see dialogs/inputs.py)."""
    return inputs.input_text(turn.raw, key, limit)


def when_text(moment: datetime, zone: ZoneInfo) -> str:
    """'Friday 6 November 2026 at 10:00', in the people's zone."""
    local = moment.astimezone(zone)
    return f"{long_date(local.date())} at {local:%H:%M}"


def meeting_title(meeting: Meeting) -> str:
    """'Monthly performance review: October 2026'."""
    return f"{MEETING_NAMES[MeetingType(meeting.kind)]}: {meeting.period_label}"


def short_date(day: date) -> str:
    """'6 Nov 2026'."""
    return f"{day.day} {day:%b %Y}"


async def contract_people(turn: Turn, contract_id: int) -> list[Person]:
    """Everyone with a role on the contract: who an action can be given to."""
    return await turn.repos.people.people_with_roles(contract_id, frozenset(Role))


def list_entry(title: str, detail: str, button: dict[str, Any]) -> list[dict[str, Any]]:
    """One row of a list card: a bold line, a subtle line beneath it, and its button."""
    return [
        text(title, weight="Bolder", spacing="Medium"),
        subtle(detail),
        {"type": "ActionSet", "actions": [button]},
    ]


def field(
    element: dict[str, Any], error: str | None, hint: str | None = None, **extra: Any
) -> dict[str, Any]:
    """An input with its hint and, when there is one, its error right beneath it."""
    items = [element]
    if hint:
        items.append(subtle(hint))
    if error:
        items.append(error_text(error))
    return container(items, **extra)


def _typed_input(
    kind: str, parse: Callable[[str], object], input_id: str, label: str, value: str
) -> dict[str, Any]:
    """An Input.Date or Input.Time when the value parses (or is empty); the raw text otherwise, so it
    can be corrected."""
    if value and parse(value) is None:
        return input_text(input_id, label, value)
    element: dict[str, Any] = {"type": kind, "id": input_id, "label": label}
    if value:
        element["value"] = value
    return element


def date_input(input_id: str, label: str, value: str) -> dict[str, Any]:
    return _typed_input("Input.Date", parse_day, input_id, label, value)


def time_input(input_id: str, label: str, value: str) -> dict[str, Any]:
    return _typed_input("Input.Time", parse_clock_time, input_id, label, value)


def choice(
    input_id: str, label: str, choices: list[tuple[str, str]], value: str, **extra: Any
) -> dict[str, Any]:
    """A choice set whose value is kept only when it is one of the choices."""
    allowed = {v for _, v in choices}
    return input_choice(input_id, label, choices, value if value in allowed else "", **extra)
