"""Steps the meeting, action and deliverable journey tests share: a received return, a scheduled and held meeting."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from storage.meeting_models import ActionItem, Meeting
from storage.models import Contract, MonthlyReturn, Person
from tests.conftest import Harness
from tests.teams import TeamsUser, card_actions, card_inputs, card_texts

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
# PI2 below its minimum of 90% (amber), PI4 well below 150 (red): minimum service requirements not met.
IVWS_SHORT = {**IVWS_GOOD, "pi_PI2": "87", "pi_PI4": "120"}


async def contract_id(harness: Harness, key: str = "IVWS") -> int:
    async with harness.steward.database.session() as session:
        return (await session.execute(select(Contract.id).where(Contract.key == key))).scalar_one()


async def person_id(harness: Harness, email_start: str) -> int:
    async with harness.steward.database.session() as session:
        query = select(Person.id).where(Person.email.startswith(email_start))  # type: ignore[attr-defined]
        return (await session.execute(query)).scalar_one()


async def count(harness: Harness, model: type) -> int:
    async with harness.steward.database.session() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def only(harness: Harness, model: type) -> Any:
    async with harness.steward.database.session() as session:
        return (await session.execute(select(model))).scalar_one()


async def submit_return(
    harness: Harness, month: str = "2026-10", values: dict[str, str] | None = None
) -> int:
    """Priya submits IVWS's return for `month`; the id of the stored return."""
    priya = harness.user("priya")
    data = {"contract_id": await contract_id(harness), "month": month, **(values or IVWS_GOOD)}
    await priya.press("return.submit", data)
    assert card_texts(priya.card)[0].startswith("Return received"), card_texts(priya.card)
    async with harness.steward.database.session() as session:
        query = select(MonthlyReturn.id).order_by(MonthlyReturn.id.desc())  # type: ignore[union-attr]
        return (await session.execute(query)).scalars().first()  # type: ignore[return-value]


async def schedule(
    harness: Harness, return_id: int, day: str = "2026-11-06", at: str = "10:00", **extra: str
) -> TeamsUser:
    """Daniel schedules the return's review meeting."""
    daniel = harness.user("daniel")
    await daniel.press(
        "meeting.schedule", {"return_id": return_id, "meeting_date": day, "meeting_time": at, **extra}
    )
    assert card_texts(daniel.card)[0].startswith("Scheduled: "), card_texts(daniel.card)
    return daniel


async def meeting_id(harness: Harness) -> int:
    async with harness.steward.database.session() as session:
        return (await session.execute(select(Meeting.id).order_by(Meeting.id.desc()))).scalars().first()  # type: ignore[return-value]


def form_values(card: dict[str, Any]) -> dict[str, Any]:
    """What Teams would send back from a form left as it was drawn: each input's current value."""
    return {key: element.get("value", "") for key, element in card_inputs(card).items()}


async def open_record_form(harness: Harness, meeting: int) -> TeamsUser:
    daniel = harness.user("daniel")
    await daniel.press("meeting.record_open", {"meeting_id": meeting})
    assert card_texts(daniel.card)[0].startswith("Record: "), card_texts(daniel.card)
    return daniel


async def record(harness: Harness, meeting: int, **entries: Any) -> TeamsUser:
    """Daniel records the meeting: the form as drawn, with `entries` typed over it."""
    daniel = await open_record_form(harness, meeting)
    data = {**form_values(daniel.card), **entries, "meeting_id": meeting}
    await daniel.press("meeting.record", data)
    return daniel


async def held_meeting_with_action(
    harness: Harness,
    *,
    owner: str = "priya",
    what: str = "Recover contact times to 90%",
    due: str = "2026-11-20",
) -> tuple[int, int]:
    """October's return received, its review meeting held on 6 November with one action raised."""
    return_id = await submit_return(harness)
    await schedule(harness, return_id)
    meeting = await meeting_id(harness)
    harness.clock.advance(days=3, hours=2)  # Friday 6 November, 12:00
    owner_id = await person_id(harness, owner)
    daniel = await record(
        harness,
        meeting,
        act_1_what=what,
        act_1_owner=str(owner_id),
        act_1_due=due,
        decisions="Fee signed off.",
    )
    assert card_texts(daniel.card)[0].startswith("Minutes: "), card_texts(daniel.card)
    async with harness.steward.database.session() as session:
        action = (
            (await session.execute(select(ActionItem.id).order_by(ActionItem.id.desc()))).scalars().first()
        )
    return meeting, action  # type: ignore[return-value]


def buttons(card: dict[str, Any]) -> list[str]:
    return list(card_actions(card))
