"""Underperformance and improvement over HTTP: a PIP agreed at the quarterly meeting, a CIP item, change requests."""

from __future__ import annotations

from sqlalchemy import select

from storage.improvement_models import ChangeRecord, CipRecord, ImprovementEvent, PipRecord
from storage.models import Notification, Person
from tests.conftest import Harness
from tests.meeting_steps import (
    IVWS_SHORT,
    contract_id,
    count,
    meeting_id,
    only,
    person_id,
    schedule,
    submit_return,
)
from tests.teams import TeamsUser, card_actions, card_inputs, card_texts

GOOD_PLAN = {
    "code": "PI2",
    "level": "90",
    "by": "2027-01-31",
    "action_0_what": "Recruit two caseworkers for first contact",
    "action_0_due": "2026-12-15",
    "milestone_0_what": "Contact within two days back to 88%",
    "milestone_0_due": "2026-12-31",
}


async def told(harness: Harness, kind: str) -> list[str]:
    """Who was sent a notification of `kind`, by name."""
    async with harness.steward.database.session() as session:
        query = (
            select(Person.name)
            .join(Notification, Notification.recipient_id == Person.id)
            .where(Notification.kind == kind)
            .order_by(Person.name)
        )
        return list((await session.execute(query)).scalars())


async def quarterly_agenda(harness: Harness) -> tuple[TeamsUser, int]:
    """September's return (the last month of Q2) in with PI2 amber and PI4 red; the Q2 meeting's agenda."""
    daniel = await schedule(
        harness, await submit_return(harness, "2026-09", IVWS_SHORT), "2026-11-09", "10:00"
    )
    meeting = await meeting_id(harness)
    await daniel.press("meeting.agenda", {"meeting_id": meeting})
    return daniel, meeting


# -- performance improvement plans ----------------------------------------------------------------------------


async def test_the_quarterly_agenda_offers_a_plan_for_each_flagged_miss(harness: Harness) -> None:
    daniel, _ = await quarterly_agenda(harness)

    texts = card_texts(daniel.card)
    assert "Missed: agree a performance improvement plan" in texts
    assert "• Victims contacted within two working days (PI2)" in texts
    assert "• High-risk victims supported (PI4)" in texts
    assert {"Plan for PI2", "Plan for PI4"} <= set(card_actions(daniel.card))


async def test_a_plan_with_a_bad_level_comes_back_with_each_error_beside_its_field_and_nothing_saved(
    harness: Harness,
) -> None:
    daniel, meeting = await quarterly_agenda(harness)
    await daniel.press("improve.pip_open", card_actions(daniel.card)["Plan for PI2"]["data"])
    assert card_texts(daniel.card)[0] == "Agree a performance improvement plan"
    assert card_inputs(daniel.card)["code"]["value"] == "PI2"

    await daniel.press(
        "improve.pip_agree",
        {
            "contract_id": await contract_id(harness),
            "meeting_id": meeting,
            "code": "PI2",
            "level": "ninety",
            "by": "2026-10-01",
        },
    )

    texts = card_texts(daniel.card)
    assert texts[0] == "Agree a performance improvement plan"
    assert "Enter a number, for example 42 or 87.5." in texts
    assert "That date is not in the future. Choose a date after today." in texts
    assert "Add at least one action: what the provider will do to reach the level." in texts
    assert card_inputs(daniel.card)["level"]["value"] == "ninety"
    assert await count(harness, PipRecord) == 0


async def test_a_milestone_after_the_deadline_is_refused_beside_that_milestone(harness: Harness) -> None:
    daniel, _meeting = await quarterly_agenda(harness)

    await daniel.press(
        "improve.pip_agree",
        {
            **GOOD_PLAN,
            "contract_id": await contract_id(harness),
            "milestone_0_what": "",
            "milestone_0_due": "",
            "milestone_1_what": "Half way",
            "milestone_1_due": "2027-02-28",
        },
    )

    container = [e for e in daniel.card["body"] if e.get("type") == "Container"]
    shown = str(container)
    assert "This falls after the deadline, Sunday 31 January 2027. Choose a date by then." in shown
    assert card_inputs(daniel.card)["milestone_1_what"]["value"] == "Half way"
    assert await count(harness, PipRecord) == 0


async def test_the_meeting_agrees_a_plan_and_the_provider_is_sent_it(harness: Harness) -> None:
    daniel, meeting = await quarterly_agenda(harness)

    await daniel.press(
        "improve.pip_agree", {**GOOD_PLAN, "contract_id": await contract_id(harness), "meeting_id": meeting}
    )

    texts = card_texts(daniel.card)
    assert texts[:3] == [
        "Performance improvement plan 1",
        "Agreed: Victims contacted within two working days to reach at least 90% by Sunday 31 January 2027.",
        "Plan agreed. The provider is sent it, and its steps are chased like actions.",
    ]
    assert "1. Recruit two caseworkers for first contact (due 15 Dec 2026)" in texts
    plan = await only(harness, PipRecord)
    assert (plan.code, plan.level, plan.meeting_id, plan.status) == ("PI2", 90.0, meeting, "agreed")
    assert await told(harness, "pip.agreed") == ["Priya Shah", "Tom Whitaker"]
    await daniel.press("meeting.agenda", {"meeting_id": meeting})
    assert "Plan for PI2" not in card_actions(daniel.card)
    assert "Plan for PI4" in card_actions(daniel.card)


