"""Who the console speaks as: a portfolio person found by name or email, dressed as a Teams user."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.console.errors import ChatError
from storage.engine import Database
from storage.people import PeopleRepository


@dataclass(frozen=True)
class Identity:
    """A person as the console presents them to the bot.

    With an Azure AD object id they are sent as aadObjectId, as Teams does; without one their email is
    the sender id, which the bot in local mode matches directly and the connector's member lookup confirms."""

    name: str
    email: str
    aad_object_id: str | None = None

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.email.split("@")[0]

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.email.lower()).strip("-")

    @property
    def conversation_id(self) -> str:
        return f"a:console-{self.slug}"

    @property
    def user_id(self) -> str:
        return f"29:console-{self.slug}" if self.aad_object_id else self.email

    def account(self) -> dict[str, Any]:
        """The activity's `from`."""
        sender: dict[str, Any] = {"id": self.user_id, "name": self.name}
        if self.aad_object_id:
            sender["aadObjectId"] = self.aad_object_id
        return sender

    def member(self) -> dict[str, Any]:
        """What the Teams member lookup answers for this person."""
        member = {**self.account(), "email": self.email, "userPrincipalName": self.email}
        return member

    def describe(self) -> str:
        return f"{self.name} <{self.email}>" if self.name != self.email else self.email


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def match_person(people: list[Identity], query: str) -> Identity:
    """The one person `query` names: email, full name, the part of the email before @, or a first name
    (or the start of a name) that only one person has."""
    wanted = _norm(query)
    if not wanted:
        raise ChatError("Say who to chat as: a name or an email from the portfolio.")
    tests: tuple[Callable[[Identity], bool], ...] = (
        lambda p: _norm(p.email) == wanted,
        lambda p: _norm(p.name) == wanted,
        lambda p: _norm(p.email.split("@")[0]) == wanted,
        lambda p: _norm(p.first_name) == wanted,
        lambda p: _norm(p.name).startswith(wanted) or _norm(p.email).startswith(wanted),
    )
    for test in tests:
        found = [person for person in people if test(person)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(person.describe() for person in found)
            raise ChatError(f"{query!r} could be any of {names}. Use the full name or the email.")
    if "@" in query and not people:
        return Identity(query.strip(), query.strip().lower())
    hint = "Run `steward people` to list them." if people else "The bot's database has no people yet."
    raise ChatError(f"Nobody called {query!r} is in the portfolio. {hint}")


async def load_people(database: Database) -> list[Identity]:
    async with database.session() as session:
        return [
            Identity(person.name or person.email, person.email, person.aad_object_id or None)
            for person in await PeopleRepository(session).people()
        ]
