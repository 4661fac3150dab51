"""Forged card payloads through HTTP: refused with a clear card, nothing changed, every attempt audited.

Cards can be forged: an Action.Execute or Action.Submit payload names any contract, return or verb it
likes. Each press here is one a real card never offered to that person.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, table, text

from bot.app import build_dispatch
from storage.models import AuditEvent, MonthlyReturn
from tests.authharness import row_counts
from tests.conftest import Harness
from tests.meeting_steps import contract_id, held_meeting_with_action
from tests.teams import TeamsUser, card_actions, card_texts
from tests.test_monthly_return_journey import IVWS_GOOD

NO_ROLE = ["That isn't available to you", "You don't have a role on that contract that allows this."]
UNKNOWN = [
    "That isn't available to you",
    "Steward doesn't offer that action, so nothing was changed. Start again from the menu.",
]
MALFORMED = [
    "Something went wrong",
    "That button's data was not valid, so nothing was changed. Start again from the menu.",
]
# Written by any accepted turn: the dedupe record, the SDK's conversation state, the person's chat.
# delivery_event: the delivery ledger, which the dispatcher writes in the background as it delivers.
BOOKKEEPING = {"audit_event", "processed_activity", "conversation_ref", "delivery_event"}


async def domain_rows(harness: Harness) -> dict[str, int]:
    return {
        name: count
        for name, count in (await row_counts(harness.steward.database)).items()
        if name not in BOOKKEEPING
    }


async def refusals(harness: Harness) -> list[AuditEvent]:
    async with harness.steward.database.session() as session:
        query = select(AuditEvent).where(AuditEvent.action == "refused").order_by(AuditEvent.id)
        return list((await session.execute(query)).scalars())


async def submitted_ivws_return(harness: Harness) -> int:
    """Priya's October return for IVWS, submitted for real; its id."""
    ivws = await contract_id(harness, "IVWS")
    await harness.user("priya").press("return.submit", {"contract_id": ivws, "month": "2026-10", **IVWS_GOOD})
    async with harness.steward.database.session() as session:
        return (await session.execute(select(MonthlyReturn.id))).scalar_one()


async def forged_press(
    harness: Harness, person: TeamsUser, verb: str, data: dict[str, Any]
) -> tuple[list[str], AuditEvent]:
    """Press a forged button; return the card's first two texts and the one refusal it audited."""
    before_rows, before_refusals = await domain_rows(harness), len(await refusals(harness))

    await person.press(verb, data)

    assert await domain_rows(harness) == before_rows, "a forged press changed something"
    events = await refusals(harness)
    assert len(events) == before_refusals + 1, "a forged press was not audited"
    return card_texts(person.card)[:2], events[-1]


# -- another contract, another organisation, a role the sender lacks ----------------------------------------


@pytest.mark.parametrize(
    "verb", ["return.open", "return.save", "return.submit", "return.amend", "return.start"]
)
async def test_a_provider_cannot_act_on_another_providers_contract(harness: Harness, verb: str) -> None:
    ivws = await contract_id(harness, "IVWS")

    texts, event = await forged_press(
        harness, harness.user("lewis"), verb, {"contract_id": ivws, "month": "2026-10", **IVWS_GOOD}
    )

    assert texts == NO_ROLE
    assert event.entity_id == verb
    assert event.contract_id == ivws
    assert event.after["reason"] == f"submit_return:{ivws}"


async def test_a_forged_save_leaves_the_real_draft_untouched(harness: Harness) -> None:
    ivws = await contract_id(harness, "IVWS")
    await harness.user("priya").press(
        "return.save", {"contract_id": ivws, "month": "2026-10", "pi_PI1": "2710", "narrative": "Half done"}
    )

    texts, _ = await forged_press(
        harness,
        harness.user("lewis"),
        "return.save",
        {"contract_id": ivws, "month": "2026-10", "pi_PI1": "1", "narrative": "Overwritten"},
    )

    assert texts == NO_ROLE
    async with harness.steward.database.session() as session:
        draft = (await session.execute(select(MonthlyReturn))).scalar_one()
    assert (draft.draft_values, draft.draft_narrative) == ({"PI1": "2710"}, "Half done")


