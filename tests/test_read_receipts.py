"""Read receipts over HTTP: Teams' event marks reminders read, and the next reminder and the escalation say so.

Lewis Grant is CRS-ACC's provider contact, Samir Haddad its commissioner. October's return is due on
Friday 13 November; Lewis hears on Tuesday 10th (due soon), Friday 13th (due today) and Monday 16th
(overdue); on Wednesday 18th it is escalated to Samir.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.models import Notification, Person
from tests.conftest import Harness
from tests.teams import TeamsUser, card_texts

READ_RECEIPT = "application/vnd.microsoft.readReceipt"
TUESDAY = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 11, 13, 10, 0, tzinfo=UTC)
MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
WEDNESDAY = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


async def round_at(harness: Harness, moment: datetime) -> None:
    """The scheduler's round at `moment`: the sweep, then the dispatch."""
    harness.clock.set(moment)
    await harness.steward.sweep.run_once()
    await harness.steward.dispatcher.run_once()


async def read(harness: Harness, user: TeamsUser, activity_id: str, at: datetime) -> None:
    """Teams tells Steward the user has read its messages up to `activity_id`."""
    harness.clock.set(at)
    status, _ = await user.post(
        user.envelope("event", name=READ_RECEIPT, value={"lastReadMessageId": activity_id})
    )
    assert status == 200


def last_card(harness: Harness, user: TeamsUser) -> list[str]:
    return card_texts(harness.connector.sent(user.conversation_id)[-1].card)  # type: ignore[arg-type]


async def reads(harness: Harness, name: str) -> list[tuple[str, datetime | None]]:
    async with harness.steward.database.session() as session:
        person = (await session.execute(select(Person).where(Person.name == name))).scalar_one()
        query = (
            select(Notification)
            .where(Notification.recipient_id == person.id, Notification.kind.startswith("remind."))  # type: ignore[attr-defined]
            .order_by(Notification.id)
        )
        return [(n.kind, n.read_at) for n in (await session.execute(query)).scalars()]


async def test_a_read_receipt_marks_what_it_covers_read_and_the_next_reminders_say_so(
    harness: Harness,
) -> None:
    lewis, samir = harness.user("lewis"), harness.user("samir")
    await lewis.install()
    await samir.install()
    # Lewis's summary: August and September overdue, October due soon, CRS-ACC's Q2 KPI return overdue
    await round_at(harness, TUESDAY)
    assert [read_at for _, read_at in await reads(harness, "Lewis Grant")] == [None, None, None, None]
    summary_id = await _activity_of(harness, "remind.return.due_soon")

    await read(harness, lewis, summary_id, datetime(2026, 11, 10, 15, 0, tzinfo=UTC))
    assert {read_at for _, read_at in await reads(harness, "Lewis Grant")} == {
        datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
    }

    await round_at(harness, FRIDAY)
    assert "You opened the last reminder on Tuesday 10 November; it has not been acted on yet." in last_card(
        harness, lewis
    )

    await round_at(harness, MONDAY)  # Friday's was never opened, and Teams does send Lewis's receipts
    assert "The last reminder, sent on Friday 13 November, has not been opened." in last_card(harness, lewis)

    overdue_id = await _activity_of(harness, "remind.return.overdue", month="2026-10")
    await read(harness, lewis, overdue_id, datetime(2026, 11, 16, 14, 30, tzinfo=UTC))
    await round_at(harness, WEDNESDAY)
    texts = last_card(harness, samir)
    assert texts[0] == "Escalation: October 2026 return overdue"
    assert texts[texts.index("Responsible: <at>Lewis Grant</at>") + 1] == (
        "Lewis Grant read the reminder on Monday 16 November and has not submitted."
    )


async def test_without_read_receipts_the_words_say_it_is_unknown_never_unread(harness: Harness) -> None:
    lewis, samir = harness.user("lewis"), harness.user("samir")
    await lewis.install()
    await samir.install()
    for moment in (TUESDAY, FRIDAY):
        await round_at(harness, moment)
    friday = last_card(harness, lewis)
    for moment in (MONDAY, WEDNESDAY):
        await round_at(harness, moment)
    escalation = last_card(harness, samir)

    assert (
        "Whether the last reminder, sent on Tuesday 10 November, was opened is unknown: Teams has not said."
        in friday
    )
    assert (
        "Whether Lewis Grant has read the reminder sent on Monday 16 November is unknown: Teams has not said."
        in escalation
    )
    assert not any("unread" in line or "not been opened" in line for line in [*friday, *escalation])


async def test_a_receipt_for_someone_elses_chat_marks_nothing_read(harness: Harness) -> None:
    lewis, samir = harness.user("lewis"), harness.user("samir")
    await lewis.install()
    await samir.install()
    await round_at(harness, TUESDAY)
    summary_id = await _activity_of(harness, "remind.return.due_soon")
    forged = TeamsUser(
        samir.client,
        samir.service_url,
        samir.name,
        samir.aad_object_id,
        conversation_id=lewis.conversation_id,
    )

    await read(harness, forged, summary_id, datetime(2026, 11, 10, 15, 0, tzinfo=UTC))

    assert {read_at for _, read_at in await reads(harness, "Lewis Grant")} == {None}


async def _activity_of(harness: Harness, kind: str, *, month: str | None = None) -> str:
    """The activity id Lewis's reminder of `kind` was delivered with."""
    async with harness.steward.database.session() as session:
        rows = (await session.execute(select(Notification).where(Notification.kind == kind))).scalars()
        found = [n for n in rows if n.activity_id and (month is None or month in n.key)]
    assert found, kind
    return found[-1].activity_id  # type: ignore[return-value]
