"""The return form and the reviewers' card say what a user needs to read: the narrative rule, amendments, ceilings."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Contract
from tests.conftest import Harness
from tests.teams import card_texts
from tests.test_monthly_return_journey import IVWS_GOOD, ivws_id

FCAR_GOOD = {
    "pi_FC1": "3600",
    "pi_FC2": "27",
    "pi_FC3": "38",
    "pi_FC4": "6",
    "pi_FC5": "140",
    "narrative": "Referrals steady; attrition fell after the new call-back rota.",
}


async def fcar_id(harness: Harness) -> int:
    async with harness.steward.database.session() as session:
        return (await session.execute(select(Contract.id).where(Contract.key == "FCAR"))).scalar_one()


async def test_the_narrative_field_states_its_ten_character_minimum(harness: Harness) -> None:
    priya = harness.user("priya")

    await priya.press("return.open", {"contract_id": await ivws_id(harness), "month": "2026-10"})

    texts = card_texts(priya.card)
    assert "At least 10 characters: what went well, what didn't, and why." in texts


async def test_a_short_narrative_is_refused_saying_it_needs_at_least_ten_characters(harness: Harness) -> None:
    priya = harness.user("priya")
    contract = {"contract_id": await ivws_id(harness), "month": "2026-10"}

    await priya.press("return.submit", {**contract, **IVWS_GOOD, "narrative": "ok month"})

    texts = card_texts(priya.card)
    assert "Please correct 1 entry below. Nothing has been saved yet." in texts
    assert "Write at least 10 characters (it has 8)." in texts


async def test_an_empty_narrative_is_refused_saying_it_needs_at_least_ten_characters(
    harness: Harness,
) -> None:
    priya = harness.user("priya")
    contract = {"contract_id": await ivws_id(harness), "month": "2026-10"}

    await priya.press("return.submit", {**contract, **IVWS_GOOD, "narrative": ""})

    assert (
        "Add a short narrative of at least 10 characters: what went well, what didn't, and why."
        in card_texts(priya.card)
    )


async def test_the_amend_form_says_once_that_the_earlier_version_is_kept(harness: Harness) -> None:
    priya = harness.user("priya")
    contract = {"contract_id": await ivws_id(harness), "month": "2026-10"}
    await priya.press("return.submit", {**contract, **IVWS_GOOD})

    await priya.press("return.amend", contract)

    texts = card_texts(priya.card)
    assert [line for line in texts if "kept" in line] == [
        "Amending submitted version 1; the earlier version will be kept."
    ]


async def test_a_no_more_than_indicator_is_stated_as_a_ceiling_on_the_form(harness: Harness) -> None:
    priya = harness.user("priya")

    await priya.press("return.open", {"contract_id": await fcar_id(harness), "month": "2026-10"})

    texts = card_texts(priya.card)
    assert "0% to 100%. Service requirement: at most 40% (lower is better)." in texts
    assert "0% to 100%. Minimum service requirement: at least 25%." in texts


async def test_a_no_more_than_indicator_reads_maximum_on_the_reviewers_card(harness: Harness) -> None:
    priya, leila = harness.user("priya"), harness.user("leila")
    await leila.install()
    await priya.press(
        "return.submit", {"contract_id": await fcar_id(harness), "month": "2026-10", **FCAR_GOOD}
    )
    await harness.settle()

    [review] = [c for c in harness.connector.sent(leila.conversation_id) if "Monthly return" in str(c.card)]
    texts = card_texts(review.card)
    assert "Maximum: 40%" in texts
    assert "Minimum: at least 25%" in texts
    assert not any(line.startswith("Minimum: at most") for line in texts)
