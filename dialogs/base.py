"""What every dialog shares: the turn it is handed, the reply it returns, typed verbs and the router."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, ValidationError

from commissioning.roles import Permission, Role, allowed
from commissioning.rules import Rules
from storage.models import Contract, Person
from storage.people import Membership
from storage.repositories import Repositories

log = logging.getLogger(__name__)


class Payload(BaseModel):
    """Base for button payloads: unknown keys (the card's own inputs) are kept aside, never trusted."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)


class NoPayload(Payload):
    pass


@dataclass
class Turn:
    """Everything a dialog step may use: who is asking, on which contracts, when, and the repositories."""

    person: Person
    memberships: list[Membership]
    now: datetime
    rules: Rules  # built once at start-up (bot/core.py): calendar, deadline rule, working hours, factor sets
    repos: Repositories
    commands: list[tuple[str, str]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)  # the card's inputs, untrusted: dialogs parse them

    @property
    def zone(self) -> ZoneInfo:
        """The people's zone (Europe/London): what every date and time on a card is shown in."""
        return self.rules.zone

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.zone)

    def roles_on(self, contract_id: int) -> frozenset[Role]:
        return frozenset(m.role for m in self.memberships if m.contract.id == contract_id)

    def contracts_where(self, permission: Permission) -> list[Contract]:
        seen: dict[int, Contract] = {}
        for membership in self.memberships:
            if allowed({membership.role}, permission) and membership.contract.id is not None:
                seen.setdefault(membership.contract.id, membership.contract)
        return list(seen.values())

    def may(self, contract_id: int, permission: Permission) -> bool:
        return allowed(self.roles_on(contract_id), permission)


@dataclass
class Reply:
    """What a dialog step shows. `replace` updates the card the button was on instead of posting anew."""

    card: dict[str, Any] | None = None
    text: str | None = None
    replace: bool = False
    notify: bool = False  # the step wrote to the outbox: deliver after commit


class Refused(Exception):
    """The sender may not do this here. The message is safe to show; the attempt is audited."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


P = TypeVar("P", bound=Payload)
Step = Callable[[Turn, Any], Awaitable[Reply]]


@dataclass(frozen=True)
class Route(Generic[P]):
    verb: str
    model: type[P]
    step: Step


class Router:
    """One per dialog module: its verbs (buttons) and the typed commands people can type."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.routes: dict[str, Route[Any]] = {}
        self.commands: dict[str, str] = {}
        self.arguments: dict[str, tuple[str, str]] = {}  # phrase → (verb, the payload key the rest goes in)
        self.help: list[tuple[str, str]] = []

    def action(self, verb: str, model: type[Payload] = NoPayload) -> Callable[[Step], Step]:
        def register(step: Step) -> Step:
            if verb in self.routes:
                raise ValueError(f"verb {verb!r} registered twice")
            self.routes[verb] = Route(verb, model, step)
            return step

        return register

    def command(self, verb: str, *phrases: str, help_text: str = "", argument: str | None = None) -> None:
        """Typed text that starts a verb, e.g. 'submit return' → return.start.

        With `argument`, a phrase followed by more words also starts it, the rest in the payload under that
        key: 'status IVWS' → status.show with {"contract": "ivws"} (normalised like every typed command).
        """
        for phrase in phrases:
            self.commands[normalise_command(phrase)] = verb
            if argument:
                self.arguments[normalise_command(phrase)] = (verb, argument)
        if help_text:
            self.help.append((phrases[0], help_text))


class Dispatch:
    """All routers together: turns a verb and raw data into a typed call."""

    def __init__(self, routers: list[Router]) -> None:
        self.routes: dict[str, Route[Any]] = {}
        self.commands: dict[str, str] = {}
        self.arguments: dict[str, tuple[str, str]] = {}
        self.help: list[tuple[str, str]] = []
        for router in routers:
            for verb, route in router.routes.items():
                if verb in self.routes:
                    raise ValueError(f"verb {verb!r} defined by two dialogs")
                self.routes[verb] = route
            self.commands.update(router.commands)
            self.arguments.update(router.arguments)
            self.help.extend(router.help)

    def verb_for_text(self, typed: str) -> str | None:
        return self.commands.get(normalise_command(typed))

    def match(self, typed: str) -> tuple[str, dict[str, str]] | None:
        """The verb typed text starts and its data: a whole command, else the longest command phrase that
        takes an argument followed by the argument ('status ivws'); None when it is no command."""
        words = normalise_command(typed)
        verb = self.commands.get(words)
        if verb is not None:
            return verb, {}
        for phrase in sorted(self.arguments, key=len, reverse=True):
            if words.startswith(phrase + " "):
                verb, key = self.arguments[phrase]
                return verb, {key: words[len(phrase) + 1 :]}
        return None

    def parse(self, verb: str, data: dict[str, Any]) -> tuple[Route[Any], Payload]:
        """Raises KeyError for an unknown verb and ValidationError for a malformed payload."""
        route = self.routes[verb]
        return route, route.model.model_validate(data)


def normalise_command(typed: str) -> str:
    words = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in typed.lower()).split()
    return " ".join(words)


__all__ = [
    "Dispatch",
    "NoPayload",
    "Payload",
    "Refused",
    "Reply",
    "Repositories",
    "Router",
    "Turn",
    "ValidationError",
]
