"""Fee for service and payment by results over HTTP, on the demo's CRS-ACC contract (no KPIs, seed 004 terms).

CRS-ACC's terms (examples/demo-portfolio.yaml, illustrative): £110,000 a quarter in year 1 less 2% a
year; binary baseline 42% at £1,200 a reoffender fewer (£600 penalty a reoffender more); frequency
baseline 1.5 reoffences per offender at £250 a reoffence fewer (£125 penalty). Q2 2026/27 is year 2.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.quarter_report import summarise
from storage.models import AuditEvent, Notification, Person
from storage.quarter_models import KpiReturnVersion
from tests.conftest import Harness
from tests.meeting_steps import contract_id, count
from tests.teams import TeamsUser, card_actions, card_inputs, card_texts, elements

Q2 = "2026Q2"
COHORT = {"cohort_offenders": "150", "cohort_reoffenders": "57", "cohort_reoffences": "195"}


def beside(card: dict, input_id: str) -> str:
    """What follows an input on the card: its error when it has one, else the next input's label."""
    found = list(elements(card))
    position = next(i for i, element in enumerate(found) if element.get("id") == input_id)
    following = found[position + 1]
    return following.get("text") or following.get("label", "")


async def submit_cohort(harness: Harness, entries: dict[str, str] | None = None) -> dict:
    lewis = harness.user("lewis")
    data = {"contract_id": await contract_id(harness, "CRS-ACC"), "quarter": Q2, "based_on_version": 0}
    return await lewis.press("kpi_return.submit", {**data, **(entries or COHORT)})


async def open_card(harness: Harness, who: str = "samir") -> TeamsUser:
    person = harness.user(who)
    await person.press("quarter.card", {"contract_id": await contract_id(harness, "CRS-ACC"), "quarter": Q2})
    return person


async def test_the_kpi_return_asks_a_pbr_contract_for_its_cohort(harness: Harness) -> None:
    lewis = harness.user("lewis")

    await lewis.say("submit kpi return")

    [form] = harness.connector.sent(lewis.conversation_id)
    texts = card_texts(form.card)
    assert texts[:3] == [
        "KPI return: Q2 2026/27",
        "Commissioned rehabilitative service - accommodation",
        "The return gives the payment-by-results cohort.",
    ]
    assert "Payment by results: the cohort" in texts
    assert sorted(card_inputs(form.card)) == ["cohort_offenders", "cohort_reoffences", "cohort_reoffenders"]
    assert card_inputs(form.card)["cohort_reoffenders"]["label"] == "Of them, how many reoffended"


async def test_a_bad_cohort_comes_back_beside_its_field_with_the_values_kept_and_nothing_saved(
    harness: Harness,
) -> None:
    body = await submit_cohort(
        harness, {"cohort_offenders": "150", "cohort_reoffenders": "160", "cohort_reoffences": "lots"}
    )

    card = body["value"]
    texts = card_texts(card)
    inputs = card_inputs(card)
    assert "Please correct 2 entries below. Nothing has been saved yet." in texts
    assert (
        beside(card, "cohort_reoffenders") == "There cannot be more reoffenders (160) than offenders (150)."
    )
    assert beside(card, "cohort_reoffences") == "Enter a whole number from 0, like 120 (not 'lots')."
    assert beside(card, "cohort_offenders") == "Of them, how many reoffended"  # the next input's label: fine
    assert (inputs["cohort_offenders"]["value"], inputs["cohort_reoffenders"]["value"]) == (150, 160)
    assert (inputs["cohort_reoffences"]["type"], inputs["cohort_reoffences"]["value"]) == (
        "Input.Text",
        "lots",
    )
    assert await count(harness, KpiReturnVersion) == 0


async def test_the_cohort_is_stored_with_the_kpi_return_version_and_audited(harness: Harness) -> None:
    body = await submit_cohort(harness)

    assert card_texts(body["value"])[0] == "KPI return received: Q2 2026/27"
    async with harness.steward.database.session() as session:
        stored = (await session.execute(select(KpiReturnVersion))).scalar_one()
        audit = (
            await session.execute(select(AuditEvent.after).where(AuditEvent.action == "kpi_return.submitted"))
        ).scalar_one()
    assert (stored.values, stored.cohort) == ({}, {"offenders": 150, "reoffenders": 57, "reoffences": 195})
    assert audit["cohort"] == {"offenders": 150, "reoffenders": 57, "reoffences": 195}


