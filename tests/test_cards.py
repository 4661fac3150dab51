"""Card plumbing: the schema check itself, and neutralising of user text shown in cards."""

from __future__ import annotations

import pytest

from dialogs.cards import card, execute, input_number, plain, text
from tests.cardschema import card_problems


def test_a_well_formed_card_has_no_problems() -> None:
    assert card_problems(card([text("Hello")], [execute("Go", "welcome")])) == []


def test_an_unknown_element_type_is_reported() -> None:
    problems = card_problems(card([{"type": "TextBlok", "text": "typo"}]))

    assert problems


def test_a_number_input_with_a_text_value_is_reported() -> None:
    broken = input_number("pi_X", "X", None)
    broken["value"] = "lots"

    assert card_problems(card([broken]))


def test_a_card_over_28_kilobytes_is_reported() -> None:
    problems = card_problems(card([text("x" * 29_000)]))

    assert problems == ["card is 29154 bytes, over Teams' 28 KB message limit"]


def test_a_card_must_declare_version_1_5() -> None:
    old = card([text("Hello")])
    old["version"] = "1.6"

    assert card_problems(old) == ["version is '1.6', not '1.5'"]


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("A steady month.", "A steady month."),
        ("priya.shah@victimsupport.example", "priya.shah@victimsupport.example"),
        ("[click here](https://evil.example)", "\\[click here\\](https:\u2060//evil.example)"),
        ("![img](http://x.example/a.png)", "!\\[img\\](http:\u2060//x.example/a.png)"),
        ("<at>Director</at> look", "\\<at\\>Director\\</at\\> look"),
        ("**bold** _it_ `code` ~~no~~", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~no\\~\\~"),
        ("- a list\n1. numbered\n# heading", "\\- a list\n1\\. numbered\n\\# heading"),
        ("rate 93.5% - fine", "rate 93.5% - fine"),
        ("zero\u200bwidth\u202eright-to-left", "zerowidthright-to-left"),
    ],
    ids=[
        "plain",
        "email",
        "link",
        "image",
        "mention",
        "emphasis",
        "line-markers",
        "mid-line-dash",
        "controls",
    ],
)
def test_user_text_is_made_inert_for_teams_markdown(typed: str, shown: str) -> None:
    assert plain(typed) == shown


def test_user_text_is_bounded() -> None:
    assert plain("a" * 50, limit=10) == "aaaaaaaaa…"
