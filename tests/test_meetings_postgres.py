"""The meetings, actions and deliverables journeys on PostgreSQL, where row locks and JSON columns are real."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from commissioning.clock import FrozenClock
from storage.meeting_models import ActionEvent, ActionItem, DeliverableRecord, Meeting
from tests.conftest import START, Harness
from tests.connector_standin import ConnectorStandIn
from tests.meeting_steps import contract_id, count, held_meeting_with_action, only
from tests.teams import card_texts


@pytest.fixture
async def postgres_harness(postgres_url: str, connector: ConnectorStandIn) -> AsyncIterator[Harness]:
    running = await Harness(postgres_url, FrozenClock(START), connector).start()
    yield running
    await running.close()
    assert not connector.invalid_cards, "\n".join(connector.invalid_cards)


async def test_meeting_held_action_moved_and_deliverables_saved_on_postgresql(
    postgres_harness: Harness,
) -> None:
    meeting, action = await held_meeting_with_action(postgres_harness)
    priya, daniel = postgres_harness.user("priya"), postgres_harness.user("daniel")

    await priya.press(
        "actions.request_due", {"action_id": action, "new_due": "2026-12-04", "reason": "Recruitment"}
    )
    await daniel.press("actions.approve_due", {"action_id": action})
    await daniel.press("actions.carry", {"action_id": action})
    await priya.press(
        "deliverables.save",
        {
            "contract_id": await contract_id(postgres_harness),
            "quarter": "2026Q2",
            "dl_action_log_status": "supplied",
            "dl_action_log_where": "action log.xlsx",
        },
    )

    assert "Saved. 1 of 11 done; 10 still missing." in card_texts(priya.card)
    stored = await only(postgres_harness, Meeting)
    assert (stored.id, stored.status, stored.pi_review[0]["rag"]) == (meeting, "held", "green")
    item = await only(postgres_harness, ActionItem)
    assert (item.due_on.isoformat(), item.level, item.carried_to) == (
        "2026-12-04",
        "quarterly_contract",
        "Q2 2026/27",
    )
    async with postgres_harness.steward.database.session() as session:
        kinds = (await session.execute(select(ActionEvent.kind).order_by(ActionEvent.id))).scalars().all()
    assert kinds == ["created", "due_requested", "due_approved", "carried"]
    assert await count(postgres_harness, DeliverableRecord) == 1