async def test_the_provider_marks_an_action_done_and_reports_the_plan_on_track(harness: Harness) -> None:
    daniel, _meeting = await quarterly_agenda(harness)
    await daniel.press("improve.pip_agree", {**GOOD_PLAN, "contract_id": await contract_id(harness)})
    tom = harness.user("tom")

    await tom.press("improve.pip_step", {"pip_id": 1, "part": "action", "number": 0})
    assert "1. Recruit two caseworkers for first contact (done 3 Nov 2026)" in card_texts(tom.card)
    await tom.press("improve.pip_on_track", {"pip_id": 1, "note": ""})
    assert "Say what has been done since the plan was agreed." in card_texts(tom.card)
    await tom.press("improve.pip_on_track", {"pip_id": 1, "note": "Both caseworkers started on Monday."})

    texts = card_texts(tom.card)
    assert texts[1].startswith("On track: Victims contacted within two working days")
    assert "Recorded as on track." in texts
    assert "Declare missed" not in card_actions(tom.card)  # the commissioner's, not the provider's
    async with harness.steward.database.session() as session:
        states = (
            await session.execute(select(ImprovementEvent.state).order_by(ImprovementEvent.id))
        ).scalars()
        assert list(states) == ["agreed", "action.0.done", "on_track"]


async def test_a_provider_cannot_declare_a_plan_missed(harness: Harness) -> None:
    daniel, _ = await quarterly_agenda(harness)
    await daniel.press("improve.pip_agree", {**GOOD_PLAN, "contract_id": await contract_id(harness)})

    tom = harness.user("tom")
    await tom.press("improve.pip_missed", {"pip_id": 1, "note": "Forged"})

    assert card_texts(tom.card)[0] == "That isn't available to you"
    assert (await only(harness, PipRecord)).status == "agreed"


async def test_pips_lists_the_open_plans_and_the_agenda_shows_them_with_their_steps(harness: Harness) -> None:
    daniel, meeting = await quarterly_agenda(harness)
    await daniel.press("improve.pip_agree", {**GOOD_PLAN, "contract_id": await contract_id(harness)})

    await daniel.say("pips")
    [listed] = harness.connector.sent(daniel.conversation_id)[-1:]
    assert "Victims contacted within two working days (PI2): Agreed" in card_texts(listed.card)

    await daniel.press("meeting.agenda", {"meeting_id": meeting})
    texts = card_texts(daniel.card)
    assert "• Performance improvement plans open: 1." in texts
    assert "•   – Recruit two caseworkers for first contact (due 15 Dec 2026)" in texts


# -- continuous improvement plan ------------------------------------------------------------------------------


async def test_an_item_is_added_to_the_cip_its_owner_told_and_the_quarterly_agenda_reviews_it(
    harness: Harness,
) -> None:
    daniel, meeting = await quarterly_agenda(harness)
    ivws = await contract_id(harness)
    await daniel.press("improve.cip", {"contract_id": ivws})
    assert "No item is on the plan yet." in card_texts(daniel.card)
    await daniel.press("improve.cip_new", {"contract_id": ivws})
    entries = {
        "contract_id": ivws,
        "what": "Name each victim's caseworker in the first letter",
        "deadline": "2027-02-26",
        "milestone_0_what": "New letter template agreed",
        "milestone_0_due": "2027-03-31",
        "feedback": "Three victims said they did not know who their caseworker was.",
    }

    await daniel.press("improve.cip_add", entries)
    texts = card_texts(daniel.card)
    assert "Choose who owns this improvement: someone on the contract." in texts
    assert "This falls after the deadline, Friday 26 February 2027. Choose a date by then." in texts
    assert await count(harness, CipRecord) == 0

    tom = await person_id(harness, "tom")
    await daniel.press("improve.cip_add", {**entries, "owner": str(tom), "milestone_0_due": "2026-12-18"})
    texts = card_texts(daniel.card)
    assert texts[:2] == ["Improvement item 1", "Name each victim's caseworker in the first letter"]
    assert "Prompted by: Three victims said they did not know who their caseworker was." in texts
    assert await told(harness, "cip.added") == ["Tom Whitaker"]

    await daniel.press("meeting.agenda", {"meeting_id": meeting})
    assert (
        "• Name each victim's caseworker in the first letter (Tom Whitaker, open, by 26 Feb 2027)"
        in card_texts(daniel.card)
    )