@pytest.mark.parametrize("who", ["lewis", "samir", "leila"])
async def test_another_organisations_return_cannot_be_viewed(harness: Harness, who: str) -> None:
    """Lewis is another provider, Samir and Leila commission other contracts: none has a role on IVWS."""
    return_id = await submitted_ivws_return(harness)
    outsider = harness.user(who)

    texts, event = await forged_press(harness, outsider, "return.view", {"return_id": return_id})

    assert texts == NO_ROLE
    assert event.after["reason"] == f"view_return:{await contract_id(harness, 'IVWS')}"
    assert "Integrated Victims" not in str(outsider.card)


async def test_a_return_that_does_not_exist_is_refused_like_one_that_is_not_yours(harness: Harness) -> None:
    texts, event = await forged_press(harness, harness.user("lewis"), "return.view", {"return_id": 999})

    assert texts == ["That isn't available to you", "That return does not exist."]
    assert event.after["reason"] == "unknown return"


async def test_the_commissioner_can_view_it_but_not_submit_it(harness: Harness) -> None:
    return_id = await submitted_ivws_return(harness)
    daniel = harness.user("daniel")
    ivws = await contract_id(harness, "IVWS")

    await daniel.press("return.view", {"return_id": return_id})
    assert card_texts(daniel.card)[0] == "Monthly return: October 2026"

    texts, event = await forged_press(
        harness,
        daniel,
        "return.submit",
        {"contract_id": ivws, "month": "2026-10", "based_on_version": 1, **IVWS_GOOD},
    )
    assert texts == NO_ROLE
    assert event.after["reason"] == f"submit_return:{ivws}"


async def test_a_commissioner_starting_a_return_is_told_who_can(harness: Harness) -> None:
    texts, event = await forged_press(harness, harness.user("daniel"), "return.start", {})

    assert texts == [
        "That isn't available to you",
        "Only a provider contact or head of service can submit a monthly return.",
    ]
    assert event.after["reason"] == "no role"


# -- verbs no card offered -----------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["return.approve", "admin.grant_role", "../return.submit", "x" * 500, ""])
async def test_a_verb_no_card_offers_is_refused_and_audited(harness: Harness, verb: str) -> None:
    texts, event = await forged_press(harness, harness.user("priya"), verb, {"contract_id": 1})

    assert texts == UNKNOWN
    assert event.after["reason"] == "unknown verb"
    assert event.entity_id == verb[:64]


async def test_a_forged_action_submit_is_refused_the_same_way(harness: Harness) -> None:
    lewis = harness.user("lewis")
    ivws = await contract_id(harness, "IVWS")
    before = await domain_rows(harness)

    status, _ = await lewis.post(
        lewis.envelope(
            "message", value={"verb": "return.submit", "contract_id": ivws, "month": "2026-10", **IVWS_GOOD}
        )
    )

    assert status == 200
    [reply] = harness.connector.sent(lewis.conversation_id)
    assert card_texts(reply.card)[:2] == NO_ROLE
    assert await domain_rows(harness) == before
    [event] = await refusals(harness)
    assert event.entity_id == "return.submit"


@pytest.mark.parametrize("verb", [17, ["return.submit"], {"verb": "return.submit"}, True])
async def test_an_action_submit_whose_verb_is_not_text_is_refused_and_audited(
    harness: Harness, verb: Any
) -> None:
    lewis = harness.user("lewis")

    status, _ = await lewis.post(lewis.envelope("message", value={"verb": verb, "contract_id": 1}))

    assert status == 200
    [reply] = harness.connector.sent(lewis.conversation_id)
    assert card_texts(reply.card)[:2] == UNKNOWN
    [event] = await refusals(harness)
    assert event.after["reason"] == "unknown verb"


