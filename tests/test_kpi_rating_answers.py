"""The provider answers a red or amber KPI on the KPI card; the commissioner rules on a challenge; the
quarterly meeting's agenda shows it until ruled on. IVWS Q2 2026/27: COPE 72 misses its all-or-nothing
target of 75 (0% achieved, red); every other KPI meets its target (green)."""

from __future__ import annotations

from sqlalchemy import select

from storage.improvement_models import RatingResponse
from storage.models import AuditEvent
from tests.conftest import Harness
from tests.meeting_steps import contract_id, count, meeting_id, only
from tests.teams import card_actions, card_inputs, card_texts, elements
from tests.test_kpi_return_journey import Q2
from tests.test_quarter_card_journey import open_card
from tests.test_quarter_meeting import quarter_with_meeting

CHALLENGE = {
    "code": "COPE",
    "kind": "challenge",
    "text": "The exit survey missed 40 service users who left in the last week of September.",
}


async def test_the_provider_sees_answer_this_rating_beside_the_red_kpi_only(harness: Harness) -> None:
    await quarter_with_meeting(harness)

    priya = await open_card(harness, "priya")

    texts = card_texts(priya.card)
    assert texts[0] == "KPI card: Q2 2026/27"
    answers = [
        action
        for element in elements(priya.card)
        if element["type"] == "ActionSet"
        for action in element["actions"]
        if action["title"] == "Answer this rating"
    ]
    assert [a["data"] for a in answers] == [
        {"verb": "improve.kpi_rating_open", "contract_id": await contract_id(harness), "quarter": Q2,
         "code": "COPE"}
    ]  # fmt: skip
    assert "Save evidence checklist" not in card_actions(priya.card)  # the commissioning team's
    daniel = await open_card(harness, "daniel")
    assert "Answer this rating" not in card_actions(daniel.card)


async def test_a_challenge_to_a_kpi_is_ruled_on_by_the_commissioner_and_is_on_the_quarterly_agenda(
    harness: Harness,
) -> None:
    meeting = await quarter_with_meeting(harness)
    priya = harness.user("priya")
    ref = {"contract_id": await contract_id(harness), "quarter": Q2}

    await priya.press("improve.kpi_rating_open", {**ref, "code": "COPE"})
    assert card_texts(priya.card)[0] == "Answer a rating: Q2 2026/27"
    choices = [c["title"] for c in card_inputs(priya.card)["code"]["choices"]]
    assert choices == ["Victims reporting improved ability to cope and recover: 72, 0% achieved (Red)"]
    assert card_inputs(priya.card)["code"]["value"] == "COPE"
    await priya.press("improve.kpi_rating_send", {**ref, **CHALLENGE, "text": "Late"})
    assert "Say what the commissioner should know, in a sentence or two." in card_texts(priya.card)
    assert card_inputs(priya.card)["text"]["value"] == "Late"
    assert await count(harness, RatingResponse) == 0
    await priya.press("improve.kpi_rating_send", {**ref, **CHALLENGE})

    texts = card_texts(priya.card)
    assert "Sent to the commissioner, who must rule on it. It goes on the next meeting's agenda." in texts
    assert "KPI card: Q2 2026/27" in texts
    assert "KPI: Victims reporting improved ability to cope and recover (COPE), rated Red" in texts
    stored = await only(harness, RatingResponse)
    assert (stored.quarter, stored.return_id, stored.code, stored.version) == (Q2, None, "COPE", 1)

    daniel = harness.user("daniel")
    await daniel.press("meeting.agenda", {"meeting_id": meeting})
    challenged = (
        "⚠ Challenged, awaiting the commissioner's ruling: KPI Victims reporting improved ability to cope "
        "and recover rated red: The exit survey missed 40 service users who left in the last week of September."
    )
    assert challenged in card_texts(daniel.card)

    await daniel.press(
        "improve.rating_rule",
        {"response_id": stored.id, "ruling": "upheld", "reason": "Agreed: rerun the survey for those 40."},
    )
    texts = card_texts(daniel.card)
    assert "Ruling: Challenge upheld" in texts
    assert "Open the KPI card" in card_actions(daniel.card)
    await daniel.press("meeting.agenda", {"meeting_id": meeting})
    assert (
        "• Challenged, upheld: KPI Victims reporting improved ability to cope and recover rated red: The exit "
        "survey missed 40 service users who left in the last week of September. (reason: Agreed: rerun the "
        "survey for those 40.)"
    ) in card_texts(daniel.card)


async def test_a_commissioner_cannot_file_an_answer_as_the_provider(harness: Harness) -> None:
    await quarter_with_meeting(harness)
    daniel = harness.user("daniel")
    ref = {"contract_id": await contract_id(harness), "quarter": Q2}

    await daniel.press("improve.kpi_rating_send", {**ref, **CHALLENGE})

    assert card_texts(daniel.card)[0] == "That isn't available to you"
    assert await count(harness, RatingResponse) == 0
    async with harness.steward.database.session() as session:
        refused = (
            (await session.execute(select(AuditEvent.after).where(AuditEvent.action == "refused")))
            .scalars()
            .all()
        )
    assert any("improve.kpi_rating_send" in str(after) for after in refused)


async def test_a_kpi_answer_is_for_the_quarterly_meeting_not_a_monthly_one(harness: Harness) -> None:
    await quarter_with_meeting(harness)
    priya = harness.user("priya")
    ref = {"contract_id": await contract_id(harness), "quarter": Q2}
    await priya.press("improve.kpi_rating_send", {**ref, **CHALLENGE, "kind": "explanation"})
    assert await count(harness, RatingResponse) == 1
    daniel = harness.user("daniel")
    monthly = await meeting_id(harness) - 1  # August's monthly meeting, scheduled before September's

    await daniel.press("meeting.agenda", {"meeting_id": monthly})

    assert not any("cope and recover rated red" in line for line in card_texts(daniel.card))
