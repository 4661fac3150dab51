"""What a journey's flow table is made of: the cards it shows, its verbs, and the router built from them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dialogs.base import Payload, Router, Step


@dataclass(frozen=True)
class Card:
    """A card the journey shows, and the verbs its buttons offer."""

    name: str
    offers: tuple[str, ...]


@dataclass(frozen=True)
class Verb:
    """A button's verb: the payload it carries, the step it runs, the cards that step replies with or sends."""

    verb: str
    model: type[Payload]
    step: Step
    shows: tuple[Card, ...]
    sends: tuple[Card, ...] = ()  # to other people, through the outbox

    @property
    def offers(self) -> tuple[str, ...]:
        """The verbs the step's reply may offer next."""
        return tuple(dict.fromkeys(verb for shown in self.shows for verb in shown.offers))


def route(router: Router, flow: Iterable[Verb]) -> Router:
    """Route exactly the verbs the table lists, each to its step with its payload."""
    for entry in flow:
        router.action(entry.verb, entry.model)(entry.step)
    return router