# -- malformed payloads --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verb", "data"),
    [
        ("return.open", {"contract_id": "abc", "month": "2026-10"}),
        ("return.open", {"contract_id": -1, "month": "2026-10"}),
        ("return.open", {"contract_id": 0, "month": "2026-10"}),
        ("return.open", {"contract_id": 2**40, "month": "2026-10"}),
        ("return.open", {"contract_id": 10**30, "month": "2026-10"}),
        ("return.open", {"contract_id": 1e300, "month": "2026-10"}),
        ("return.open", {"contract_id": 2.5, "month": "2026-10"}),
        ("return.open", {"contract_id": [1], "month": "2026-10"}),
        ("return.open", {"contract_id": {"id": 1}, "month": "2026-10"}),
        ("return.open", {"contract_id": None, "month": "2026-10"}),
        ("return.open", {"month": "2026-10"}),
        ("return.open", {"contract_id": 1, "month": 202610}),
        ("return.view", {"return_id": "1; DROP TABLE monthly_return"}),
        ("return.view", {"return_id": 2**31}),
        ("return.view", {"return_id": 1, "version": -3}),
        ("return.submit", {"contract_id": 1, "month": "2026-10", "based_on_version": 2**63}),
        ("return.submit", {"contract_id": 1, "month": "2026-10", "based_on_version": -1}),
        ("return.start", {"contract_id": 2**33}),
    ],
)
async def test_a_malformed_payload_is_refused_changes_nothing_and_is_audited(
    harness: Harness, verb: str, data: dict[str, Any]
) -> None:
    texts, event = await forged_press(harness, harness.user("priya"), verb, data)

    assert texts == MALFORMED
    assert event.after["reason"] == "malformed payload"
    assert event.contract_id is None or event.contract_id == data.get("contract_id")


async def test_the_audit_keeps_only_a_bounded_summary_of_a_hostile_payload(harness: Harness) -> None:
    junk: dict[str, Any] = {f"key{i}": "v" * 5_000 for i in range(40)}
    junk["nested"] = {"a": [[[[{"b": 1}]]]]}
    junk["contract_id"] = 10**30

    _, event = await forged_press(harness, harness.user("priya"), "return.open", junk)

    data = event.after["data"]
    assert len(data) == 30
    assert data["key0"] == "v" * 100
    assert event.contract_id is None


async def test_a_summary_of_nested_values_says_only_their_size(harness: Harness) -> None:
    _, event = await forged_press(
        harness,
        harness.user("priya"),
        "no.such.verb",
        {"contract_id": True, "list": [1, 2, 3], "object": {"a": {"b": {}}}, "number": 1.5},
    )

    assert event.after["data"] == {
        "verb": "no.such.verb",
        "contract_id": "True",
        "list": "<list of 3>",
        "object": "<dict of 1>",
        "number": "1.5",
    }
    assert event.contract_id is None


# -- every verb, pressed by an outsider ----------------------------------------------------------------------


async def domain_snapshot(harness: Harness) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the bookkeeping ones: equal before and after means nothing changed."""
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    async with harness.steward.database.engine.connect() as connection:
        for name in await row_counts(harness.steward.database):
            if name in BOOKKEEPING:
                continue
            rows = (await connection.execute(select(text("*")).select_from(table(name)))).all()
            snapshot[name] = sorted(tuple(map(repr, row)) for row in rows)
    return snapshot


async def test_an_outsider_pressing_every_verb_with_another_contracts_ids_changes_nothing_and_sees_nothing(
    harness: Harness,
) -> None:
    """Lewis works for another provider. Given IVWS's real return, meeting and action ids, no verb any
    card offers lets him change anything, or shows him anything of IVWS."""
    meeting, action = await held_meeting_with_action(harness)
    async with harness.steward.database.session() as session:
        return_id = (await session.execute(select(MonthlyReturn.id))).scalar_one()
    ivws = await contract_id(harness, "IVWS")
    daniel = harness.user("daniel")
    await daniel.press(
        "gonogo.create",
        {"subject": f"contract:{ivws}", "title": "Re-procure IVWS?", "factor_set": "re_procurement"},
    )
    forged = {
        "contract_id": ivws,
        "return_id": return_id,
        "meeting_id": meeting,
        "action_id": action,
        "evaluation_id": card_actions(daniel.card)["Refresh"]["data"]["evaluation_id"],
        "month": "2026-10",
        "quarter": "2026Q2",
        "based_on_version": 1,
        "subject": f"contract:{ivws}",
        "title": "Taken over",
        "factor_set": "re_procurement",
        **IVWS_GOOD,
    }
    lewis = harness.user("lewis")
    await lewis.say("hello")  # first contact links his Teams identity; that is not what is tested
    await harness.settle()  # what earlier steps queued is delivered before the snapshot
    before = await domain_snapshot(harness)

    for verb in [*sorted(build_dispatch().routes), "team.link"]:
        await lewis.press(verb, forged)
        assert "Integrated Victims" not in json.dumps(lewis.card), verb
        assert "Priya" not in json.dumps(lewis.card), verb

    assert await domain_snapshot(harness) == before
