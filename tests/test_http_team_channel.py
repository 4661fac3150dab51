"""Team scope through HTTP: the bot remembers a team's channel when added, links it to a contract on a
commissioner's say-so, shows nothing personal there, and forgets the channel when removed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import AuditEvent, ConversationRef
from tests.conftest import Harness
from tests.meeting_steps import contract_id
from tests.teams import BOT_ID, TeamsUser, card_actions, card_texts

TEAM = "19:ivws-contract-team@thread.tacv2"
TEAM_NAME = "IVWS contract team"


def in_team(user: TeamsUser, kind: str, *, thread: str | None = None, **extra: Any) -> dict[str, Any]:
    """An activity from `user` in the team's General channel (or a reply thread in it)."""
    activity = user.envelope(kind, **extra)
    activity["conversation"] = {
        "conversationType": "channel",
        "tenantId": user.tenant_id,
        "id": f"{TEAM};messageid={thread}" if thread else TEAM,
        "isGroup": True,
    }
    activity["channelData"] = {
        "team": {"id": TEAM, "name": TEAM_NAME},
        "channel": {"id": TEAM},
        "tenant": {"id": user.tenant_id},
        **activity.get("channelData", {}),
    }
    activity["channelData"]["tenant"] = {"id": user.tenant_id}
    return activity


def added_by(user: TeamsUser) -> dict[str, Any]:
    return in_team(
        user,
        "conversationUpdate",
        membersAdded=[{"id": BOT_ID}],
        channelData={"eventType": "teamMemberAdded"},
    )


def removed_by(user: TeamsUser) -> dict[str, Any]:
    return in_team(
        user,
        "conversationUpdate",
        membersRemoved=[{"id": BOT_ID}],
        channelData={"eventType": "teamMemberRemoved"},
    )


async def press_in_team(user: TeamsUser, verb: str, data: dict[str, Any]) -> dict[str, Any]:
    status, body = await user.post(
        in_team(
            user,
            "invoke",
            thread="1700000000001",
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": verb, "data": {"verb": verb, **data}}},
        )
    )
    assert status == 200, body
    return body["value"]


async def team_refs(harness: Harness) -> list[ConversationRef]:
    async with harness.steward.database.session() as session:
        query = select(ConversationRef).where(ConversationRef.scope == "channel")
        return list((await session.execute(query)).scalars())


async def audit(harness: Harness, action: str) -> list[AuditEvent]:
    async with harness.steward.database.session() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list((await session.execute(query)).scalars())


async def linked_to_ivws(harness: Harness) -> None:
    daniel = harness.user("daniel")
    await daniel.post(added_by(daniel))
    await press_in_team(daniel, "team.link", {"contract_id": await contract_id(harness, "IVWS")})
    harness.connector.clear()


# -- added ---------------------------------------------------------------------------------------------------


async def test_added_to_a_team_the_channel_is_remembered_and_the_adder_picks_the_contract(
    harness: Harness,
) -> None:
    daniel = harness.user("daniel")

    status, _ = await daniel.post(added_by(daniel))

    assert status == 200
    [ref] = await team_refs(harness)
    assert (ref.conversation_id, ref.contract_id, ref.person_id) == (TEAM, None, None)
    assert ref.service_url == harness.connector.url
    assert ref.bot_id == BOT_ID
    [card] = harness.connector.sent(TEAM)
    assert card_texts(card.card) == [
        "Steward has joined this team",
        "Steward can post a contract's notices here, such as returns received, so the whole contract team "
        "sees them.",
        "Which contract does this team manage?",
    ]
    button = card_actions(card.card)["Integrated Victims and Witnesses Service"]
    assert button["verb"] == "team.link"
    assert button["data"] == {"verb": "team.link", "contract_id": await contract_id(harness, "IVWS")}
    [event] = await audit(harness, "team.added")
    assert event.after == {"team": TEAM_NAME}


