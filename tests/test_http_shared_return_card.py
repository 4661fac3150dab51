"""One return card in the contract team's channel, a view per role: Universal Actions `refresh` with the
contract's people's Teams user ids, answered with the view the invoking person's role allows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from storage.models import AuditEvent, MonthlyReturn, Notification, ReturnVersion
from tests.cardschema import assert_valid_card
from tests.conftest import Harness
from tests.meeting_steps import contract_id, schedule
from tests.teams import TeamsUser, card_actions, card_texts
from tests.test_http_team_channel import TEAM, in_team, linked_to_ivws
from tests.test_monthly_return_journey import IVWS_GOOD

CARD = "application/vnd.microsoft.card.adaptive"


async def refresh_in_team(user: TeamsUser, data: dict[str, Any]) -> dict[str, Any]:
    """Teams' automatic refresh of a channel card for `user`: the invoke its `refresh.action` describes."""
    verb = "return.view_refresh"
    status, body = await user.post(
        in_team(
            user,
            "invoke",
            thread="1700000000001",
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "automatic"},
        )
    )
    assert status == 200, body
    assert (body["statusCode"], body["type"]) == (200, CARD)
    assert_valid_card(body["value"])
    return body["value"]


async def posted_return(harness: Harness) -> dict[str, Any]:
    """Daniel links the team, Hannah has used Steward, Priya submits October: the card the channel got."""
    await linked_to_ivws(harness)
    await harness.user("hannah").install()
    priya = harness.user("priya")
    await priya.press(
        "return.submit", {"contract_id": await contract_id(harness, "IVWS"), "month": "2026-10", **IVWS_GOOD}
    )
    await harness.settle()
    [post] = harness.connector.sent(TEAM)
    return post.card


async def counts(harness: Harness) -> tuple[int, int, int]:
    async with harness.steward.database.session() as session:
        return tuple(  # type: ignore[return-value]
            [
                (await session.execute(select(func.count()).select_from(model))).scalar_one()
                for model in (Notification, ReturnVersion, MonthlyReturn)
            ]
        )


async def test_the_channel_card_refreshes_for_the_contracts_people_steward_knows(harness: Harness) -> None:
    card = await posted_return(harness)

    assert_valid_card(card)
    assert "actions" not in card
    action = card["refresh"]["action"]
    assert (action["type"], action["verb"]) == ("Action.Execute", "return.view_refresh")
    assert action["data"] == {
        "verb": "return.view_refresh",
        "return_id": action["data"]["return_id"],
        "version": 1,
    }
    assert card["refresh"]["userIds"] == sorted(
        harness.user(name).user_id for name in ("daniel", "hannah", "priya")
    )


async def test_the_provider_contacts_refresh_shows_amend(harness: Harness) -> None:
    card = await posted_return(harness)

    view = await refresh_in_team(harness.user("priya"), card["refresh"]["action"]["data"])

    assert list(card_actions(view)) == ["Amend"]
    assert card_actions(view)["Amend"]["data"] == {
        "verb": "return.amend",
        "contract_id": await contract_id(harness, "IVWS"),
        "month": "2026-10",
    }
    assert card_texts(view)[:2] == [
        "Monthly return: October 2026",
        "Integrated Victims and Witnesses Service",
    ]
    assert view["refresh"] == card["refresh"]


async def test_the_commissioners_refresh_shows_schedule_meeting(harness: Harness) -> None:
    card = await posted_return(harness)

    view = await refresh_in_team(harness.user("daniel"), card["refresh"]["action"]["data"])

    assert list(card_actions(view)) == ["Schedule meeting"]
    assert "Review meeting" in card_texts(view)
    assert view["refresh"] == card["refresh"]


async def test_the_directors_refresh_shows_schedule_meeting_too(harness: Harness) -> None:
    card = await posted_return(harness)

    view = await refresh_in_team(harness.user("amara"), card["refresh"]["action"]["data"])

    assert list(card_actions(view)) == ["Schedule meeting"]


async def test_a_forged_refresh_from_another_contracts_commissioner_gets_the_read_only_card(
    harness: Harness,
) -> None:
    card = await posted_return(harness)
    before = await counts(harness)

    view = await refresh_in_team(harness.user("leila"), card["refresh"]["action"]["data"])

    assert card_texts(view) == [
        "Monthly return",
        "This return is shared with its contract team.",
        "Only the people on the contract see its details and actions.",
    ]
    assert card_actions(view) == {}
    assert "refresh" not in view
    assert await counts(harness) == before
    async with harness.steward.database.session() as session:
        [event] = (await session.execute(select(AuditEvent).where(AuditEvent.action == "refused"))).scalars()
    assert (event.entity_id, event.after["reason"]) == ("return.view_refresh", "view_return")


async def test_a_refresh_naming_no_return_gets_the_read_only_card(harness: Harness) -> None:
    await linked_to_ivws(harness)

    view = await refresh_in_team(harness.user("lewis"), {"return_id": 999_999, "version": 1})

    assert card_actions(view) == {}
    assert card_texts(view)[0] == "Monthly return"


async def test_a_stranger_refreshing_the_card_gets_no_buttons(harness: Harness) -> None:
    card = await posted_return(harness)
    stranger = TeamsUser(
        harness.client, harness.connector.url, "Sam Stranger", "0000aaaa-0000-4000-8000-00000000dead"
    )
    before = await counts(harness)

    view = await refresh_in_team(stranger, card["refresh"]["action"]["data"])

    assert card_actions(view) == {}
    assert "Integrated Victims and Witnesses Service" not in str(view)
    assert await counts(harness) == before


async def test_once_the_meeting_has_a_time_the_commissioners_view_says_when_and_offers_nothing(
    harness: Harness,
) -> None:
    card = await posted_return(harness)
    await schedule(harness, card["refresh"]["action"]["data"]["return_id"])

    view = await refresh_in_team(harness.user("hannah"), card["refresh"]["action"]["data"])

    assert card_actions(view) == {}
    assert card_texts(view)[-1] == "Review meeting: Friday 6 November 2026 at 10:00."
