"""Indicator values are parsed and checked on the server, and rated against the minimum service requirement."""

from __future__ import annotations

import pytest

from commissioning.indicators import (
    Comparison,
    IndicatorKind,
    IndicatorSpec,
    Rag,
    ValueError_,
    changed_values,
    format_value,
    parse_value,
    rag,
    validate_values,
)

REFERRALS = IndicatorSpec(
    "PI1", "Referrals received", IndicatorKind.COUNT, unit="referrals", requirement=2500, amber_margin=250
)
CONTACTED = IndicatorSpec(
    "PI2", "Contacted within two working days", IndicatorKind.PERCENTAGE, requirement=90, amber_margin=5
)
ATTRITION = IndicatorSpec(
    "FC3",
    "Attrition",
    IndicatorKind.PERCENTAGE,
    requirement=40,
    comparison=Comparison.AT_MOST,
    amber_margin=5,
)
HOURS = IndicatorSpec(
    "AC3",
    "Hours per case",
    IndicatorKind.WHOLE_NUMBER,
    unit="hours",
    minimum=0,
    maximum=200,
    requirement=10,
    amber_margin=2,
)
SAFEGUARDING = IndicatorSpec("PI7", "Safeguarding escalated", IndicatorKind.YES_NO, requirement=1)


@pytest.mark.parametrize(
    ("spec", "raw", "value"),
    [
        (REFERRALS, "2710", 2710.0),
        (REFERRALS, "2,710", 2710.0),
        (REFERRALS, 2710, 2710.0),
        (CONTACTED, "93.5", 93.5),
        (CONTACTED, "93.5%", 93.5),
        (CONTACTED, 100, 100.0),
        (HOURS, " 12 ", 12.0),
        (SAFEGUARDING, "yes", 1.0),
        (SAFEGUARDING, "No", 0.0),
        (SAFEGUARDING, True, 1.0),
        (SAFEGUARDING, "false", 0.0),
    ],
)
def test_acceptable_values_are_parsed(spec: IndicatorSpec, raw: object, value: float) -> None:
    assert parse_value(spec, raw) == value


@pytest.mark.parametrize(
    ("spec", "raw", "message"),
    [
        (REFERRALS, "", "Enter a value."),
        (REFERRALS, None, "Enter a value."),
        (REFERRALS, "lots", "Enter a number, for example 42."),
        (REFERRALS, "-3", "Enter a value from 0 or more."),
        (REFERRALS, "12.5", "Enter a whole number."),
        (REFERRALS, "1e400", "Enter a number, for example 42."),
        (REFERRALS, 1e15, "That number is too large."),
        (REFERRALS, float("nan"), "That number is too large."),
        (CONTACTED, "135", "Enter a value from 0% to 100%."),
        (CONTACTED, "ninety", "Enter a number, for example 42 or 87.5."),
        (HOURS, "201", "Enter a value from 0 hours to 200 hours."),
        (SAFEGUARDING, "maybe", "Answer yes or no."),
    ],
)
def test_unacceptable_values_get_a_message_for_beside_the_field(
    spec: IndicatorSpec, raw: object, message: str
) -> None:
    with pytest.raises(ValueError_) as error:
        parse_value(spec, raw)
    assert error.value.message == message


def test_a_draft_may_leave_values_empty_but_what_is_given_must_be_valid() -> None:
    values, errors = validate_values([REFERRALS, CONTACTED], {"PI1": "", "PI2": "120"}, require_all=False)

    assert values == {}
    assert errors == {"PI2": "Enter a value from 0% to 100%."}


def test_a_submission_needs_every_value() -> None:
    values, errors = validate_values([REFERRALS, CONTACTED], {"PI1": "2600"}, require_all=True)

    assert values == {"PI1": 2600.0}
    assert errors == {"PI2": "Enter a value."}


@pytest.mark.parametrize(
    ("spec", "value", "rating"),
    [
        (REFERRALS, 2500, Rag.GREEN),
        (REFERRALS, 2250, Rag.AMBER),
        (REFERRALS, 2249, Rag.RED),
        (CONTACTED, 85, Rag.AMBER),
        (CONTACTED, 84.9, Rag.RED),
        (ATTRITION, 40, Rag.GREEN),
        (ATTRITION, 45, Rag.AMBER),
        (ATTRITION, 45.5, Rag.RED),
        (SAFEGUARDING, 1, Rag.GREEN),
        (SAFEGUARDING, 0, Rag.RED),
        (REFERRALS, None, None),
        (IndicatorSpec("X", "No minimum", IndicatorKind.COUNT), 5, None),
    ],
)
def test_rating_against_the_minimum_service_requirement(
    spec: IndicatorSpec, value: float | None, rating: Rag | None
) -> None:
    assert rag(spec, value) == rating


@pytest.mark.parametrize(
    ("spec", "value", "shown"),
    [
        (REFERRALS, 2710, "2,710"),
        (CONTACTED, 93.5, "93.5%"),
        (HOURS, 12, "12 hours"),
        (SAFEGUARDING, 1, "Yes"),
        (SAFEGUARDING, 0, "No"),
        (REFERRALS, None, "not given"),
    ],
)
def test_values_are_shown_as_people_read_them(spec: IndicatorSpec, value: float | None, shown: str) -> None:
    assert format_value(spec, value) == shown


def test_requirements_are_described_in_words() -> None:
    assert REFERRALS.describe_requirement() == "at least 2,500"
    assert ATTRITION.describe_requirement() == "at most 40%"
    assert SAFEGUARDING.describe_requirement() == "must be yes"
    assert HOURS.describe_limits() == "0 hours to 200 hours"


def test_a_ceiling_is_worded_as_a_maximum_and_a_floor_as_a_minimum() -> None:
    assert ATTRITION.requirement_caption() == "Maximum: 40%"
    assert ATTRITION.requirement_sentence() == "Service requirement: at most 40% (lower is better)"
    assert CONTACTED.requirement_caption() == "Minimum: at least 90%"
    assert CONTACTED.requirement_sentence() == "Minimum service requirement: at least 90%"
    assert SAFEGUARDING.requirement_caption() == "Minimum: must be yes"


def test_changed_values_lists_only_what_differs() -> None:
    changes = changed_values({"PI1": 2710, "PI2": 93.5}, {"PI1": 2710, "PI2": 88, "PI3": 80})

    assert [(c.code, c.before, c.after) for c in changes] == [("PI2", 93.5, 88), ("PI3", None, 80)]
