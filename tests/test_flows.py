"""Every journey's flow table is its router: each verb listed once, routed to its step and payload, reachable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from bot.app import build_dispatch
from dialogs import (
    actions,
    gonogo,
    improvement,
    kpi_return,
    leave,
    meetings,
    monthly_return,
    notice,
    quarter,
    reminders,
    status,
)
from dialogs.actions.flow import FLOW as ACTIONS
from dialogs.flow import Card, Verb
from dialogs.gonogo.flow import FLOW as GONOGO
from dialogs.improvement.flow import FLAGGED_MISS, KPI_RATING, RETURN_RATING
from dialogs.improvement.flow import FLOW as IMPROVEMENT
from dialogs.kpi_return.flow import FLOW as KPI_RETURN
from dialogs.leave.flow import FLOW as LEAVE
from dialogs.meetings.flow import FLOW as MEETINGS
from dialogs.meetings.flow import OFFER
from dialogs.monthly_return.flow import FLOW as RETURNS
from dialogs.notice.flow import FLOW as NOTICE
from dialogs.quarter.flow import FLOW as QUARTER
from dialogs.reminders.flow import FLOW as REMINDERS
from dialogs.reminders.flow import SENT
from dialogs.status.flow import FLOW as STATUS


@dataclass(frozen=True)
class Journey:
    package: ModuleType
    flow: tuple[Verb, ...]
    prefix: str  # the verbs the journey owns: "return." for return.start, return.submit, …
    also_shown: tuple[Card, ...] = ()  # cards built by the journey but shown from another's step

    @property
    def cards(self) -> set[Card]:
        return {card for entry in self.flow for card in (*entry.shows, *entry.sends)} | set(self.also_shown)

    def __str__(self) -> str:
        return self.package.__name__.removeprefix("dialogs.")


JOURNEYS = [
    Journey(actions, ACTIONS, "actions."),
    Journey(gonogo, GONOGO, "gonogo."),
    Journey(improvement, IMPROVEMENT, "improve.", also_shown=(FLAGGED_MISS, RETURN_RATING, KPI_RATING)),
    Journey(kpi_return, KPI_RETURN, "kpi_return."),
    Journey(leave, LEAVE, "leave."),
    Journey(meetings, MEETINGS, "meeting.", also_shown=(OFFER,)),
    Journey(monthly_return, RETURNS, "return."),
    Journey(notice, NOTICE, "notice."),
    Journey(quarter, QUARTER, "quarter."),
    Journey(reminders, REMINDERS, "reminder.", also_shown=SENT),
    Journey(status, STATUS, "status."),
]
each_journey = pytest.mark.parametrize("journey", JOURNEYS, ids=str)


@each_journey
def test_the_table_lists_exactly_the_routers_verbs_once_each_in_order(journey: Journey) -> None:
    assert [entry.verb for entry in journey.flow] == list(journey.package.router.routes)


@each_journey
def test_each_verb_is_routed_to_the_step_and_payload_the_table_names(journey: Journey) -> None:
    for entry in journey.flow:
        route = journey.package.router.routes[entry.verb]
        assert (route.model, route.step) == (entry.model, entry.step), entry.verb


@each_journey
def test_every_verb_a_card_offers_is_one_the_app_routes(journey: Journey) -> None:
    routed = set(build_dispatch().routes)
    assert {verb for card in journey.cards for verb in card.offers} <= routed


@each_journey
def test_every_verb_is_reached_from_a_typed_command_or_a_card(journey: Journey) -> None:
    offered = {verb for card in journey.cards for verb in card.offers}
    typed = set(journey.package.router.commands.values())
    assert {entry.verb for entry in journey.flow} <= offered | typed


@each_journey
def test_the_cards_offer_no_verb_of_the_journey_the_table_does_not_list(journey: Journey) -> None:
    cards = Path(journey.package.__file__ or "").parent / "cards"
    own = re.compile(r'"(' + re.escape(journey.prefix) + r'[a-z_.]+)"')
    in_cards = {verb for module in cards.glob("*.py") for verb in own.findall(module.read_text("utf-8"))}
    listed = {verb for card in journey.cards for verb in card.offers if verb.startswith(journey.prefix)}
    assert in_cards == listed
