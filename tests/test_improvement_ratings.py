"""The provider answers a red or amber rating on a return; the commissioner rules on a challenge; the agenda shows both."""

from __future__ import annotations

from sqlalchemy import select

from storage.improvement_models import RatingResponse
from storage.models import Notification
from tests.conftest import Harness
from tests.meeting_steps import IVWS_GOOD, IVWS_SHORT, count, meeting_id, only, schedule, submit_return
from tests.teams import TeamsUser, card_actions, card_inputs, card_texts

CHALLENGE = {
    "code": "PI4",
    "kind": "challenge",
    "text": "Forty high-risk referrals arrived on 31 October and were supported on 1 November.",
}


async def answer_form(harness: Harness, month: str = "2026-10") -> tuple[TeamsUser, int]:
    """Priya submits the month with PI2 amber and PI4 red, views it, and opens "Answer a rating"."""
    return_id = await submit_return(harness, month, IVWS_SHORT)
    priya = harness.user("priya")
    await priya.press("return.view", {"return_id": return_id})
    await priya.press("improve.rating_open", card_actions(priya.card)["Answer a rating"]["data"])
    return priya, return_id


async def sent_cards(harness: Harness, kind: str) -> dict[int, dict[str, object]]:
    async with harness.steward.database.session() as session:
        rows = (await session.execute(select(Notification).where(Notification.kind == kind))).scalars()
        return {n.recipient_id: n.payload["card"] for n in rows}


async def test_the_provider_is_offered_an_answer_only_when_a_rating_is_red_or_amber(harness: Harness) -> None:
    good = await submit_return(harness, "2026-09", IVWS_GOOD)
    priya, daniel = harness.user("priya"), harness.user("daniel")

    await priya.press("return.view", {"return_id": good})
    assert "Answer a rating" not in card_actions(priya.card)
    short = await submit_return(harness, "2026-10", IVWS_SHORT)
    await priya.press("return.view", {"return_id": short})
    assert "Answer a rating" in card_actions(priya.card)
    await daniel.press("return.view", {"return_id": short})
    assert "Answer a rating" not in card_actions(daniel.card)  # the provider's, not the commissioner's


async def test_the_form_offers_the_red_and_amber_ratings_and_keeps_what_was_typed_when_incomplete(
    harness: Harness,
) -> None:
    priya, return_id = await answer_form(harness)
    assert card_texts(priya.card)[0] == "Answer a rating: October 2026"
    choices = [c["title"] for c in card_inputs(priya.card)["code"]["choices"]]
    assert choices == [
        "Victims contacted within two working days: 87% (Amber)",
        "High-risk victims supported: 120 (Red)",
    ]

    await priya.press(
        "improve.rating_send", {"return_id": return_id, "code": "PI4", "kind": "", "text": "Late"}
    )

    texts = card_texts(priya.card)
    assert "Choose whether this explains the rating or challenges it." in texts
    assert "Say what the commissioner should know, in a sentence or two." in texts
    assert await count(harness, RatingResponse) == 0


async def test_a_challenge_goes_to_the_commissioner_who_rules_on_it_with_a_reason(harness: Harness) -> None:
    priya, return_id = await answer_form(harness)

    await priya.press("improve.rating_send", {"return_id": return_id, **CHALLENGE})
    assert (
        "Sent to the commissioner, who must rule on it. It goes on the next meeting's agenda."
        in card_texts(priya.card)
    )
    cards = await sent_cards(harness, "rating.challenge")
    assert len(cards) == 2  # Daniel and Hannah, the return's reviewers
    daniel = harness.user("daniel")
    card = next(iter(cards.values()))
    assert card_texts(card)[0] == "The provider challenges a rating: High-risk victims supported"  # type: ignore[arg-type]
    assert {"Uphold the challenge", "Reject the challenge"} <= set(card_actions(card))  # type: ignore[arg-type]

    await daniel.press("improve.rating_rule", {"response_id": 1, "ruling": "rejected", "reason": ""})
    assert "Say why, for the provider and the minutes." in card_texts(daniel.card)
    assert (await only(harness, RatingResponse)).ruling == ""
    await daniel.press(
        "improve.rating_rule",
        {
            "response_id": 1,
            "ruling": "rejected",
            "reason": "The month closes on the 31st; count them in November.",
        },
    )

    texts = card_texts(daniel.card)
    assert "Ruling: Challenge rejected" in texts
    assert "Reason: The month closes on the 31st; count them in November." in texts
    assert list(await sent_cards(harness, "rating.rejected")) == [(await only(harness, RatingResponse)).by_id]


async def test_the_provider_cannot_rule_on_its_own_challenge(harness: Harness) -> None:
    priya, return_id = await answer_form(harness)
    await priya.press("improve.rating_send", {"return_id": return_id, **CHALLENGE})

    await priya.press("improve.rating_rule", {"response_id": 1, "ruling": "upheld", "reason": "Forged"})

    assert card_texts(priya.card)[0] == "That isn't available to you"
    assert (await only(harness, RatingResponse)).ruling == ""


async def test_the_next_meetings_agenda_shows_the_explanation_and_the_challenge_awaiting_a_ruling(
    harness: Harness,
) -> None:
    priya, return_id = await answer_form(harness)
    await priya.press("improve.rating_send", {"return_id": return_id, **CHALLENGE})
    explanation = {
        "code": "PI2",
        "kind": "explanation",
        "text": "Two caseworkers were off sick for a fortnight.",
    }
    await priya.press("improve.rating_send", {"return_id": return_id, **explanation})
    daniel = await schedule(harness, return_id)

    await daniel.press("meeting.agenda", {"meeting_id": await meeting_id(harness)})

    texts = card_texts(daniel.card)
    assert (
        "⚠ Challenged, awaiting the commissioner's ruling: High-risk victims supported rated red: "
        "Forty high-risk referrals arrived on 31 October and were supported on 1 November."
    ) in texts
    assert (
        "• Explained by the provider: Victims contacted within two working days rated amber: "
        "Two caseworkers were off sick for a fortnight."
    ) in texts
