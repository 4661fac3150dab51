"""View return: an amended return's version history, any earlier version, and what each amendment changed."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import MonthlyReturn
from tests.conftest import Harness
from tests.teams import card_actions, card_texts
from tests.test_monthly_return_list import submit


async def amended_october(harness: Harness) -> int:
    """October's return for CRS-ACC at version 2 (Referrals received 70 → 72, 45 minutes later); its id."""
    await submit(harness, "2026-10")
    harness.clock.advance(minutes=45)
    await submit(
        harness, "2026-10", pi_AC1="72", based_on_version="1", narrative="Referrals corrected upwards."
    )
    async with harness.steward.database.session() as session:
        return (await session.execute(select(MonthlyReturn.id))).scalar_one()


async def test_view_return_shows_the_version_history_newest_first(harness: Harness) -> None:
    return_id = await amended_october(harness)
    lewis = harness.user("lewis")

    await lewis.press("return.view", {"return_id": return_id})

    texts = card_texts(lewis.card)
    at = texts.index("Version history")
    assert texts[at + 1 : at + 3] == [
        "Version 2: received 10:45 on 3 Nov 2026 by Lewis Grant (current)",
        "Version 1: received 10:00 on 3 Nov 2026 by Lewis Grant",
    ]
    assert "Version 1" in card_actions(lewis.card)


async def test_the_current_version_shows_what_it_changed_from_the_one_before(harness: Harness) -> None:
    return_id = await amended_october(harness)
    lewis = harness.user("lewis")

    await lewis.press("return.view", {"return_id": return_id})

    texts = card_texts(lewis.card)
    assert texts[0] == "Amended return: October 2026"
    at = texts.index("What changed from version 1")
    assert texts[at + 1 : at + 3] == ["• Referrals received: 70 → 72", "• The narrative was rewritten."]


async def test_an_earlier_version_opens_with_its_own_values_and_says_it_is_not_current(
    harness: Harness,
) -> None:
    return_id = await amended_october(harness)
    samir = harness.user("samir")
    await samir.press("return.view", {"return_id": return_id})

    await samir.press("return.view", card_actions(samir.card)["Version 1"]["data"])

    texts = card_texts(samir.card)
    assert texts[0] == "Monthly return: October 2026"
    assert "Version: 1" in texts
    assert "Received: 10:00 on Tuesday 03 November 2026" in texts
    assert "You are viewing version 1; the current version is 2." in texts
    assert "70" in texts and "72" not in texts
    assert "A settled month for referrals and starts." in texts
    assert "Version 2" in card_actions(samir.card)


async def test_a_return_never_amended_has_no_version_history(harness: Harness) -> None:
    await submit(harness, "2026-10")
    async with harness.steward.database.session() as session:
        return_id = (await session.execute(select(MonthlyReturn.id))).scalar_one()
    lewis = harness.user("lewis")

    await lewis.press("return.view", {"return_id": return_id})

    assert "Version history" not in card_texts(lewis.card)
