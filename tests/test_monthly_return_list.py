"""Returns month by month: a provider's "my returns" and month choice, a commissioner's list of a contract's returns."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Contract
from tests.conftest import Harness
from tests.teams import card_actions, card_texts

CRS_GOOD = {
    "pi_AC1": "70",
    "pi_AC2": "50",
    "pi_AC3": "12",
    "pi_AC4": "16",
    "pi_AC5": "22",
    "pi_AC6": "65",
    "pi_AC7": "95",
    "narrative": "A settled month for referrals and starts.",
}


async def crs_id(harness: Harness) -> int:
    async with harness.steward.database.session() as session:
        return (await session.execute(select(Contract.id).where(Contract.key == "CRS-ACC"))).scalar_one()


async def submit(harness: Harness, month: str, **changes: str) -> None:
    data = {"contract_id": await crs_id(harness), "month": month, **CRS_GOOD, **changes}
    await harness.user("lewis").press("return.submit", data)


async def test_the_form_names_the_other_months_that_are_due_or_overdue(harness: Harness) -> None:
    lewis = harness.user("lewis")

    await lewis.say("submit return")

    [form] = harness.connector.sent(lewis.conversation_id)
    texts = card_texts(form.card)
    assert texts[0] == "Monthly return: October 2026"
    assert (
        "Also open: September 2026 (overdue: due 14 Oct 2026); August 2026 (overdue: due 14 Sep 2026)."
        in texts
    )
    assert "Another month" in card_actions(form.card)


async def test_another_month_offers_the_months_due_or_overdue_and_any_draft(harness: Harness) -> None:
    lewis = harness.user("lewis")
    contract_id = await crs_id(harness)
    await lewis.press("return.save", {"contract_id": contract_id, "month": "2026-03", "pi_AC1": "58"})

    await lewis.press("return.months", {"contract_id": contract_id})

    assert card_texts(lewis.card)[0] == "Which month is this return for?"
    assert list(card_actions(lewis.card)) == [
        "October 2026 (due by 13 Nov 2026)",
        "September 2026 (overdue: due 14 Oct 2026)",
        "August 2026 (overdue: due 14 Sep 2026)",
        "March 2026 (overdue: due 16 Apr 2026, draft saved)",
        "All returns",
    ]


async def test_a_month_from_the_choice_opens_that_months_form(harness: Harness) -> None:
    lewis = harness.user("lewis")
    await lewis.press("return.months", {"contract_id": await crs_id(harness)})

    await lewis.press(
        "return.open", card_actions(lewis.card)["September 2026 (overdue: due 14 Oct 2026)"]["data"]
    )

    assert card_texts(lewis.card)[0] == "Monthly return: September 2026"


async def test_my_returns_shows_each_months_status_received_time_and_version(harness: Harness) -> None:
    lewis = harness.user("lewis")
    await submit(harness, "2026-10")
    await submit(harness, "2026-09")
    harness.clock.advance(minutes=45)
    await submit(harness, "2026-10", pi_AC1="72", based_on_version="1")

    await lewis.say("my returns")

    [listing] = harness.connector.sent(lewis.conversation_id)
    texts = card_texts(listing.card)
    assert texts[:6] == [
        "Monthly returns",
        "Commissioned rehabilitative service - accommodation",
        "Received: 2 (1 late)",
        "Amended: 1",
        "Missing: 15",
        "Due: 0",
    ]
    assert texts[6:12] == [
        "October 2026: received",
        "Received 10:00 on 3 Nov 2026 · version 2 (amended)",
        "September 2026: received late",
        "Received 10:00 on 3 Nov 2026 · version 1 · was due 14 Oct 2026",
        "August 2026: missing",
        "Was due 14 Sep 2026 · not received",
    ]
    assert list(card_actions(listing.card))[:3] == [
        "View October 2026",
        "View September 2026",
        "Submit August 2026",
    ]


async def test_a_long_list_is_paged_twelve_months_at_a_time(harness: Harness) -> None:
    lewis = harness.user("lewis")
    await lewis.press("return.list")
    assert "Page 1 of 2." in card_texts(lewis.card)

    await lewis.press("return.list", card_actions(lewis.card)["Earlier months"]["data"])

    texts = card_texts(lewis.card)
    assert [line for line in texts if line.endswith(": missing")] == [
        "October 2025: missing",
        "September 2025: missing",
        "August 2025: missing",
        "July 2025: missing",
        "June 2025: missing",
    ]
    assert "Page 2 of 2." in texts
    assert "Later months" in card_actions(lewis.card)


async def test_a_provider_on_two_contracts_picks_whose_returns(harness: Harness) -> None:
    priya = harness.user("priya")

    await priya.press("return.list")

    assert card_texts(priya.card) == ["Which contract's returns?"]
    assert list(card_actions(priya.card)) == [
        "First contact assessment and referral service",
        "Integrated Victims and Witnesses Service",
    ]


async def test_a_commissioner_lists_a_contracts_returns_received_late_missing_and_amended(
    harness: Harness,
) -> None:
    await submit(harness, "2026-09")
    await submit(harness, "2026-09", pi_AC1="75", based_on_version="1")
    await harness.user("lewis").press(
        "return.save", {"contract_id": await crs_id(harness), "month": "2026-08", "pi_AC1": "58"}
    )
    samir = harness.user("samir")

    await samir.say("returns")

    [listing] = harness.connector.sent(samir.conversation_id)
    texts = card_texts(listing.card)
    assert texts[2:6] == ["Received: 1 (1 late)", "Amended: 1", "Missing: 15", "Due: 1"]
    assert texts[6:12] == [
        "October 2026: due",
        "Due by 13 Nov 2026 · not received",
        "September 2026: received late",
        "Received 10:00 on 3 Nov 2026 · version 2 (amended) · was due 14 Oct 2026",
        "August 2026: missing",
        "Was due 14 Sep 2026 · not received",  # the provider's draft is theirs: not shown
    ]
    assert list(card_actions(listing.card)) == ["View September 2026", "Earlier months"]


async def test_another_providers_returns_are_refused(harness: Harness) -> None:
    priya = harness.user("priya")

    await priya.press("return.list", {"contract_id": await crs_id(harness)})

    assert card_texts(priya.card)[:2] == [
        "That isn't available to you",
        "You don't have a role on that contract that allows this.",
    ]


async def test_once_last_months_return_is_in_submit_return_still_offers_another_month(
    harness: Harness,
) -> None:
    lewis = harness.user("lewis")
    await submit(harness, "2026-10")
    await lewis.press("return.start")
    assert card_texts(lewis.card)[0] == "October 2026 return already submitted"

    await lewis.press("return.months", card_actions(lewis.card)["Another month"]["data"])

    assert list(card_actions(lewis.card)) == [
        "September 2026 (overdue: due 14 Oct 2026)",
        "August 2026 (overdue: due 14 Sep 2026)",
        "All returns",
    ]