async def test_before_the_cohort_the_kpi_card_shows_the_fee_and_pbr_waiting(harness: Harness) -> None:
    samir = await open_card(harness)

    texts = card_texts(samir.card)
    assert texts[:2] == ["KPI card: Q2 2026/27", "Commissioned rehabilitative service - accommodation"]
    assert "This quarter: £107,800.00" in texts
    assert "Year 2: £110,000.00 a quarter in year 1, less 2% learning-curve discount (2% a year)" in texts
    assert (
        "This quarter: the Q2 2026/27 cohort is not reported yet: it comes with the quarter's KPI return"
        in texts
    )
    assert (
        "Fee for service £107,800.00 + payment by results not worked out yet: no total until every part is "
        "worked out." in texts
    )
    assert "Approve the quarter's payment" in texts
    assert not any(title.endswith("as computed") for title in card_actions(samir.card))


async def test_with_the_cohort_the_kpi_card_shows_each_measure_and_what_the_quarter_pays(
    harness: Harness,
) -> None:
    await submit_cohort(harness)

    samir = await open_card(harness)

    texts = card_texts(samir.card)
    assert "Cohort: 150 offenders, 57 reoffended, 195 reoffences (from the provider's KPI return)." in texts
    binary = texts.index("Binary: the share of the cohort who reoffend")
    # 57 of 150 is 38%, 4 points under 42%: 6 fewer reoffenders × £1,200.
    assert texts[binary + 1 : binary + 5] == [
        "Baseline: 42%",
        "This quarter: 38%",
        "Payment: £7,200.00",
        "Why: better than the baseline",
    ]
    frequency = texts.index("Frequency: reoffences per offender")
    # 195 reoffences is 1.3 per offender, 0.2 under 1.5: 30 fewer reoffences × £250.
    assert texts[frequency + 1 : frequency + 4] == [
        "Baseline: 1.5",
        "This quarter: 1.3",
        "Payment: £7,500.00",
    ]
    assert "Payment by results this quarter: £14,700.00" in texts
    assert "Fee for service £107,800.00 + payment by results £14,700.00 = £122,500.00 to pay." in texts
    assert "Approve £122,500.00 as computed" in card_actions(samir.card)


async def test_approving_records_the_total_of_the_parts(harness: Harness) -> None:
    await submit_cohort(harness)
    samir = await open_card(harness)

    ref = {"contract_id": await contract_id(harness, "CRS-ACC"), "quarter": Q2}
    await samir.press("quarter.approve", {**ref, "adjusted": False})

    texts = card_texts(samir.card)
    assert "Quarter's payment approved" in texts
    assert "Approved: £122,500.00" in texts
    async with harness.steward.database.session() as session:
        summary = (await summarise(session, "CRS-ACC", "2026-Q2")).as_json()
    assert (summary["total"], summary["approved"]["amount"]) == ("122500.00", "122500.00")


async def test_amending_opens_the_form_with_the_stored_cohort(harness: Harness) -> None:
    await submit_cohort(harness)
    lewis = harness.user("lewis")

    await lewis.press(
        "kpi_return.amend", {"contract_id": await contract_id(harness, "CRS-ACC"), "quarter": Q2}
    )

    inputs = card_inputs(lewis.card)
    assert "Amending submitted version 1; the earlier version will be kept." in card_texts(lewis.card)
    assert [inputs[f"cohort_{name}"]["value"] for name in ("offenders", "reoffenders", "reoffences")] == [
        150,
        57,
        195,
    ]


async def test_the_provider_is_offered_the_kpi_return_on_the_welcome_card(harness: Harness) -> None:
    lewis = harness.user("lewis")

    await lewis.install()

    [greeting] = harness.connector.sent(lewis.conversation_id)
    assert "Submit a KPI return" in card_actions(greeting.card)


async def test_the_sweep_chases_the_cohort_like_any_kpi_return(harness: Harness) -> None:
    crs = await contract_id(harness, "CRS-ACC")

    await harness.steward.sweep.run_once()

    async with harness.steward.database.session() as session:
        rows = await session.execute(
            select(Notification.kind, Person.name)
            .join(Person, Person.id == Notification.recipient_id)
            .where(Notification.kind.startswith("remind.kpi_return"), Notification.contract_id == crs)  # type: ignore[attr-defined]
            .order_by(Notification.kind, Person.name)
        )
        chased = [tuple(row) for row in rows.all()]
    assert ("remind.kpi_return.overdue", "Lewis Grant") in chased
