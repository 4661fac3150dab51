"""The console's card renderer: every element type as readable text, inputs as fields, buttons as a menu."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.console.fields import Field
from bot.console.render import render_card
from bot.console.text import Segment as S
from bot.console.text import plain_text, unmarkdown, wrap_segments
from commissioning.indicators import Rag
from dialogs.cards import (
    card,
    columns,
    container,
    error_text,
    execute,
    facts,
    heading,
    input_choice,
    input_number,
    input_text,
    plain,
    rag_badge,
    subtle,
    text,
)


def shown(card_json: dict[str, Any], width: int = 60, **options: Any) -> list[str]:
    return [plain_text(row) for row in render_card(card_json, width=width, **options).lines]


def styles_of(card_json: dict[str, Any], word: str) -> frozenset[str]:
    """The style of the first rendered word that is `word`."""
    for row in render_card(card_json, width=80).lines:
        for segment in row:
            if segment.text == word:
                return segment.style
    raise AssertionError(f"{word!r} not rendered as a word")


# -- text --------------------------------------------------------------------------------------------------


def test_a_heading_is_underlined_and_bold() -> None:
    assert shown(card([heading("Return received: October 2026")])) == [
        "Return received: October 2026",
        "=============================",
    ]
    assert "bold" in styles_of(card([heading("Return received")]), "Return")


def test_long_text_wraps_at_the_width() -> None:
    assert shown(card([text("one two three four five six seven")]), width=14) == [
        "one two three",
        "four five six",
        "seven",
    ]


def test_attention_text_is_marked_with_an_exclamation_and_continues_under_itself() -> None:
    rows = shown(card([error_text("Enter a value from 0% to 100% for this one.")]), width=24)

    assert rows == ["! Enter a value from 0%", "  to 100% for this one."]
    assert "attention" in styles_of(card([error_text("Enter")]), "Enter")


def test_colour_weight_and_subtlety_become_styles() -> None:
    styled_card = card(
        [
            text("fine", color="Good"),
            text("careful", color="Warning", weight="Bolder"),
            subtle("small print"),
        ]
    )

    assert styles_of(styled_card, "fine") == {"good"}
    assert styles_of(styled_card, "careful") == {"warning", "bold"}
    assert styles_of(styled_card, "print") == {"subtle"}


def test_the_escapes_plain_adds_are_undone() -> None:
    typed = "Smith & *Co* [draft] <b> 50% | #1 https://example.org 1. item - dash \\ back_slash"

    assert shown(card([text(plain(typed))]), width=200) == [typed]


@given(st.text(alphabet=st.sampled_from(list("ab -+#.)*_~`[]<>|\\(!1:/\t")), max_size=60))
def test_unmarkdown_reads_back_exactly_what_plain_neutralised(typed: str) -> None:
    assert unmarkdown(plain(typed)) == typed


def test_markdown_bold_is_unwrapped_and_links_show_their_address() -> None:
    assert unmarkdown("**Due:** see [the guidance](https://example.org/g)") == (
        "Due: see the guidance (https://example.org/g)"
    )


def test_a_rich_text_block_reads_as_its_runs_joined() -> None:
    rich = {"type": "RichTextBlock", "inlines": ["Due ", {"type": "TextRun", "text": "Friday"}]}

    assert shown(card([rich])) == ["Due Friday"]


def test_right_aligned_text_is_pushed_to_the_right_edge() -> None:
    assert shown(card([text("● Green", horizontalAlignment="Right")]), width=12) == ["     ● Green"]


def test_a_word_longer_than_the_line_is_cut() -> None:
    rows = wrap_segments([S("abcdefghij")], 4)

    assert [plain_text(row) for row in rows] == ["abcd", "efgh", "ij"]


# -- facts, containers, rows, tables, images ---------------------------------------------------------------


def test_a_fact_set_lines_its_values_up_after_the_titles() -> None:
    assert shown(card([facts([("Contract", "IVWS"), ("Sent to", "Daniel Reyes, Hannah Clarke")])])) == [
        "Contract: IVWS",
        "Sent to:  Daniel Reyes, Hannah Clarke",
    ]


def test_a_fact_title_too_long_for_half_the_width_gets_its_own_line() -> None:
    rows = shown(card([facts([("Commissioned rehabilitative service", "commissioner")])]), width=40)

    assert rows == ["Commissioned rehabilitative service:", "    commissioner"]


def test_medium_spacing_and_separators_become_blank_lines() -> None:
    body = [text("first"), text("second", spacing="Medium"), text("third", separator=True)]

    assert shown(card(body)) == ["first", "", "second", "", "third"]


def test_a_plain_container_is_flat_and_a_styled_one_is_indented() -> None:
    body = [
        container([text("inside")]),
        container([text("What changed", weight="Bolder"), text("• PI2: 93.5% → 88%")], style="emphasis"),
    ]

    assert shown(card(body)) == ["inside", "  What changed", "  • PI2: 93.5% → 88%"]


def test_column_sets_are_rows_whose_stretch_column_fills_the_line_so_the_others_line_up() -> None:
    body = [
        columns(
            ([text("Indicator", weight="Bolder")], "stretch"),
            ([text("Value", weight="Bolder")], "auto"),
            ([text("Rating", weight="Bolder", horizontalAlignment="Right")], "auto"),
        ),
        columns(
            ([text("Referrals received"), subtle("Minimum: at least 2,500")], "stretch"),
            ([text("2,710")], "auto"),
            ([rag_badge(Rag.GREEN)], "auto"),
        ),
        columns(
            ([text("User satisfaction")], "stretch"),
            ([text("84%")], "auto"),
            ([rag_badge(Rag.AMBER)], "auto"),
        ),
    ]

    assert shown(card(body), width=40) == [
        "Indicator                 Value   Rating",
        "Referrals received        2,710  ● Green",
        "Minimum: at least 2,500",
        "User satisfaction         84%    ● Amber",
    ]


def test_columns_too_wide_for_the_line_wrap_the_stretch_column() -> None:
    body = [columns(([text("a long description of the indicator")], "stretch"), ([text("2,710")], "auto"))]

    assert shown(card(body), width=24) == ["a long             2,710", "description of", "the indicator"]


def test_a_table_shows_its_header_row_ruled_off() -> None:
    table = {
        "type": "Table",
        "columns": [{"width": 2}, {"width": 1}],
        "rows": [
            {
                "type": "TableRow",
                "cells": [
                    {"type": "TableCell", "items": [text("Action")]},
                    {"type": "TableCell", "items": [text("Due")]},
                ],
            },
            {
                "type": "TableRow",
                "cells": [
                    {"type": "TableCell", "items": [text("Fix rota")]},
                    {"type": "TableCell", "items": [text("13 Nov")]},
                ],
            },
        ],
    }

    assert shown(card([table])) == ["Action    Due", "----------------", "Fix rota  13 Nov"]


def test_images_are_placeholders_with_their_alt_text() -> None:
    body = [
        {"type": "Image", "url": "https://example.org/logo.png", "altText": "Steward logo"},
        {"type": "Image", "url": "https://example.org/x.png"},
        {"type": "ImageSet", "images": [{"type": "Image", "url": "u", "altText": "chart"}]},
    ]

    assert shown(card(body)) == ["[image: Steward logo]", "[image]", "[image: chart]"]


def test_an_unknown_element_says_so_and_a_fallback_is_used_or_dropped() -> None:
    body = [
        {"type": "Carousel"},
        {"type": "Chart.Pie", "fallback": text("Pie chart: see the report")},
        {"type": "Chart.Bar", "fallback": "drop"},
    ]

    assert shown(card(body)) == ["[Carousel not shown in the console]", "Pie chart: see the report"]


def test_hidden_elements_are_left_out_until_made_visible() -> None:
    body = [text("always"), {**text("details"), "id": "more", "isVisible": False}]

    assert shown(card(body)) == ["always"]
    assert shown(card(body), visibility={"more": True}) == ["always", "details"]


# -- inputs ------------------------------------------------------------------------------------------------


def test_a_number_input_shows_its_label_value_and_limits() -> None:
    view = render_card(
        card([input_number("pi_PI2", "PI2  Victims contacted (%)", 93.5, minimum=0, maximum=100)])
    )

    assert view.text() == "▸ PI2  Victims contacted (%): 93.5   (number from 0 to 100)"
    assert view.fields == [
        Field(
            id="pi_PI2",
            kind="number",
            label="PI2  Victims contacted (%)",
            value="93.5",
            minimum="0",
            maximum="100",
        )
    ]


def test_an_empty_input_shows_its_placeholder() -> None:
    body = [
        input_text("narrative", "Narrative", multiline=True, max_length=4000, placeholder="What went well")
    ]

    assert shown(card(body), width=100) == [
        "▸ Narrative: (empty: What went well)   (text, several lines, up to 4,000 characters)"
    ]


def test_a_choice_input_numbers_its_choices_and_shows_the_chosen_title() -> None:
    body = [input_choice("pi_PI7", "PI7  Escalated within 24 hours", [("Yes", "yes"), ("No", "no")], "no")]

    assert shown(card(body)) == ["▸ PI7  Escalated within 24 hours: No   (choose one)", "    1. Yes   2. No"]


def test_hints_and_the_bots_errors_after_an_input_belong_to_it_and_sit_under_it() -> None:
    body = [
        text("Please correct 1 entry below.", color="Attention"),
        container(
            [
                input_number("pi_PI2", "PI2  Victims contacted (%)", 135, minimum=0, maximum=100),
                subtle("0% to 100%. Minimum service requirement: at least 90%."),
                error_text("Enter a value from 0% to 100%."),
            ]
        ),
    ]

    view = render_card(card(body), width=80)

    assert view.text().splitlines() == [
        "! Please correct 1 entry below.",
        "▸ PI2  Victims contacted (%): 135   (number from 0 to 100)",
        "  0% to 100%. Minimum service requirement: at least 90%.",
        "  ! Enter a value from 0% to 100%.",
    ]
    [field] = view.fields
    assert field.hints == ["0% to 100%. Minimum service requirement: at least 90%."]
    assert field.errors == ["Enter a value from 0% to 100%."]


def test_date_time_and_toggle_inputs_describe_what_they_take() -> None:
    body = [
        {"type": "Input.Date", "id": "on", "label": "Date", "value": "2026-11-06", "min": "2026-11-04"},
        {"type": "Input.Time", "id": "at", "label": "Start time", "value": "10:00"},
        {"type": "Input.Toggle", "id": "held", "title": "Meeting held", "valueOn": "held", "valueOff": "not"},
    ]

    assert shown(card(body)) == [
        "▸ Date: 2026-11-06   (date as YYYY-MM-DD, from 2026-11-04)",
        "▸ Start time: 10:00   (time as HH:MM)",
        "▸ Meeting held: no   (yes or no)",
    ]


def test_typed_values_replace_what_the_card_came_with() -> None:
    body = [input_number("pi_PI1", "Referrals", None)]

    assert shown(card(body), values={"pi_PI1": "2710"}) == ["▸ Referrals: 2710   (number)"]


def test_a_choice_is_accepted_by_title_value_number_or_the_start_of_its_title() -> None:
    choice = Field(
        id="owner", kind="choice", label="Owner", choices=[("Priya Shah", "17"), ("Tom Whitaker", "18")]
    )

    assert [choice.accept(typed) for typed in ("Tom Whitaker", "17", "2", "tom", "priya shah")] == [
        "18",
        "17",
        "18",
        "18",
        "17",
    ]
    with pytest.raises(ValueError, match=r"'Sam' is not one of the choices: Priya Shah, Tom Whitaker\."):
        choice.accept("Sam")


def test_several_choices_are_joined_with_commas() -> None:
    choice = Field(id="who", kind="choice", label="Who", multiple=True, choices=[("A", "a"), ("B", "b")])

    assert choice.accept("B, a") == "b,a"
    assert choice.shown() == ""


def test_a_toggle_takes_yes_or_no() -> None:
    toggle = Field(id="held", kind="toggle", label="Held", value_on="held", value_off="not")

    assert (toggle.accept("yes"), toggle.accept("No")) == ("held", "not")
    with pytest.raises(ValueError, match=r"Answer yes or no\."):
        toggle.accept("maybe")


# -- buttons -----------------------------------------------------------------------------------------------


def test_buttons_are_numbered_in_the_order_they_appear_ActionSets_first() -> None:
    body = [{"type": "ActionSet", "actions": [execute("Agenda", "meeting.agenda")]}]
    actions = [
        execute("Submit return", "return.submit", {"contract_id": 1}, style="positive"),
        {"type": "Action.OpenUrl", "title": "Guidance", "url": "https://example.org/g"},
        {"type": "Action.ShowCard", "title": "More", "card": card([text("hidden")])},
    ]

    view = render_card(card(body, actions), width=80)

    assert view.text().splitlines() == ["[1] Agenda", "", "[2] Submit return   [3] Guidance ↗   [4] More ▾"]
    assert [(b.number, b.title, b.kind, b.verb) for b in view.buttons] == [
        (1, "Agenda", "Action.Execute", "meeting.agenda"),
        (2, "Submit return", "Action.Execute", "return.submit"),
        (3, "Guidance", "Action.OpenUrl", None),
        (4, "More", "Action.ShowCard", None),
    ]
    assert view.buttons[1].data == {"verb": "return.submit", "contract_id": 1}
    assert styles_of(card(body, actions), "Submit") == {"bold", "good"}


def test_a_button_that_takes_no_inputs_says_so() -> None:
    none = {**execute("Cancel", "meeting.cancel"), "associatedInputs": "none"}

    [cancel] = render_card(card([], [none])).buttons

    assert cancel.sends_inputs is False


def test_a_long_menu_wraps_whole_buttons() -> None:
    actions = [execute(f"Contract number {n}", "return.open") for n in range(1, 4)]

    assert shown(card([], actions), width=48) == [
        "",
        "[1] Contract number 1   [2] Contract number 2",
        "[3] Contract number 3",
    ]
