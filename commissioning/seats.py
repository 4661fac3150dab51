"""Who sits at each meeting: seed 001's seats, or an organisation's or a contract's own from the portfolio."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from commissioning.meetings import ATTENDEE_ROLES, AttendeeRole, MeetingType
from commissioning.roles import Role, Side

# The portfolio file's words for the two meetings.
SEAT_MEETINGS = {"monthly": MeetingType.MONTHLY_REVIEW, "quarterly": MeetingType.QUARTERLY_CONTRACT}


class SeatEntry(BaseModel):
    """One seat in the portfolio file: its title, and who fills it (holders of a role, named people, both, or
    nobody yet: a vacant seat)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    role: Role | None = None
    people: list[str] = Field(default_factory=list)

    @field_validator("people")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        return [email.lower() for email in value]


class SeatsEntry(BaseModel):
    """An organisation's or a contract's seats at the monthly and the quarterly meeting; one left out keeps the default."""

    model_config = ConfigDict(extra="forbid")

    monthly: list[SeatEntry] | None = None
    quarterly: list[SeatEntry] | None = None

    def stored(self) -> dict[str, Any]:
        """As the database keeps it: by meeting kind, only the meetings the file gives seats for."""
        return {
            kind.value: [seat.model_dump(mode="json") for seat in seats]
            for word, kind in SEAT_MEETINGS.items()
            if (seats := getattr(self, word)) is not None
        }

    def seated(self) -> Iterable[tuple[str, int, int, str]]:
        """Each person named: the meeting word, the seat's index, the person's index, their email."""
        for word in SEAT_MEETINGS:
            for index, seat in enumerate(getattr(self, word) or []):
                for position, email in enumerate(seat.people):
                    yield word, index, position, email


def seats_for(
    kind: MeetingType,
    *,
    contract: Mapping[str, Any] | None,
    commissioner: Mapping[str, Any] | None,
    provider: Mapping[str, Any] | None,
) -> tuple[AttendeeRole, ...]:
    """The contract's own seats at this meeting; else each organisation's own, else seed 001's for its side."""
    if contract and kind.value in contract:
        return tuple(_seat(None, stored) for stored in contract[kind.value])
    return (*_side(kind, Side.COMMISSIONER, commissioner), *_side(kind, Side.PROVIDER, provider))


def _side(kind: MeetingType, side: Side, own: Mapping[str, Any] | None) -> tuple[AttendeeRole, ...]:
    if own and kind.value in own:
        return tuple(_seat(side, stored) for stored in own[kind.value])
    return tuple(seat for seat in ATTENDEE_ROLES[kind] if seat.side is side)


def _seat(side: Side | None, stored: Mapping[str, Any]) -> AttendeeRole:
    role = Role(stored["role"]) if stored.get("role") else None
    return AttendeeRole(
        side or (role.side if role else None), stored["title"], role, tuple(stored.get("people", ()))
    )


def fills(seat: AttendeeRole, email: str, roles: Iterable[Role]) -> bool:
    """A person fills a seat that names them, or whose role they hold on the contract."""
    return email.lower() in seat.people or (seat.filled_by is not None and seat.filled_by in set(roles))
