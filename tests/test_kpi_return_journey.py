"""The provider's quarterly KPI return in Teams, over HTTP: the form, a bad value, the receipt, amendments."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditEvent, Notification, Person
from storage.quarter_models import KpiReturn, KpiReturnVersion
from tests.conftest import Harness
from tests.meeting_steps import contract_id, count
from tests.teams import card_actions, card_inputs, card_texts

Q2 = "2026Q2"  # July to September 2026: IVWS's year 2, when COPE, BEST and VCOP are live
GOOD = {
    "kpi_COPE": "78",
    "kpi_source_COPE": "Exit survey (Q2)",
    "kpi_evidence_COPE": "https://sharepoint.example/ivws/q2/cope.xlsx",
    "kpi_BEST": "82.5",
    "kpi_source_BEST": "Witness exit survey",
    "kpi_evidence_BEST": "IVWS witness survey Q2.pdf",
    "kpi_VCOP": "96",
    "kpi_source_VCOP": "Case management system audit",
    "kpi_evidence_VCOP": "",
}


async def submit(harness: Harness, entries: dict[str, str] | None = None, version: int = 0) -> dict:
    priya = harness.user("priya")
    data = {"contract_id": await contract_id(harness), "quarter": Q2, "based_on_version": version}
    return await priya.press("kpi_return.submit", {**data, **(entries or GOOD)})


async def test_the_welcome_offers_the_kpi_return_to_the_provider(harness: Harness) -> None:
    priya = harness.user("priya")

    await priya.install()

    [greeting] = harness.connector.sent(priya.conversation_id)
    assert "Submit a KPI return" in card_actions(greeting.card)


async def test_typing_the_command_opens_the_form_for_the_last_closed_quarter_with_each_reported_kpi(
    harness: Harness,
) -> None:
    priya = harness.user("priya")

    await priya.say("submit kpi return")

    # Priya is on IVWS and FCAR; only IVWS has KPIs, so there is nothing to pick.
    [form] = harness.connector.sent(priya.conversation_id)
    texts = card_texts(form.card)
    assert texts[:2] == ["KPI return: Q2 2026/27", "Integrated Victims and Witnesses Service"]
    assert sorted(card_inputs(form.card)) == sorted(GOOD)
    assert card_inputs(form.card)["kpi_COPE"]["label"] == (
        "COPE  Victims reporting improved ability to cope and recover"
    )
    assert "Target in year 2: at least 75." in texts
    assert "Target in year 2: at least 95." in texts
    assert list(card_actions(form.card)) == ["Submit KPI return"]


async def test_a_bad_value_comes_back_beside_its_field_with_the_entries_kept_and_nothing_saved(
    harness: Harness,
) -> None:
    body = await submit(harness, {**GOOD, "kpi_BEST": "about 80", "kpi_source_VCOP": ""})

    card = body["value"]
    texts = card_texts(card)
    assert "Please correct 2 entries below. Nothing has been saved yet." in texts
    assert card_inputs(card)["kpi_BEST"]["type"] == "Input.Text"
    assert card_inputs(card)["kpi_BEST"]["value"] == "about 80"
    assert texts[texts.index("Target in year 2: at least 80.") + 1] == (
        "Enter a number, like 78 or 78.5 (not 'about 80')."
    )
    assert "Say where the figure comes from (the data source)." in texts
    assert card_inputs(card)["kpi_COPE"]["value"] == 78
    assert await count(harness, KpiReturnVersion) == 0


async def test_the_receipt_replaces_the_form_and_the_commissioner_and_programme_manager_are_sent_it(
    harness: Harness,
) -> None:
    daniel = harness.user("daniel")
    await daniel.install()  # so Steward can reach him in his chat

    body = await submit(harness)
    await harness.settle()

    texts = card_texts(body["value"])
    assert texts[0] == "KPI return received: Q2 2026/27"
    assert "Received: 10:00 on Tuesday 03 November 2026" in texts
    assert "Sent to: Daniel Reyes, Hannah Clarke" in texts
    async with harness.steward.database.session() as session:
        stored = (await session.execute(select(KpiReturnVersion))).scalar_one()
        kpi_return = (await session.execute(select(KpiReturn))).scalar_one()
        sent = (
            await session.execute(
                select(Person.name)
                .join(Notification, Notification.recipient_id == Person.id)
                .where(Notification.kind == "kpi_return.submitted")
                .order_by(Person.name)
            )
        ).scalars()
        audit = (await session.execute(select(AuditEvent.action))).scalars().all()
    assert stored.values == {"COPE": 78.0, "BEST": 82.5, "VCOP": 96.0}
    assert stored.evidence["VCOP"] == {"source": "Case management system audit", "evidence": ""}
    assert isinstance(kpi_return.id, int) and kpi_return.quarter == Q2 and kpi_return.current_version == 1
    assert list(sent) == ["Daniel Reyes", "Hannah Clarke"]
    assert "kpi_return.submitted" in audit
    [review] = [
        c for c in harness.connector.sent(daniel.conversation_id) if card_texts(c.card)[0].startswith("KPI")
    ]
    assert card_texts(review.card)[0] == "KPI return received: Q2 2026/27"
    assert "Evidence: none supplied" in card_texts(review.card)
    assert "Open the KPI card" in card_actions(review.card)


async def test_a_second_click_on_submit_records_one_version(harness: Harness) -> None:
    await submit(harness)
    again = await submit(harness)

    assert card_texts(again["value"])[0] == "KPI return received: Q2 2026/27"
    assert await count(harness, KpiReturnVersion) == 1


async def test_an_amendment_keeps_the_earlier_version_and_the_first_receipt(harness: Harness) -> None:
    await submit(harness)
    priya = harness.user("priya")
    await priya.press("kpi_return.amend", {"contract_id": await contract_id(harness), "quarter": Q2})
    assert card_inputs(priya.card)["kpi_COPE"]["value"] == 78
    assert card_inputs(priya.card)["kpi_source_COPE"]["value"] == "Exit survey (Q2)"

    body = await submit(harness, {**GOOD, "kpi_COPE": "79"}, version=1)

    assert card_texts(body["value"])[0] == "KPI return amendment received: Q2 2026/27"
    async with harness.steward.database.session() as session:
        versions = (
            await session.execute(select(KpiReturnVersion).order_by(KpiReturnVersion.version))
        ).scalars()
        values = [v.values["COPE"] for v in versions]
    assert values == [78.0, 79.0]


async def test_a_quarter_not_yet_closed_is_refused(harness: Harness) -> None:
    priya = harness.user("priya")

    await priya.press("kpi_return.open", {"contract_id": await contract_id(harness), "quarter": "2026Q3"})

    assert "The Q3 2026/27 KPI return can be made once the quarter has closed." in card_texts(priya.card)


async def test_a_commissioner_cannot_submit_the_providers_kpi_return(harness: Harness) -> None:
    daniel = harness.user("daniel")
    data = {"contract_id": await contract_id(harness), "quarter": Q2, "based_on_version": 0, **GOOD}

    await daniel.press("kpi_return.submit", data)

    assert "You don't have a role on that contract that allows this." in card_texts(daniel.card)
    assert await count(harness, KpiReturnVersion) == 0


async def kpi_reminders(harness: Harness) -> list[tuple[str, str, str]]:
    ivws = await contract_id(harness)  # IVWS's reminders; CRS-ACC's KPI return is chased too
    async with harness.steward.database.session() as session:
        rows = await session.execute(
            select(Notification.kind, Person.name, Notification.status)
            .join(Person, Person.id == Notification.recipient_id)
            .where(Notification.kind.startswith("remind.kpi_return"))  # type: ignore[attr-defined]
            .where(Notification.contract_id == ivws)
            .order_by(Notification.kind, Person.name)
        )
        return [tuple(row) for row in rows.all()]  # type: ignore[misc]


async def test_the_sweep_chases_the_missing_kpi_return_and_stops_once_it_is_in(harness: Harness) -> None:
    # Q2 closed on 30 September; due 14 October; on 3 November it is overdue and past both escalations.
    await harness.steward.sweep.run_once()
    await harness.settle()

    chased = await kpi_reminders(harness)
    assert [(kind, name) for kind, name, _ in chased] == [
        ("remind.kpi_return.director", "Amara Okafor"),
        ("remind.kpi_return.escalated", "Daniel Reyes"),
        ("remind.kpi_return.escalated", "Tom Whitaker"),
        ("remind.kpi_return.overdue", "Priya Shah"),
    ]

    await submit(harness)
    await harness.steward.sweep.run_once()

    assert len(await kpi_reminders(harness)) == len(chased)  # nothing more is sent about it


async def test_a_redelivered_submit_records_one_version_and_sends_once(harness: Harness) -> None:
    priya = harness.user("priya")
    data = {"contract_id": await contract_id(harness), "quarter": Q2, "based_on_version": 0, **GOOD}

    await priya.press("kpi_return.submit", data, activity_id="redelivered-1")
    await priya.press("kpi_return.submit", data, activity_id="redelivered-1")

    assert card_texts(priya.card)[0] == "KPI return received: Q2 2026/27"
    assert await count(harness, KpiReturnVersion) == 1
    async with harness.steward.database.session() as session:
        sent = (
            await session.execute(select(Notification.key).where(Notification.kind == "kpi_return.submitted"))
        ).scalars()
        assert len(list(sent)) == 2  # Daniel and Hannah, once each
