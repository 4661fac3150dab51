"""The commissioner's KPI card over HTTP: results and payment, the evidence checklist, approval, a forged approval."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.quarter_report import summarise
from storage.models import AuditEvent
from storage.quarter_models import KpiEvidenceCheck, OutcomeApproval
from tests.conftest import Harness
from tests.meeting_steps import IVWS_GOOD, contract_id, count, submit_return
from tests.teams import TeamsUser, card_actions, card_inputs, card_texts
from tests.test_kpi_return_journey import GOOD, Q2, submit

# COPE 72 misses its all-or-nothing target of 75; everything else meets its target.
KPI_RETURN = {**GOOD, "kpi_COPE": "72"}
ALL_COMPLETE = {f"evidence_{code}": "complete" for code in ("REF", "SAT", "COPE", "BEST")}
VCOP_GAP = {"evidence_VCOP": "gap", "evidence_reason_VCOP": "Audit sample follows in November; accepted"}


async def quarter_in(harness: Harness) -> None:
    """July, August and September's returns (2,710 referrals, 84% satisfied each month), and the KPI return."""
    for month in ("2026-07", "2026-08", "2026-09"):
        await submit_return(harness, month, IVWS_GOOD)
    await submit(harness, KPI_RETURN)


async def open_card(harness: Harness, who: str = "daniel") -> TeamsUser:
    person = harness.user(who)
    await person.press("quarter.card", {"contract_id": await contract_id(harness), "quarter": Q2})
    return person


async def press(person: TeamsUser, harness: Harness, verb: str, **entries: Any) -> list[str]:
    await person.press(verb, {"contract_id": await contract_id(harness), "quarter": Q2, **entries})
    return card_texts(person.card)


def section(texts: list[str], heading: str) -> list[str]:
    """The lines of one KPI's part of the card, from its heading up to the next KPI's."""
    start = texts.index(heading)
    rest = texts[start + 1 :]
    end = next((i for i, line in enumerate(rest) if "(live)" in line or "(baseline year)" in line), len(rest))
    return texts[start : start + 1 + end]


async def test_typing_kpi_card_opens_the_last_closed_quarter_with_the_payment_and_why_not_yet(
    harness: Harness,
) -> None:
    daniel = harness.user("daniel")

    await daniel.say("kpi card")

    [shown] = harness.connector.sent(daniel.conversation_id)
    texts = card_texts(shown.card)
    assert texts[:3] == [
        "KPI card: Q2 2026/27",
        "Integrated Victims and Witnesses Service",
        "Year 2 of the contract. Results from the monthly returns and the provider's KPI return (not received yet).",
    ]
    assert "Outcome pot: £193,750.00" in texts
    assert "Payment: not worked out" in texts
    assert "• COPE has no result: no result for COPE in the Q2 2026/27 KPI return" in texts
    assert (
        "• REF has no result: no data: July 2026 has no return; August 2026 has no return; "
        "September 2026 has no return" in texts
    )


async def test_the_card_shows_each_kpis_result_target_achievement_weight_and_earnings(
    harness: Harness,
) -> None:
    await quarter_in(harness)

    texts = card_texts((await open_card(harness)).card)

    # weights 20 + 20 + 25 + 20 + 15; COPE's 25% share is lost: 0.75 of £193,750 = £145,312.50
    assert "Weighted achievement: 75%" in texts
    assert "Payment: £145,312.50" in texts
    assert section(texts, "REF  Referral volumes (live)")[:7] == [
        "REF  Referral volumes (live)",
        "Result: 8,130",
        "Target: at least 7,500",
        "Achievement: 100%",
        "Weight this year: 20 (20% of the payment)",
        "Earns: £38,750.00",
        "Data source: the monthly returns (PI1), as submitted.",
    ]
    cope = section(texts, "COPE  Victims reporting improved ability to cope and recover (live)")
    assert cope[1:6] == [
        "Result: 72",
        "Target: at least 75",
        "Achievement: 0%",
        "Weight this year: 25 (25% of the payment)",
        "Earns: £0.00",
    ]
    assert "Data source: Exit survey (Q2)" in cope
    assert "Evidence supplied: https:\u2060//sharepoint.example/ivws/q2/cope.xlsx" in cope
    assert "Evidence supplied: none" in section(texts, "VCOP  Code of Practice for Victims compliance (live)")


async def test_approval_is_refused_until_every_kpis_evidence_is_checked_and_nothing_is_recorded(
    harness: Harness,
) -> None:
    await quarter_in(harness)
    daniel = await open_card(harness)
    blocked = (
        "The payment cannot be approved until the evidence checklist is complete: REF, SAT, COPE, BEST, VCOP "
        "are not checked yet. Mark each one complete, or sign off the gap with a reason, and save the checklist."
    )
    assert blocked in card_texts(daniel.card)

    texts = await press(daniel, harness, "quarter.approve", adjusted=False, **ALL_COMPLETE)

    assert texts.count(blocked) == 2  # the card's warning, and the error beside the approve buttons
    assert await count(harness, OutcomeApproval) == 0


