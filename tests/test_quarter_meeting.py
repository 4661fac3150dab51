"""The quarterly meeting of a contract with KPIs: the rules' results instead of typed ones, the approval on the minutes."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.meeting_models import Meeting
from tests.conftest import Harness
from tests.meeting_steps import only, open_record_form, record, schedule, submit_return
from tests.teams import card_actions, card_inputs, card_texts
from tests.test_kpi_return_journey import submit as submit_kpi_return
from tests.test_meetings_quarterly import quarterly_meeting
from tests.test_quarter_card_journey import ALL_COMPLETE, KPI_RETURN, VCOP_GAP, open_card, press


async def quarter_with_meeting(harness: Harness) -> int:
    """July to September's returns, the KPI return, and Q2's quarterly meeting on Monday 9 November."""
    for month in ("2026-07", "2026-08"):
        await submit_return(harness, month)
    meeting = await quarterly_meeting(harness)
    await submit_kpi_return(harness, KPI_RETURN)
    return meeting


async def test_the_record_form_shows_the_worked_out_kpis_and_asks_for_no_typed_results(
    harness: Harness,
) -> None:
    meeting = await quarter_with_meeting(harness)

    daniel = await open_record_form(harness, meeting)

    texts = card_texts(daniel.card)
    review = texts[texts.index("KPI review") :]
    assert review[1:5] == [
        "Worked out from the monthly returns and the provider's KPI return.",
        "Referral volumes",
        "Target: at least 7,500",
        "8,130 (100% achieved)",
    ]
    assert "72 (0% achieved)" in review
    assert "Outcome payment worked out: £145,312.50 of £193,750.00, not approved yet." in review
    inputs = card_inputs(daniel.card)
    assert not any(key.startswith("kpi_KPI") for key in inputs)
    assert "kpi_note_COPE" in inputs


async def test_the_agenda_offers_the_kpi_card_to_the_commissioning_team(harness: Harness) -> None:
    meeting = await quarter_with_meeting(harness)
    daniel = harness.user("daniel")

    await daniel.press("meeting.agenda", {"meeting_id": meeting})

    assert "KPI card" in card_actions(daniel.card)
    assert "• User satisfaction: 84 (100% achieved) (Green)" in card_texts(daniel.card)


async def test_the_minutes_show_the_approved_payment_with_who_when_and_why(harness: Harness) -> None:
    meeting = await quarter_with_meeting(harness)
    harness.clock.set(datetime(2026, 11, 9, 11, 0, tzinfo=UTC))
    daniel = await open_card(harness)
    await press(daniel, harness, "quarter.evidence", **ALL_COMPLETE, **VCOP_GAP)
    reason = "COPE survey sample too small; agreed at the meeting"
    await press(
        daniel, harness, "quarter.approve", adjusted=True, approve_amount="160000", approve_reason=reason
    )
    harness.clock.set(datetime(2026, 11, 9, 12, 0, tzinfo=UTC))

    daniel = await record(harness, meeting, deep_dive="Witness care at Crown Court")

    texts = card_texts(daniel.card)
    assert texts[0] == "Minutes: Quarterly contract meeting: Q2 2026/27"
    assert "Outcome payment approved: £160,000.00" in texts
    assert "Approved by: Daniel Reyes, Monday 9 November 2026 at 11:00" in texts
    assert "Computed: £145,312.50" in texts
    assert f"Reason: {reason}" in texts


async def test_the_quarterly_meetings_deadline_runs_from_the_kpi_return_when_it_comes_in_later(
    harness: Harness,
) -> None:
    september = await submit_return(harness, "2026-09")  # Tuesday 3 November: deadline Tuesday 10 November
    harness.clock.set(datetime(2026, 11, 5, 10, 0, tzinfo=UTC))
    await submit_kpi_return(harness, KPI_RETURN)  # Thursday 5 November

    await schedule(harness, september, "2026-11-12", "10:00")

    stored = await only(harness, Meeting)
    assert stored.deadline_on.isoformat() == "2026-11-12"
