"""The meetings' flow table is its router: every verb listed once, with its payload, step and cards."""

from __future__ import annotations

import re
from pathlib import Path

from bot.app import build_dispatch
from dialogs import meetings
from dialogs.meetings.flow import FLOW, OFFER
from dialogs.monthly_return.flow import REVIEW_ON_RECEIPT

router = meetings.router


def test_the_table_lists_exactly_the_routers_verbs_once_each_in_order() -> None:
    assert [entry.verb for entry in FLOW] == list(router.routes)


def test_each_verb_is_routed_to_the_step_and_payload_the_table_names() -> None:
    for entry in FLOW:
        route = router.routes[entry.verb]
        assert (route.model, route.step) == (entry.model, entry.step), entry.verb


def test_every_verb_a_card_offers_is_one_the_app_routes() -> None:
    routed = set(build_dispatch().routes)
    assert set(OFFER.offers) <= routed
    for entry in FLOW:
        sent = {verb for shown in entry.sends for verb in shown.offers}
        assert {*entry.offers, *sent} <= routed, entry.verb


def test_every_verb_is_reached_from_a_typed_command_or_a_card() -> None:
    offered = {verb for entry in FLOW for shown in (*entry.shows, *entry.sends) for verb in shown.offers}
    assert {entry.verb for entry in FLOW} <= offered | set(router.commands.values())


def test_the_cards_offer_no_meeting_verb_the_table_does_not_list() -> None:
    cards = Path(meetings.__file__).parent / "cards"
    in_cards = {
        verb
        for module in cards.glob("*.py")
        for verb in re.findall(r'"(meeting\.[a-z_]+)"', module.read_text(encoding="utf-8"))
    }
    shown = {shown for entry in FLOW for shown in (*entry.shows, *entry.sends)} | {OFFER}
    listed = {verb for card in shown for verb in card.offers}
    assert in_cards == {verb for verb in listed if verb.startswith("meeting.")}


def test_the_reviewers_card_offers_what_the_meetings_table_says() -> None:
    assert set(OFFER.offers) <= set(REVIEW_ON_RECEIPT.offers)