async def test_a_commissioner_links_the_team_to_their_contract(harness: Harness) -> None:
    daniel = harness.user("daniel")
    await daniel.post(added_by(daniel))
    ivws = await contract_id(harness, "IVWS")

    card = await press_in_team(daniel, "team.link", {"contract_id": ivws})

    assert card_texts(card) == [
        "Team linked",
        "This team now receives notices for Integrated Victims and Witnesses Service.",
        "Linked by Daniel Reyes.",
    ]
    [ref] = await team_refs(harness)
    assert (ref.conversation_id, ref.contract_id) == (TEAM, ivws)
    [event] = await audit(harness, "team.linked")
    assert (event.contract_id, event.before, event.after) == (
        ivws,
        {"contract": None},
        {"contract": "IVWS", "team": TEAM_NAME},
    )


async def test_added_by_someone_who_commissions_nothing_the_channel_is_kept_unlinked(
    harness: Harness,
) -> None:
    priya = harness.user("priya")

    await priya.post(added_by(priya))

    [ref] = await team_refs(harness)
    assert ref.contract_id is None
    [card] = harness.connector.sent(TEAM)
    assert card_texts(card.card)[-1] == (
        "A commissioner, programme manager or director on the contract can link this team to it: "
        "mention Steward in this channel."
    )
    assert "actions" not in card.card


async def test_a_redelivered_team_added_posts_once(harness: Harness) -> None:
    daniel = harness.user("daniel")
    activity = added_by(daniel)

    await daniel.post(activity)
    await daniel.post(activity)

    assert len(harness.connector.sent(TEAM)) == 1
    assert len(await team_refs(harness)) == 1


# -- who may link --------------------------------------------------------------------------------------------


async def test_a_provider_cannot_link_the_team_and_the_attempt_is_audited(harness: Harness) -> None:
    daniel, priya = harness.user("daniel"), harness.user("priya")
    await daniel.post(added_by(daniel))
    ivws = await contract_id(harness, "IVWS")

    card = await press_in_team(priya, "team.link", {"contract_id": ivws})

    assert card_texts(card)[:2] == [
        "That isn't available to you",
        "Only a commissioner, programme manager or director on that contract can link a team to it.",
    ]
    [ref] = await team_refs(harness)
    assert ref.contract_id is None
    [event] = await audit(harness, "refused")
    assert (event.entity_id, event.after["reason"]) == ("team.link", f"review_return:{ivws}")


async def test_another_contracts_commissioner_cannot_move_a_linked_team(harness: Harness) -> None:
    await linked_to_ivws(harness)
    leila = harness.user("leila")

    card = await press_in_team(leila, "team.link", {"contract_id": await contract_id(harness, "FCAR")})

    assert card_texts(card)[1] == (
        "This team is linked to another contract. Only that contract's commissioners can move it."
    )
    [ref] = await team_refs(harness)
    assert ref.contract_id == await contract_id(harness, "IVWS")
    assert [e.after["reason"] for e in await audit(harness, "refused")] == [
        f"team.relink:{await contract_id(harness, 'IVWS')}"
    ]


async def test_a_forged_link_with_a_malformed_contract_id_is_refused(harness: Harness) -> None:
    daniel = harness.user("daniel")
    await daniel.post(added_by(daniel))

    card = await press_in_team(daniel, "team.link", {"contract_id": 2**40})

    assert card_texts(card)[0] == "Something went wrong"
    assert (await team_refs(harness))[0].contract_id is None
    assert [e.after["reason"] for e in await audit(harness, "refused")] == ["malformed payload"]


# -- nothing personal in a channel ---------------------------------------------------------------------------


async def test_in_a_channel_personal_commands_get_the_team_card_not_the_form(harness: Harness) -> None:
    await linked_to_ivws(harness)
    priya = harness.user("priya")

    status, _ = await priya.post(in_team(priya, "message", text="<at>Steward</at> submit return"))

    assert status == 200
    [reply] = harness.connector.sent(TEAM)
    assert card_texts(reply.card) == [
        "Steward in this team",
        "This team receives notices for Integrated Victims and Witnesses Service.",
        "For your own returns and tasks, use your 1:1 chat with Steward: nothing personal is shown in a "
        "channel.",
    ]
    assert "Input." not in str(reply.card)


async def test_a_personal_button_pressed_in_a_channel_shows_the_team_card(harness: Harness) -> None:
    await linked_to_ivws(harness)
    priya = harness.user("priya")

    card = await press_in_team(
        priya, "return.open", {"contract_id": await contract_id(harness, "IVWS"), "month": "2026-10"}
    )

    assert card_texts(card)[0] == "Steward in this team"
    assert await audit(harness, "refused") == []  # a real verb, only in the wrong place


