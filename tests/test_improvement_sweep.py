"""The sweep chases plans, CIP items and change requests like actions, and sends a missed plan to the director."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.models import Notification, Person
from tests.conftest import Harness
from tests.meeting_steps import IVWS_GOOD, IVWS_SHORT, contract_id, person_id, submit_return
from tests.teams import card_texts

PLAN = {
    "code": "PI2",
    "level": "90",
    "by": "2026-12-31",
    "action_0_what": "Recruit two caseworkers for first contact",
    "action_0_due": "2026-11-20",
}


async def reminders(harness: Harness, prefix: str) -> list[tuple[str, str, str]]:
    """(kind, recipient, status) of the reminders whose kind starts with `prefix`."""
    async with harness.steward.database.session() as session:
        query = (
            select(Notification.kind, Person.name, Notification.status)
            .join(Person, Person.id == Notification.recipient_id)
            .where(Notification.kind.startswith("remind." + prefix))  # type: ignore[attr-defined]
            .order_by(Notification.kind, Person.name)
        )
        return [tuple(row) for row in (await session.execute(query)).all()]  # type: ignore[misc]


async def installed(harness: Harness) -> None:
    """Everyone on IVWS has Steward installed, so Teams has a conversation to send to."""
    for name in ("priya", "tom", "daniel", "hannah", "amara"):
        await harness.user(name).install()


async def sweep_at(harness: Harness, moment: datetime) -> None:
    harness.clock.set(moment)
    await harness.steward.core.sweep.run_once()
    await harness.settle()


async def agree_plan(harness: Harness, **changes: str) -> None:
    await installed(harness)
    await submit_return(harness, "2026-09", IVWS_SHORT)  # PI2 at 87%, below 90%
    daniel = harness.user("daniel")
    await daniel.press("improve.pip_agree", {**PLAN, **changes, "contract_id": await contract_id(harness)})
    assert card_texts(daniel.card)[0] == "Performance improvement plan 1", card_texts(daniel.card)


async def test_a_plans_action_is_chased_like_an_action_then_escalated_to_the_commissioner(
    harness: Harness,
) -> None:
    await agree_plan(harness)

    await sweep_at(harness, datetime(2026, 11, 18, 10, tzinfo=UTC))  # two working days before Friday 20th
    assert await reminders(harness, "pip.") == [
        ("remind.pip.step_due_soon", "Priya Shah", "sent"),
        ("remind.pip.step_due_soon", "Tom Whitaker", "sent"),
    ]
    await sweep_at(harness, datetime(2026, 11, 26, 10, tzinfo=UTC))  # three working days overdue

    found = await reminders(harness, "pip.step_")
    assert ("remind.pip.step_overdue", "Tom Whitaker", "sent") in found
    assert ("remind.pip.step_escalated", "Daniel Reyes", "sent") in found
    [card] = [
        c.card for c in harness.connector.sent() if "Escalation: improvement plan overdue" in str(c.card)
    ]
    assert "Responsible: <at>Tom Whitaker</at>, <at>Priya Shah</at>" in card_texts(card)  # type: ignore[arg-type]


async def test_an_action_marked_done_is_no_longer_chased(harness: Harness) -> None:
    await agree_plan(harness)
    await harness.user("tom").press("improve.pip_step", {"pip_id": 1, "part": "action", "number": 0})

    await sweep_at(harness, datetime(2026, 11, 23, 10, tzinfo=UTC))

    assert await reminders(harness, "pip.") == []


async def test_a_cip_milestone_is_chased_to_its_owner(harness: Harness) -> None:
    await installed(harness)
    daniel = harness.user("daniel")
    await daniel.press(
        "improve.cip_add",
        {
            "contract_id": await contract_id(harness),
            "what": "Name each victim's caseworker in the first letter",
            "owner": str(await person_id(harness, "tom")),
            "deadline": "2027-02-26",
            "milestone_0_what": "New letter template agreed",
            "milestone_0_due": "2026-11-30",
        },
    )

    await sweep_at(harness, datetime(2026, 11, 26, 10, tzinfo=UTC))

    assert await reminders(harness, "cip.") == [("remind.cip.due_soon", "Tom Whitaker", "sent")]


async def test_a_formal_change_waiting_for_approval_is_chased_to_the_director(harness: Harness) -> None:
    await installed(harness)
    daniel, ivws = harness.user("daniel"), await contract_id(harness)
    await daniel.press(
        "improve.change_raise", {"contract_id": ivws, "what": "Move £20,000 to staffing", "areas": "budget"}
    )
    await harness.user("tom").press("improve.change_agree", {"change_id": 1})

    await sweep_at(harness, datetime(2026, 11, 9, 10, tzinfo=UTC))  # four working days
    assert await reminders(harness, "change.") == []
    await sweep_at(harness, datetime(2026, 11, 10, 10, tzinfo=UTC))  # five

    assert await reminders(harness, "change.") == [
        ("remind.change.awaiting_decision", "Amara Okafor", "sent")
    ]


async def test_a_plan_missed_by_its_date_reaches_the_director_at_once_with_the_evidence(
    harness: Harness,
) -> None:
    await agree_plan(harness)
    harness.clock.set(datetime(2027, 1, 6, 22, tzinfo=UTC))  # Wednesday night
    await submit_return(harness, "2026-12", {**IVWS_GOOD, "pi_PI2": "85"})  # the deadline's month, short

    await sweep_at(harness, datetime(2027, 1, 6, 22, 5, tzinfo=UTC))

    assert await reminders(harness, "breach.") == [("remind.breach.persistent", "Amara Okafor", "sent")]
    [card] = [c.card for c in harness.connector.sent() if "Persistent breach" in str(c.card)]
    texts = card_texts(card)  # type: ignore[arg-type]
    assert texts[0] == "Persistent breach: Victims contacted within two working days"
    assert (
        "Evidence: Victims contacted within two working days (PI2): the improvement plan was missed. "
        "September 2026: 87 against 90; December 2026: 85 against 90. Plan: 90 by Thursday 31 December 2026."
    ) in texts


async def test_a_plan_declared_missed_reaches_the_director_at_once(harness: Harness) -> None:
    await agree_plan(harness)
    daniel = harness.user("daniel")
    await daniel.press("improve.pip_missed", {"pip_id": 1, "note": "The caseworkers were not recruited."})

    await sweep_at(harness, datetime(2026, 11, 3, 11, tzinfo=UTC))

    assert await reminders(harness, "breach.") == [("remind.breach.persistent", "Amara Okafor", "sent")]
