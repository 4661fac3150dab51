"""Leave over HTTP: recording it, reminders waiting, stand-ins told why, escalation timing, the summary back.

CRS-ACC's people: Lewis Grant (provider contact), Nadia Kowalski (head of service), Samir Haddad
(commissioner), Beth Lowe (programme manager), Fiona McBride (director). October's return is due on
Friday 13 November; with Lewis at work it is escalated to Nadia and Samir on Wednesday 18th, three
working days later.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from storage.models import AuditEvent, Contract, Notification, Person
from tests.conftest import Harness
from tests.teams import TeamsUser, card_inputs, card_texts, elements

MONDAY_16 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
WEDNESDAY_18 = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
MONDAY_23 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
WEDNESDAY_25 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


async def round_at(harness: Harness, moment: datetime) -> None:
    harness.clock.set(moment)
    await harness.steward.sweep.run_once()
    await harness.steward.dispatcher.run_once()


async def ids(harness: Harness) -> tuple[dict[str, int], int]:
    async with harness.steward.database.session() as session:
        people = {p.name: p.id for p in (await session.execute(select(Person))).scalars()}
        contract = (await session.execute(select(Contract).where(Contract.key == "CRS-ACC"))).scalar_one()
    return people, contract.id


async def record_leave(harness: Harness, user: TeamsUser, typed: str, **inputs: Any) -> dict[str, Any]:
    """Type the command, then press Record leave on the form with these inputs."""
    await user.say(typed)
    await harness.settle()
    form = harness.connector.sent(user.conversation_id)[-1].card
    assert form is not None
    values = {key: element.get("value", "") for key, element in card_inputs(form).items()}
    return await user.press("leave.record", {**values, **inputs})


async def sent_to(harness: Harness, name: str) -> list[tuple[str, str]]:
    """(kind, subject) of every notification sent to `name`, in order."""
    people, _ = await ids(harness)
    async with harness.steward.database.session() as session:
        query = (
            select(Notification)
            .where(Notification.recipient_id == people[name], Notification.status == "sent")
            .order_by(Notification.id)
        )
        rows = (await session.execute(query)).scalars()
        return [(n.kind, str((n.payload.get("reminder") or {}).get("subject", ""))) for n in rows]


def texts_of(harness: Harness, user: TeamsUser) -> list[list[str]]:
    return [card_texts(c.card) for c in harness.connector.sent(user.conversation_id) if c.card]


def error_beside(card: dict[str, Any], input_id: str) -> str | None:
    """The error text in the same container as the input, if any."""
    for element in elements(card):
        items = element.get("items", []) if element["type"] == "Container" else []
        if any(item.get("id") == input_id for item in items):
            errors = [
                i["text"] for i in items if i.get("type") == "TextBlock" and i.get("color") == "Attention"
            ]
            return errors[0] if errors else None
    raise AssertionError(f"no input {input_id}")


def person(harness: Harness, name: str, aad_object_id: str) -> TeamsUser:
    """Someone on CRS-ACC the shared conftest does not name."""
    assert harness.client is not None
    return TeamsUser(harness.client, harness.connector.url, name, aad_object_id)


async def waiting_for(harness: Harness, name: str) -> list[tuple[str, str]]:
    """(kind, subject) of every reminder Steward wrote for `name`, whatever became of it, in order."""
    people, _ = await ids(harness)
    async with harness.steward.database.session() as session:
        query = (
            select(Notification)
            .where(Notification.recipient_id == people[name], Notification.status != "cancelled")
            .order_by(Notification.id)
        )
        rows = (await session.execute(query)).scalars()
        return [(n.kind, str((n.payload.get("reminder") or {}).get("subject", ""))) for n in rows]


async def test_the_leave_command_fills_in_the_dates_and_offers_delegates_on_her_side(
    harness: Harness,
) -> None:
    samir = harness.user("samir")
    await samir.install()
    _, crs = await ids(harness)

    await samir.say("on leave 2026-12-21 to 2027-01-04")
    await harness.settle()

    form = harness.connector.sent(samir.conversation_id)[-1].card
    assert form is not None
    inputs = card_inputs(form)
    assert (inputs["starts_on"]["value"], inputs["ends_on"]["value"]) == ("2026-12-21", "2027-01-04")
    assert [c["title"] for c in inputs[f"delegate_{crs}"]["choices"]] == [
        "Nobody: the next person on the contract",
        "Beth Lowe",
        "Fiona McBride",
    ]


async def test_a_delegate_not_on_the_contract_comes_back_beside_the_field_and_nothing_is_saved(
    harness: Harness,
) -> None:
    samir = harness.user("samir")
    await samir.install()
    people, crs = await ids(harness)

    reply = await record_leave(
        harness,
        samir,
        "leave",
        starts_on="2026-12-21",
        ends_on="2026-12-18",
        **{f"delegate_{crs}": str(people["Lewis Grant"])},
    )

    assert error_beside(reply["value"], "starts_on") is None
    assert error_beside(reply["value"], "ends_on") == "The last day must be on or after the first day."
    assert (
        error_beside(reply["value"], f"delegate_{crs}")
        == "Pick someone on this contract, on your side of it."
    )
    assert card_inputs(reply["value"])["starts_on"]["value"] == "2026-12-21"
    async with harness.steward.database.session() as session:
        audited = (
            await session.execute(select(AuditEvent).where(AuditEvent.action == "leave.recorded"))
        ).all()
    assert audited == []


async def test_while_lewis_is_away_his_reminders_wait_and_come_again_when_he_is_back(
    harness: Harness,
) -> None:
    lewis = harness.user("lewis")
    await lewis.install()
    receipt = await record_leave(harness, lewis, "on leave 2026-11-16 to 2026-11-20")
    assert card_texts(receipt["value"])[:3] == [
        "Your leave is recorded",
        "First day away: Monday 16 November 2026",
        "Last day away: Friday 20 November 2026",
    ]

    await round_at(harness, MONDAY_16)
    assert await waiting_for(harness, "Lewis Grant") == []

    await round_at(harness, MONDAY_23)  # his first day back: one summary
    await round_at(harness, datetime(2026, 11, 24, 10, 0, tzinfo=UTC))  # then the reminders themselves
    assert [kind for kind, _ in await waiting_for(harness, "Lewis Grant")] == [
        "remind.leave.back",
        "remind.kpi_return.overdue",  # CRS-ACC's Q2 cohort, for payment by results
        "remind.return.overdue",
        "remind.return.overdue",
    ]


async def test_an_escalation_while_samir_is_away_goes_to_his_delegate_and_says_why(harness: Harness) -> None:
    samir = harness.user("samir")
    fiona = person(harness, "Fiona McBride", "7f1c2a10-0000-4000-8000-000000000021")
    for user in (harness.user("lewis"), samir, fiona):
        await user.install()
    people, crs = await ids(harness)
    await record_leave(
        harness,
        samir,
        "on leave 2026-11-16 to 2026-11-20",
        **{f"delegate_{crs}": str(people["Fiona McBride"])},
    )

    await round_at(harness, WEDNESDAY_18)

    assert ("remind.return.escalated", f"return:{crs}:2026-10") in await sent_to(harness, "Fiona McBride")
    assert await waiting_for(harness, "Samir Haddad") == []
    [summary] = texts_of(harness, fiona)[1:]  # after the welcome: her own escalation and Samir's, together
    october = summary.index(
        "• Commissioned rehabilitative service - accommodation: escalation: October 2026 return due Friday "
        "13 November, now overdue"
    )
    assert summary[october + 1] == "Sent to you because Samir Haddad is on leave until Friday 20 November."


async def test_with_no_delegate_the_escalation_goes_up_the_chain_to_the_programme_manager(
    harness: Harness,
) -> None:
    samir = harness.user("samir")
    await samir.install()
    _, crs = await ids(harness)
    await record_leave(harness, samir, "on leave 2026-11-16 to 2026-11-20")

    await round_at(harness, WEDNESDAY_18)

    assert ("remind.return.escalated", f"return:{crs}:2026-10") in await waiting_for(harness, "Beth Lowe")
    assert await waiting_for(harness, "Samir Haddad") == []


async def test_the_escalation_counts_only_the_working_days_lewis_was_at_work(harness: Harness) -> None:
    lewis, samir = harness.user("lewis"), harness.user("samir")
    for user in (lewis, samir):
        await user.install()
    _, crs = await ids(harness)
    await record_leave(harness, lewis, "on leave 2026-11-16 to 2026-11-20")
    october = ("remind.return.escalated", f"return:{crs}:2026-10")

    await round_at(
        harness, WEDNESDAY_18
    )  # three working days after the 13th, but Lewis was away for all three
    assert october not in await sent_to(harness, "Samir Haddad")
    await round_at(harness, datetime(2026, 11, 24, 10, 0, tzinfo=UTC))  # his Monday 23 and Tuesday 24
    assert october not in await sent_to(harness, "Samir Haddad")

    await round_at(harness, WEDNESDAY_25)  # his third working day

    assert october in await sent_to(harness, "Samir Haddad")


async def test_back_from_leave_samir_gets_one_card_of_what_went_to_fiona_and_what_is_due(
    harness: Harness,
) -> None:
    samir = harness.user("samir")
    fiona = person(harness, "Fiona McBride", "7f1c2a10-0000-4000-8000-000000000021")
    for user in (harness.user("lewis"), samir, fiona):
        await user.install()
    people, crs = await ids(harness)
    await record_leave(
        harness,
        samir,
        "on leave 2026-11-16 to 2026-11-20",
        **{f"delegate_{crs}": str(people["Fiona McBride"])},
    )
    await round_at(harness, WEDNESDAY_18)
    before = len(harness.connector.sent(samir.conversation_id))

    await round_at(harness, MONDAY_23)

    [back] = [card_texts(c.card) for c in harness.connector.sent(samir.conversation_id)[before:] if c.card]
    assert back[:3] == [
        "Welcome back",
        "While you were on leave, Monday 16 November 2026 to Friday 20 November 2026.",
        "Sent to others while you were away",
    ]
    assert (
        "• Commissioned rehabilitative service - accommodation: escalation: October 2026 return due Friday "
        "13 November, now overdue (sent to Fiona McBride)"
    ) in back
    due_now = back[back.index("Due now") + 1 :]
    assert due_now == [
        "• Commissioned rehabilitative service - accommodation: escalation: October 2026 return due Friday "
        "13 November, now overdue",
        "• Commissioned rehabilitative service - accommodation: escalation: September 2026 return due "
        "Wednesday 14 October, now overdue",
        "• Commissioned rehabilitative service - accommodation: escalation: Q2 2026/27 KPI return due "
        "Wednesday 14 October, now overdue",
        "Your usual reminders start again on your next working day.",
    ]


async def test_a_redelivered_record_press_saves_and_audits_the_leave_once(harness: Harness) -> None:
    samir = harness.user("samir")
    await samir.install()
    people, crs = await ids(harness)
    inputs = {"starts_on": "2026-12-21", "ends_on": "2027-01-04", f"delegate_{crs}": str(people["Beth Lowe"])}

    await samir.press("leave.record", inputs, activity_id="press-1")
    await samir.press("leave.record", inputs, activity_id="press-1")

    async with harness.steward.database.session() as session:
        audited = list(
            (await session.execute(select(AuditEvent).where(AuditEvent.action == "leave.recorded"))).scalars()
        )
    assert [(event.actor_id, event.after) for event in audited] == [
        (
            people["Samir Haddad"],
            {
                "person_id": people["Samir Haddad"],
                "starts_on": "2026-12-21",
                "ends_on": "2027-01-04",
                "delegates": {str(crs): people["Beth Lowe"]},
            },
        )
    ]