async def test_the_owner_records_progress_and_marks_the_item_done(harness: Harness) -> None:
    ivws, tom_id = await contract_id(harness), await person_id(harness, "tom")
    daniel = harness.user("daniel")
    await daniel.press(
        "improve.cip_add",
        {"contract_id": ivws, "what": "Evening drop-in", "owner": str(tom_id), "deadline": "2027-01-29"},
    )
    tom = harness.user("tom")

    await tom.press("improve.cip_progress", {"cip_id": 1, "note": "Two evenings piloted."})
    assert "Status: In progress" in card_texts(tom.card)
    await tom.press("improve.cip_done", {"cip_id": 1, "note": "Running every Tuesday."})

    assert "Status: Done (Tuesday 3 November 2026)" in card_texts(tom.card)
    assert (await only(harness, CipRecord)).status == "done"
    priya = harness.user("priya")  # not the owner, not the commissioner
    await priya.press("improve.cip_progress", {"cip_id": 1, "note": "x"})
    assert card_texts(priya.card)[0] == "That isn't available to you"


# -- change requests ------------------------------------------------------------------------------------------


async def change_status(harness: Harness) -> tuple[str, list[str]]:
    change = await only(harness, ChangeRecord)
    async with harness.steward.database.session() as session:
        query = (
            select(ImprovementEvent.state)
            .where(ImprovementEvent.subject == "change")
            .order_by(ImprovementEvent.id)
        )
        return change.status, list((await session.execute(query)).scalars())


async def test_an_informal_change_raised_by_the_provider_is_in_force_once_the_commissioner_agrees(
    harness: Harness,
) -> None:
    tom, ivws = harness.user("tom"), await contract_id(harness)
    await tom.press(
        "improve.change_raise",
        {
            "contract_id": ivws,
            "what": "One-to-one support in place of one group session a week",
            "areas": "interventions",
        },
    )
    assert "Tier: Informal: agreed between the provider and the contract team" in card_texts(tom.card)
    assert "Agree" not in card_actions(tom.card)  # the other side agrees
    assert await told(harness, "change.proposed") == ["Daniel Reyes", "Hannah Clarke"]

    daniel = harness.user("daniel")
    await daniel.press("improve.change_agree", {"change_id": 1})

    assert "Agreed: the change is in force." in card_texts(daniel.card)
    assert await change_status(harness) == ("agreed", ["proposed", "agreed"])
    assert await told(harness, "change.agreed") == ["Tom Whitaker"]


async def test_a_formal_change_waits_for_the_director_and_a_forged_approval_is_refused(
    harness: Harness,
) -> None:
    daniel, ivws = harness.user("daniel"), await contract_id(harness)
    await daniel.press("improve.change_raise", {"contract_id": ivws, "what": "", "areas": ""})
    assert "Say what would change and why." in card_texts(daniel.card)
    await daniel.press(
        "improve.change_raise",
        {
            "contract_id": ivws,
            "what": "Move £20,000 to a second caseworker",
            "areas": "budget,staffing",
            "effect": "£20,000",
        },
    )
    tom = harness.user("tom")
    await tom.press("improve.change_agree", {"change_id": 1})
    assert "Agreed. It is a formal change, so the director is asked to approve it." in card_texts(tom.card)
    assert await told(harness, "change.awaiting_approval") == ["Amara Okafor"]

    for forger in ("tom", "priya", "daniel"):
        person = harness.user(forger)
        await person.press("improve.change_approve", {"change_id": 1, "reason": "Forged"})
        assert card_texts(person.card)[0] == "That isn't available to you"
    assert await change_status(harness) == ("awaiting_approval", ["proposed", "awaiting_approval"])

    amara = harness.user("amara")
    await amara.press("improve.change_approve", {"change_id": 1})
    assert "Approved: the change is in force." in card_texts(amara.card)
    assert await change_status(harness) == ("approved", ["proposed", "awaiting_approval", "approved"])
    change = await only(harness, ChangeRecord)
    assert (change.agreed_by_id, change.decided_by_id) == (
        await person_id(harness, "tom"),
        await person_id(harness, "amara"),
    )


async def test_a_commissioner_is_told_why_they_cannot_approve(harness: Harness) -> None:
    daniel, ivws = harness.user("daniel"), await contract_id(harness)
    await daniel.press("improve.change_raise", {"contract_id": ivws, "what": "New terms", "areas": "terms"})
    await harness.user("tom").press("improve.change_agree", {"change_id": 1})

    await daniel.press("improve.change_approve", {"change_id": 1})

    assert (
        card_texts(daniel.card)[1] == "As commissioner you cannot approve a change request on this contract."
    )


async def test_open_change_requests_are_on_the_agenda(harness: Harness) -> None:
    daniel, meeting = await quarterly_agenda(harness)
    await daniel.press(
        "improve.change_raise",
        {"contract_id": await contract_id(harness), "what": "Move £20,000 to staffing", "areas": "budget"},
    )

    await daniel.press("meeting.agenda", {"meeting_id": meeting})

    assert "• Change request: Move £20,000 to staffing (formal, proposed)" in card_texts(daniel.card)


async def test_a_second_press_of_agree_does_not_make_a_second_plan(harness: Harness) -> None:
    daniel, _ = await quarterly_agenda(harness)
    entries = {**GOOD_PLAN, "contract_id": await contract_id(harness)}

    await daniel.press("improve.pip_agree", entries)
    await daniel.press("improve.pip_agree", entries)

    assert (
        "Victims contacted within two working days already has an open plan: update that one."
        in card_texts(daniel.card)
    )
    assert await count(harness, PipRecord) == 1
