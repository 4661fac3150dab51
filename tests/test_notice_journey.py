"""The Contract Performance Notice card over HTTP: the year's ratings, commentary checked and kept, the export."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from storage.models import AuditEvent
from storage.quarter_models import PerformanceNotice
from tests.conftest import Harness
from tests.meeting_steps import IVWS_GOOD, contract_id, count, submit_return
from tests.teams import TeamsUser, card_actions, card_texts
from tests.test_gonogo_download import XLSX, download_link, follow
from tests.test_improvement_sweep import installed, reminders, sweep_at

FORMULA = '=HYPERLINK("http://evil.example","Referrals")'


async def year_one_closing(harness: Harness) -> TeamsUser:
    """January to March 2026 (the last quarter of year 1), 2,710 referrals and 84% satisfied each month."""
    for month in ("2026-01", "2026-02", "2026-03"):
        await submit_return(harness, month, IVWS_GOOD)
    daniel = harness.user("daniel")
    await daniel.press("notice.start", {})
    return daniel


async def save(daniel: TeamsUser, harness: Harness, **commentary: str) -> list[str]:
    entries = {f"notice_commentary_{code}": text for code, text in commentary.items()}
    await daniel.press("notice.save", {"contract_id": await contract_id(harness), "year": 1, **entries})
    return card_texts(daniel.card)


async def test_the_notice_rates_each_kpi_on_the_year_with_the_quarters_behind_it(harness: Harness) -> None:
    daniel = await year_one_closing(harness)
    await daniel.say("performance notice")
    [shown] = harness.connector.sent(daniel.conversation_id)
    texts = card_texts(shown.card)

    assert texts[:3] == [
        "Contract Performance Notice: year 1",
        "Integrated Victims and Witnesses Service",
        "From 2025-04-01 to 2026-03-31, from the KPI results as stored.",
    ]
    # REF: 3 × 2,710 = 8,130 of 7,500; SAT 84 of 80; the outcome KPIs collect a baseline in year 1.
    assert "Before publishing: only 2 KPI(s) can be rated; a notice reports on at least 3." in texts
    assert "REF  Referral volumes: Good" in texts and "SAT  User satisfaction: Good" in texts
    assert "VCOP  Code of Practice for Victims compliance: Other" in texts
    assert list(card_actions(shown.card)) == ["Save commentary", "Download Excel", "Download CSV"]
    assert await count(harness, PerformanceNotice) == 1


async def test_a_commentary_over_the_limit_comes_back_beside_its_kpi_and_nothing_is_saved(
    harness: Harness,
) -> None:
    daniel = await year_one_closing(harness)

    texts = await save(daniel, harness, REF="Referrals held up all year.", SAT="x" * 1001)

    assert "Keep the commentary under 1,000 characters (it has 1,001)." in texts
    async with harness.steward.database.session() as session:
        row = (await session.execute(select(PerformanceNotice))).scalar_one()
    assert (row.commentary, row.reviewed_at) == ({}, None)


async def test_the_commentary_is_kept_audited_and_exported_safe_from_formulas(harness: Harness) -> None:
    daniel = await year_one_closing(harness)

    texts = await save(daniel, harness, REF=FORMULA, SAT="Satisfaction held above 80% all year.")
    assert "Commentary saved." in texts
    action = card_actions(daniel.card)["Download Excel"]
    await daniel.press(action["verb"], {k: v for k, v in action["data"].items() if k != "verb"})
    response = await follow(harness, download_link(daniel.card))

    assert (response.status, response.headers["Content-Type"]) == (200, XLSX)
    sheet = load_workbook(io.BytesIO(await response.read()))["Notice"]
    rows = list(sheet.iter_rows(values_only=True))
    assert [(row[4], row[6], row[9]) for row in rows[1:3]] == [
        ("REF", "Good", "'" + FORMULA),
        ("SAT", "Good", "Satisfaction held above 80% all year."),
    ]
    async with harness.steward.database.session() as session:
        actions = (await session.execute(select(AuditEvent.action))).scalars().all()
    assert {"performance_notice.reviewed", "performance_notice.downloaded"} <= set(actions)


async def test_a_forged_save_by_the_provider_is_refused_and_keeps_nothing(harness: Harness) -> None:
    await year_one_closing(harness)
    priya = harness.user("priya")

    texts = await save(priya, harness, REF="The provider writes its own notice.")

    assert "You don't have a role on that contract that allows this." in texts
    async with harness.steward.database.session() as session:
        row = (await session.execute(select(PerformanceNotice))).scalar_one()
    assert row.commentary == {}


async def test_when_the_year_ends_the_sweep_sends_the_commissioner_the_draft_once(harness: Harness) -> None:
    await installed(harness)

    # Year 2 of IVWS (2026/27) ends on 31 March 2027; the sweep on 1 April sends Daniel the draft.
    await sweep_at(harness, datetime(2027, 4, 1, 8, 30, tzinfo=UTC))
    await sweep_at(harness, datetime(2027, 4, 2, 8, 30, tzinfo=UTC))

    assert await reminders(harness, "notice.") == [("remind.notice.drafted", "Daniel Reyes", "sent")]
    # Daniel's other notices that morning (overdue returns) come with it, gathered into one message.
    [card] = [c.card for c in harness.connector.sent() if "performance notice to review" in str(c.card)]
    assert "• Integrated Victims and Witnesses Service: year 2 performance notice to review" in card_texts(
        card
    )  # type: ignore[arg-type]
    assert any("Review the notice" in title for title in card_actions(card))  # type: ignore[arg-type]
    daniel = harness.user("daniel")
    await daniel.press("notice.card", {"contract_id": await contract_id(harness), "year": 2})
    assert card_texts(daniel.card)[0] == "Contract Performance Notice: year 2"