async def test_a_gap_needs_a_reason_beside_it_then_signing_it_off_allows_the_approval(
    harness: Harness,
) -> None:
    await quarter_in(harness)
    daniel = await open_card(harness)

    texts = await press(
        daniel, harness, "quarter.evidence", **ALL_COMPLETE, evidence_VCOP="gap", evidence_reason_VCOP="later"
    )
    vcop = section(texts, "VCOP  Code of Practice for Victims compliance (live)")
    assert "Give a reason of at least 10 characters: why the gap is accepted." in vcop
    assert card_inputs(daniel.card)["evidence_reason_VCOP"]["value"] == "later"
    assert await count(harness, KpiEvidenceCheck) == 0

    texts = await press(daniel, harness, "quarter.evidence", **ALL_COMPLETE, **VCOP_GAP)

    assert "Evidence checklist saved." in texts
    assert "Evidence complete: Daniel Reyes, Tuesday 3 November 2026 at 10:00." in texts
    assert (
        "Evidence gap signed off by Daniel Reyes, Tuesday 3 November 2026 at 10:00: "
        "Audit sample follows in November; accepted" in texts
    )
    assert not any(line.startswith("The payment cannot be approved") for line in texts)
    assert "Approve £145,312.50 as computed" in card_actions(daniel.card)
    assert await count(harness, KpiEvidenceCheck) == 5


async def test_the_approval_is_recorded_audited_and_on_steward_quarter(harness: Harness) -> None:
    await quarter_in(harness)
    daniel = await open_card(harness)
    await press(daniel, harness, "quarter.evidence", **ALL_COMPLETE, **VCOP_GAP)

    texts = await press(daniel, harness, "quarter.approve", adjusted=False)
    again = await press(daniel, harness, "quarter.approve", adjusted=False)  # a second click

    assert "Outcome payment approved. The provider has been told." in texts
    assert "Approved: £145,312.50" in texts
    assert "By: Daniel Reyes" in texts
    assert "This quarter's payment was approved already; nothing more was recorded." in again
    assert await count(harness, OutcomeApproval) == 1
    async with harness.steward.database.session() as session:
        audit = (
            await session.execute(select(AuditEvent).where(AuditEvent.action == "outcome_payment.approved"))
        ).scalar_one()
        summary = (await summarise(session, "IVWS", "2026-Q2")).as_json()
    assert audit.after == {
        "quarter": Q2,
        "computed_pence": 14_531_250,
        "amount_pence": 14_531_250,
        "reason": "",
    }
    assert summary["payment"] == "145312.50"
    assert summary["approved"] == {
        "by": "daniel.reyes@mopac.example",
        "at": "2026-11-03T10:00:00+00:00",
        "amount": "145312.50",
        "reason": "",
    }
    assert [kpi["result"] for kpi in summary["kpis"]] == [8130.0, 84.0, 72.0, 82.5, 96.0]


async def test_an_adjusted_amount_is_checked_beside_its_field_then_recorded_with_its_reason(
    harness: Harness,
) -> None:
    await quarter_in(harness)
    daniel = await open_card(harness)
    await press(daniel, harness, "quarter.evidence", **ALL_COMPLETE, **VCOP_GAP)

    texts = await press(
        daniel,
        harness,
        "quarter.approve",
        adjusted=True,
        approve_amount="200,000",
        approve_reason="too short",
    )
    assert "The payment cannot be more than the quarter's pot, £193750.00." in texts
    assert "Give a reason of at least 10 characters: why the payment differs from the computed one." in texts
    assert card_inputs(daniel.card)["approve_amount"]["value"] == "200,000"
    assert await count(harness, OutcomeApproval) == 0

    reason = "COPE survey sample too small to rely on; agreed at the meeting"
    texts = await press(
        daniel, harness, "quarter.approve", adjusted=True, approve_amount="£160,000", approve_reason=reason
    )

    assert "Approved: £160,000.00" in texts
    assert "Computed: £145,312.50" in texts
    assert f"Reason: {reason}" in texts


async def test_a_forged_approval_by_the_provider_is_refused_and_records_nothing(harness: Harness) -> None:
    await quarter_in(harness)
    daniel = await open_card(harness)
    await press(daniel, harness, "quarter.evidence", **ALL_COMPLETE, **VCOP_GAP)
    priya = harness.user("priya")

    texts = await press(
        priya, harness, "quarter.approve", adjusted=True, approve_amount="193750", approve_reason="x" * 20
    )

    assert "You don't have a role on that contract that allows this." in texts
    assert await count(harness, OutcomeApproval) == 0
    async with harness.steward.database.session() as session:
        refused = (
            (await session.execute(select(AuditEvent.after).where(AuditEvent.action == "refused")))
            .scalars()
            .all()
        )
    assert any("approve_payment" in str(after) for after in refused)


async def test_the_programme_manager_keeps_the_checklist_but_only_the_commissioner_approves(
    harness: Harness,
) -> None:
    await quarter_in(harness)

    hannah = await open_card(harness, "hannah")

    assert "Only the contract's commissioner can approve the payment." in card_texts(hannah.card)
    assert "Save evidence checklist" in card_actions(hannah.card)
    assert not any(title.startswith("Approve") for title in card_actions(hannah.card))


async def test_the_provider_is_told_once_when_the_payment_is_approved(harness: Harness) -> None:
    await quarter_in(harness)
    priya = harness.user("priya")
    await priya.install()
    daniel = await open_card(harness)
    await press(daniel, harness, "quarter.evidence", **ALL_COMPLETE, **VCOP_GAP)

    await press(daniel, harness, "quarter.approve", adjusted=False)
    await press(daniel, harness, "quarter.approve", adjusted=False)  # a second click tells nobody again
    await harness.settle()

    told = [
        c.card for c in harness.connector.sent(priya.conversation_id) if "payment approved" in str(c.card)
    ]
    assert len(told) == 1
    assert card_texts(told[0]) == [  # type: ignore[arg-type]
        "Outcome payment approved: Q2 2026/27",
        "Integrated Victims and Witnesses Service",
        "Approved: £145,312.50, by Daniel Reyes on Tuesday 3 November 2026 at 10:00.",
    ]