async def test_a_commissioner_mentioning_steward_is_offered_the_link(harness: Harness) -> None:
    priya, hannah = harness.user("priya"), harness.user("hannah")
    await priya.post(added_by(priya))

    await hannah.post(in_team(hannah, "message", text="<at>Steward</at> hello"))

    [reply] = harness.connector.sent(TEAM)[-1:]
    assert card_texts(reply.card)[1:3] == [
        "This team is not linked to a contract yet.",
        "You can link it to one of the contracts you commission:",
    ]
    assert list(card_actions(reply.card)) == ["Integrated Victims and Witnesses Service"]


# -- removed -------------------------------------------------------------------------------------------------


async def test_removed_from_the_team_the_channel_is_forgotten_and_audited(harness: Harness) -> None:
    await linked_to_ivws(harness)
    tom = harness.user("tom")

    status, _ = await tom.post(removed_by(tom))

    assert status == 200
    assert await team_refs(harness) == []
    assert harness.connector.calls == []
    [event] = await audit(harness, "team.removed")
    assert event.contract_id == await contract_id(harness, "IVWS")
    assert event.before == {"contract_id": event.contract_id, "team": TEAM_NAME}


async def test_a_deleted_team_is_forgotten(harness: Harness) -> None:
    await linked_to_ivws(harness)
    daniel = harness.user("daniel")

    await daniel.post(in_team(daniel, "conversationUpdate", channelData={"eventType": "teamDeleted"}))

    assert await team_refs(harness) == []


async def test_other_team_events_change_nothing(harness: Harness) -> None:
    await linked_to_ivws(harness)
    daniel = harness.user("daniel")

    for event in ("teamRenamed", "channelCreated", "teamMemberAdded"):
        await daniel.post(
            in_team(
                daniel,
                "conversationUpdate",
                membersAdded=[{"id": "29:someone"}],
                channelData={"eventType": event},
            )
        )

    [ref] = await team_refs(harness)
    assert ref.contract_id == await contract_id(harness, "IVWS")
    assert harness.connector.calls == []


async def test_a_personal_chat_is_not_touched_by_team_removal(harness: Harness) -> None:
    daniel = harness.user("daniel")
    await daniel.install()
    await linked_to_ivws(harness)

    await daniel.post(removed_by(daniel))

    async with harness.steward.database.session() as session:
        personal = (
            await session.execute(select(ConversationRef).where(ConversationRef.scope == "personal"))
        ).scalars()
        assert [ref.conversation_id for ref in personal] == [daniel.conversation_id]


# -- notifications -------------------------------------------------------------------------------------------


async def test_a_linked_channel_sees_each_return_received_and_amended_without_buttons(
    harness: Harness,
) -> None:
    from tests.test_monthly_return_journey import IVWS_GOOD

    await linked_to_ivws(harness)
    priya = harness.user("priya")
    contract = {"contract_id": await contract_id(harness, "IVWS"), "month": "2026-10"}

    await priya.press("return.submit", {**contract, **IVWS_GOOD})
    await priya.press("return.submit", {**contract, **IVWS_GOOD, "pi_PI2": "88", "based_on_version": 1})
    await harness.settle()

    posts = harness.connector.sent(TEAM)
    assert [card_texts(post.card)[0] for post in posts] == [
        "Monthly return: October 2026",
        "Amended return: October 2026",
    ]
    assert [card_actions(post.card) for post in posts] == [{}, {}]
    assert "• Victims contacted within two working days: 93.5% → 88%" in card_texts(posts[1].card)


async def test_an_unlinked_team_gets_no_contract_notifications(harness: Harness) -> None:
    from tests.test_monthly_return_journey import IVWS_GOOD

    daniel, priya = harness.user("daniel"), harness.user("priya")
    await daniel.post(added_by(daniel))
    harness.connector.clear()

    await priya.press(
        "return.submit", {"contract_id": await contract_id(harness, "IVWS"), "month": "2026-10", **IVWS_GOOD}
    )
    await harness.settle()

    assert harness.connector.sent(TEAM) == []
