"""A provider submits a monthly return in Teams: the whole journey over HTTP, as the Bot Connector drives it."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import AuditEvent, MonthlyReturn, ReturnValue, ReturnVersion
from tests.conftest import Harness
from tests.teams import card_actions, card_inputs, card_texts

IVWS_GOOD = {
    "pi_PI1": "2710",
    "pi_PI2": "93.5",
    "pi_PI3": "88",
    "pi_PI4": "162",
    "pi_PI5": "431",
    "pi_PI6": "84",
    "pi_PI7": "yes",
    "narrative": "A steady month; contact times recovered after staffing.",
}


async def ivws_id(harness: Harness) -> int:
    from storage.models import Contract

    async with harness.steward.database.session() as session:
        return (await session.execute(select(Contract.id).where(Contract.key == "IVWS"))).scalar_one()


async def count(harness: Harness, model: type) -> int:
    async with harness.steward.database.session() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_install_greets_the_person_by_name_and_role(harness: Harness) -> None:
    priya = harness.user("priya")

    status, _ = await priya.install()

    assert status == 200
    [greeting] = harness.connector.sent(priya.conversation_id)
    texts = card_texts(greeting.card)
    assert texts[0] == "Good morning, Priya"
    assert "Integrated Victims and Witnesses Service: provider contact" in texts
    assert "Submit a monthly return" in card_actions(greeting.card)


async def test_unknown_person_is_told_who_can_give_access_and_sees_no_data(harness: Harness) -> None:
    stranger = harness.user("priya")
    stranger.aad_object_id, stranger.user_id, stranger.name = "0000-unknown", "29:stranger", "Sam Stranger"

    await stranger.say("submit return")

    [reply] = harness.connector.sent(stranger.conversation_id)
    texts = card_texts(reply.card)
    assert "Steward does not know you yet, so it cannot show you any contract information." in texts
    assert "Amara Okafor: amara.okafor@mopac.example" in texts
    assert not any("Integrated Victims" in line for line in texts)
    assert "actions" not in reply.card


async def test_provider_on_two_contracts_picks_one_and_the_period_defaults_to_last_month(
    harness: Harness,
) -> None:
    priya = harness.user("priya")

    await priya.press("return.start")

    assert card_texts(priya.card)[:2] == [
        "Which contract is this return for?",
        "The return will be for October 2026.",
    ]
    assert list(card_actions(priya.card)) == [
        "First contact assessment and referral service",
        "Integrated Victims and Witnesses Service",
    ]
    await priya.press(
        "return.open", card_actions(priya.card)["Integrated Victims and Witnesses Service"]["data"]
    )
    assert card_texts(priya.card)[0] == "Monthly return: October 2026"
    assert sorted(card_inputs(priya.card)) == sorted(IVWS_GOOD)


async def test_form_shows_each_indicators_type_unit_limits_and_minimum_requirement(harness: Harness) -> None:
    priya = harness.user("priya")
    await priya.press("return.open", {"contract_id": await ivws_id(harness), "month": "2026-10"})

    inputs = card_inputs(priya.card)
    texts = card_texts(priya.card)
    assert inputs["pi_PI1"]["type"] == "Input.Number"
    assert inputs["pi_PI1"]["label"] == "PI1  Referrals received (referrals)"
    assert inputs["pi_PI2"]["max"] == 100
    assert inputs["pi_PI7"]["type"] == "Input.ChoiceSet"
    assert "0 or more. Minimum service requirement: at least 2,500." in texts
    assert "0% to 100%. Minimum service requirement: at least 90%." in texts
    assert "Yes or no. Minimum service requirement: must be yes." in texts


async def test_a_bad_value_rerenders_the_same_card_with_entries_kept_and_the_error_beside_it(
    harness: Harness,
) -> None:
    priya = harness.user("priya")
    entries = {**IVWS_GOOD, "pi_PI2": "135", "pi_PI4": "lots"}

    await priya.press("return.submit", {"contract_id": await ivws_id(harness), "month": "2026-10", **entries})

    inputs = card_inputs(priya.card)
    texts = card_texts(priya.card)
    assert "Please correct 2 entries below. Nothing has been saved yet." in texts
    assert inputs["pi_PI2"]["value"] == 135
    assert inputs["pi_PI4"] == {
        "type": "Input.Text",
        "id": "pi_PI4",
        "label": "PI4  High-risk victims supported (victims)",
        "isMultiline": False,
        "value": "lots",
    }
    assert (
        texts[texts.index("0% to 100%. Minimum service requirement: at least 90%.") + 1]
        == "Enter a value from 0% to 100%."
    )
    assert "Enter a number, for example 42." in texts
    assert inputs["narrative"]["value"] == IVWS_GOOD["narrative"]
    assert await count(harness, ReturnVersion) == 0
    assert await count(harness, ReturnValue) == 0


async def test_draft_saved_resumed_then_submitted_sends_receipt_and_commissioner_card(
    harness: Harness,
) -> None:
    priya = harness.user("priya")
    await priya.install()
    contract = {"contract_id": await ivws_id(harness), "month": "2026-10"}

    await priya.press("return.save", {**contract, "pi_PI1": "2710", "narrative": "Half done"})
    assert "Draft saved at 10:00 on 03 November. You can come back to it any time." in card_texts(priya.card)

    await priya.press("return.open", contract)
    assert card_inputs(priya.card)["pi_PI1"]["value"] == 2710
    assert card_inputs(priya.card)["narrative"]["value"] == "Half done"

    harness.clock.advance(minutes=30)
    await priya.press("return.submit", {**contract, **IVWS_GOOD})
    await harness.settle()

    receipt = card_texts(priya.card)
    assert receipt[0] == "Return received: October 2026"
    assert "Received: 10:30 on Tuesday 03 November 2026" in receipt
    assert "Sent to: Daniel Reyes, Hannah Clarke" in receipt
    async with harness.steward.database.session() as session:
        monthly = (await session.execute(select(MonthlyReturn))).scalar_one()
    assert monthly.received_at == harness.clock.now()
    assert monthly.status == "submitted" and monthly.current_version == 1

    daniel = harness.user("daniel")
    notices = [c for c in harness.connector.sent() if c.conversation_id != priya.conversation_id]
    assert notices == []  # Daniel has not opened a chat yet: kept until he does
    await daniel.install()
    await harness.settle()
    [notice] = [c for c in harness.connector.sent(daniel.conversation_id) if "Monthly return" in str(c.card)]
    texts = card_texts(notice.card)
    assert texts[0] == "Monthly return: October 2026"
    assert "Submitted by: Priya Shah" in texts
    assert "● Green" in texts
    assert "A steady month; contact times recovered after staffing." in texts


async def test_amending_keeps_both_versions_and_tells_the_commissioner_what_changed(harness: Harness) -> None:
    priya, daniel = harness.user("priya"), harness.user("daniel")
    await daniel.install()
    contract = {"contract_id": await ivws_id(harness), "month": "2026-10"}
    await priya.press("return.submit", {**contract, **IVWS_GOOD})
    await harness.settle()

    await priya.press("return.amend", contract)
    assert card_inputs(priya.card)["pi_PI2"]["value"] == 93.5
    await priya.press("return.submit", {**contract, **IVWS_GOOD, "pi_PI2": "88", "based_on_version": 1})
    await harness.settle()

    assert card_texts(priya.card)[0] == "Amendment received: October 2026"
    assert await count(harness, ReturnVersion) == 2
    amended = [c for c in harness.connector.sent(daniel.conversation_id) if "Amended return" in str(c.card)]
    texts = card_texts(amended[0].card)
    assert "• Victims contacted within two working days: 93.5% → 88%" in texts
    assert "● Amber" in texts
    async with harness.steward.database.session() as session:
        first = (await session.execute(select(ReturnVersion).where(ReturnVersion.version == 1))).scalar_one()
        values = (
            await session.execute(select(ReturnValue.value).where(ReturnValue.version_id == first.id))
        ).all()
    assert (93.5,) in values


async def test_a_redelivered_submit_is_acted_on_once_and_answered_the_same(harness: Harness) -> None:
    priya, daniel = harness.user("priya"), harness.user("daniel")
    await daniel.install()
    data = {"contract_id": await ivws_id(harness), "month": "2026-10", **IVWS_GOOD}

    first = await priya.press("return.submit", data, activity_id="redelivered-1")
    again = await priya.press("return.submit", data, activity_id="redelivered-1")
    await harness.settle()

    assert again == first
    assert await count(harness, ReturnVersion) == 1
    assert (
        len([c for c in harness.connector.sent(daniel.conversation_id) if "Monthly return" in str(c.card)])
        == 1
    )


async def test_a_double_clicked_submit_stores_one_version_and_sends_one_notification(
    harness: Harness,
) -> None:
    priya, daniel = harness.user("priya"), harness.user("daniel")
    await daniel.install()
    data = {"contract_id": await ivws_id(harness), "month": "2026-10", **IVWS_GOOD}

    await priya.press("return.submit", data)
    await priya.press("return.submit", data)
    await harness.settle()

    assert card_texts(priya.card)[0] == "Return received: October 2026"
    assert await count(harness, ReturnVersion) == 1
    assert (
        len([c for c in harness.connector.sent(daniel.conversation_id) if "Monthly return" in str(c.card)])
        == 1
    )


async def test_a_restart_between_saving_a_draft_and_submitting_loses_nothing(harness: Harness) -> None:
    contract = {"contract_id": await ivws_id(harness), "month": "2026-10"}
    await harness.user("priya").press(
        "return.save", {**contract, "pi_PI1": "2710", "pi_PI7": "no", "narrative": "Half done"}
    )

    await harness.restart()
    priya = harness.user("priya")
    await priya.press("return.open", contract)

    assert card_inputs(priya.card)["pi_PI1"]["value"] == 2710
    assert card_inputs(priya.card)["pi_PI7"]["value"] == "no"
    await priya.press("return.submit", {**contract, **IVWS_GOOD})
    assert card_texts(priya.card)[0] == "Return received: October 2026"


async def test_a_person_known_only_by_email_is_matched_through_the_teams_member_lookup(
    harness: Harness,
) -> None:
    owen = harness.user("priya")
    owen.aad_object_id, owen.user_id, owen.name = None, "29:owen", "Owen Price"
    harness.connector.members["29:owen"] = {
        "id": "29:owen",
        "email": "Owen.Price@wm-opcc.example",
        "aadObjectId": "aad-owen",
    }

    await owen.install()

    [greeting] = harness.connector.sent(owen.conversation_id)
    assert card_texts(greeting.card)[0] == "Good morning, Owen"
    await owen.say("help")
    assert len([c for c in harness.connector.calls if c.method == "GET"]) == 1  # linked: no second lookup


async def test_a_forged_press_on_another_providers_contract_is_refused_changes_nothing_and_is_audited(
    harness: Harness,
) -> None:
    lewis = harness.user("lewis")

    await lewis.press(
        "return.submit", {"contract_id": await ivws_id(harness), "month": "2026-10", **IVWS_GOOD}
    )

    assert card_texts(lewis.card)[:2] == [
        "That isn't available to you",
        "You don't have a role on that contract that allows this.",
    ]
    assert await count(harness, MonthlyReturn) == 0
    async with harness.steward.database.session() as session:
        [event] = (await session.execute(select(AuditEvent).where(AuditEvent.action == "refused"))).scalars()
    assert event.entity_id == "return.submit"
    assert event.after["reason"] == f"submit_return:{await ivws_id(harness)}"


async def test_a_commissioner_cannot_submit_a_providers_return(harness: Harness) -> None:
    daniel = harness.user("daniel")

    await daniel.press("return.start")

    assert (
        card_texts(daniel.card)[1]
        == "Only a provider contact or head of service can submit a monthly return."
    )


async def test_a_return_for_a_month_not_yet_over_is_refused(harness: Harness) -> None:
    lewis = harness.user("lewis")

    await lewis.press("return.start", {"month": "2026-11"})

    assert card_texts(lewis.card)[1] == "A return for November 2026 can be made once the month is over."


async def test_typed_command_opens_the_form_in_a_new_message(harness: Harness) -> None:
    lewis = harness.user("lewis")

    status, _ = await lewis.say("Submit return")

    assert status == 200
    [reply] = harness.connector.sent(lewis.conversation_id)
    assert card_texts(reply.card)[0] == "Monthly return: October 2026"
    assert reply.activity_id is not None  # a reply to the typed message


async def test_a_typed_nan_or_infinity_is_kept_as_text_beside_its_error(harness: Harness) -> None:
    priya = harness.user("priya")

    await priya.press(
        "return.submit",
        {
            "contract_id": await ivws_id(harness),
            "month": "2026-10",
            **IVWS_GOOD,
            "pi_PI1": "nan",
            "pi_PI4": "1e999",
        },
    )

    inputs = card_inputs(priya.card)
    assert (inputs["pi_PI1"]["type"], inputs["pi_PI1"]["value"]) == ("Input.Text", "nan")
    assert (inputs["pi_PI4"]["type"], inputs["pi_PI4"]["value"]) == ("Input.Text", "1e999")
    assert "Please correct 2 entries below. Nothing has been saved yet." in card_texts(priya.card)
