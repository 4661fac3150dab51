"""Approving the outcome payment: the evidence checklist that must be complete, and the amount checked."""

from __future__ import annotations

from commissioning.quarter.approval import (
    EvidenceCheck,
    EvidenceState,
    check_sign_off,
    checklist_gaps,
    decide_amount,
    parse_pounds,
)

POT = 10_000_000  # £100,000.00
COMPLETE = EvidenceCheck(EvidenceState.COMPLETE)


def test_every_kpi_without_a_check_is_a_gap_in_the_checklist_in_order() -> None:
    checks = {"SAT": COMPLETE}

    assert checklist_gaps(["REF", "SAT", "VCOP"], checks) == ["REF", "VCOP"]


def test_a_gap_signed_off_with_a_reason_closes_the_checklist() -> None:
    checks = {"REF": COMPLETE, "VCOP": EvidenceCheck(EvidenceState.GAP, "Audit sample arrives in May")}

    assert checklist_gaps(["REF", "VCOP"], checks) == []


def test_a_gap_needs_a_reason_of_ten_characters_and_complete_needs_none() -> None:
    assert check_sign_off("gap", "too short") == (
        None,
        "Give a reason of at least 10 characters: why the gap is accepted.",
    )
    assert check_sign_off("gap", "  Survey late, accepted  ") == (
        EvidenceCheck(EvidenceState.GAP, "Survey late, accepted"),
        None,
    )
    assert check_sign_off("complete", "") == (COMPLETE, None)
    assert check_sign_off("", "") == (None, None)
    assert check_sign_off("maybe", "") == (None, "Choose complete, or a gap signed off with a reason.")


def test_pounds_are_read_as_pence_with_or_without_the_sign_commas_and_pennies() -> None:
    assert parse_pounds("£85,000") == 8_500_000
    assert parse_pounds("62500.5") == 6_250_050
    assert parse_pounds("0") == 0
    assert parse_pounds("85,00") is None
    assert parse_pounds("-5") is None
    assert parse_pounds("lots") is None


def test_approving_as_computed_records_the_computed_amount_without_a_reason() -> None:
    decided = decide_amount(8_500_000, POT, adjusted=False, amount="", reason="")

    assert (decided.amount_pence, decided.reason, decided.errors) == (8_500_000, "", {})


def test_a_payment_steward_could_not_work_out_can_only_be_approved_as_an_adjusted_amount() -> None:
    decided = decide_amount(None, POT, adjusted=False, amount="", reason="")

    assert decided.amount_pence is None
    assert decided.errors == {
        "_form": "Steward could not work out this quarter's payment: approve an adjusted amount with a reason."
    }


def test_an_adjusted_amount_needs_an_amount_up_to_the_pot_and_a_reason() -> None:
    assert decide_amount(8_500_000, POT, adjusted=True, amount="100,000.01", reason="short").errors == {
        "amount": "The payment cannot be more than the quarter's pot, £100000.00.",
        "reason": "Give a reason of at least 10 characters: why the payment differs from the computed one.",
    }
    assert decide_amount(None, POT, adjusted=True, amount="", reason="").errors["amount"] == (
        "Enter the amount to approve, in pounds."
    )
    decided = decide_amount(8_500_000, POT, adjusted=True, amount="£80,000", reason="VCOP evidence partial")
    assert (decided.amount_pence, decided.reason, decided.errors) == (8_000_000, "VCOP evidence partial", {})
