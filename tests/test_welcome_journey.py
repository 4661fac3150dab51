"""The welcome card over HTTP: typed text Steward does not understand, and the menu's buttons."""

from __future__ import annotations

from tests.conftest import Harness
from tests.teams import TeamsUser, card_actions, card_texts


async def typed(harness: Harness, user: TeamsUser, words: str) -> list[str]:
    """What Steward answers to the typed words: the texts of its last card."""
    await user.say(words)
    return card_texts(harness.connector.sent(user.conversation_id)[-1].card)


async def test_an_unknown_word_is_named_with_the_nearest_command_then_the_menu(harness: Harness) -> None:
    priya = harness.user("priya")

    texts = await typed(harness, priya, "submit retrun")

    assert texts[:3] == [
        "Good morning, Priya",
        "I didn't understand \u201csubmit retrun\u201d.",
        "Did you mean \u201csubmit return\u201d, \u201csubmit kpi return\u201d or \u201cmy returns\u201d? "
        "Or choose from the menu below.",
    ]
    assert "Submit a monthly return" in card_actions(harness.connector.sent(priya.conversation_id)[-1].card)


async def test_several_near_commands_are_suggested_closest_first(harness: Harness) -> None:
    daniel = harness.user("daniel")

    texts = await typed(harness, daniel, "shedule meeting")

    assert texts[1:3] == [
        "I didn't understand \u201cshedule meeting\u201d.",
        "Did you mean \u201cschedule meeting\u201d or \u201crecord meeting\u201d? Or choose from the menu below.",
    ]


async def test_a_word_near_no_command_still_says_so_and_offers_the_menu(harness: Harness) -> None:
    daniel = harness.user("daniel")

    texts = await typed(harness, daniel, "lunch")

    assert texts[1:3] == [
        "I didn't understand \u201clunch\u201d.",
        "Choose from the menu below, or type \u201chelp\u201d for every command.",
    ]


async def test_a_greeting_is_no_misunderstanding(harness: Harness) -> None:
    priya = harness.user("priya")

    texts = await typed(harness, priya, "hello")

    assert texts[0] == "Good morning, Priya"
    assert not [line for line in texts if "didn't understand" in line]


async def test_the_commissioners_menu_is_one_group_of_buttons_with_deliverables_and_help_last(
    harness: Harness,
) -> None:
    daniel = harness.user("daniel")

    await daniel.say("menu")

    menu = harness.connector.sent(daniel.conversation_id)[-1].card
    assert [(action["title"], action.get("mode", "primary")) for action in menu["actions"]] == [
        ("Schedule a meeting", "primary"),
        ("Record a meeting", "primary"),
        ("Deliverables", "primary"),
        ("Go/no-go evaluations", "primary"),
        ("My actions", "primary"),
        ("Help", "primary"),
        ("Meeting agendas", "secondary"),  # Teams shows six; the rest go in the card's "…" menu
        ("Portfolio", "secondary"),
    ]
    assert not [element for element in menu["body"] if element["type"] == "ActionSet"]
    assert card_texts(menu)[-1] == 'You can also type a command, for example "submit return" or "help".'


async def test_the_providers_menu_keeps_quarterly_deliverables_and_ends_with_help(harness: Harness) -> None:
    priya = harness.user("priya")

    await priya.say("menu")

    menu = harness.connector.sent(priya.conversation_id)[-1].card
    assert [action["title"] for action in menu["actions"]] == [
        "Submit a monthly return",
        "Submit a KPI return",
        "Quarterly deliverables",
        "My actions",
        "Meeting agendas",
        "Help",
        "Portfolio",  # the seventh: in the card's "…" menu, since Teams shows six
    ]
    assert menu["actions"][-1]["mode"] == "secondary"
