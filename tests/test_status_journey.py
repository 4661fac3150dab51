"""The status and portfolio cards over HTTP: ratings, KPIs, meetings, what is overdue, the trend chart, who sees what."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from commissioning.actions import ActionLevel
from commissioning.periods import Month
from storage.improvement_models import PipRecord
from storage.models import AuditEvent, Contract
from storage.repositories import Repositories
from tests.cardschema import assert_valid_card
from tests.conftest import Harness
from tests.meeting_steps import IVWS_SHORT, contract_id, person_id, submit_return
from tests.teams import card_actions, card_texts, elements
from tests.test_kpi_return_journey import submit as kpi_return_submit

LONDON = ZoneInfo("Europe/London")
# July to September 2026 (Q2 of contract year 2), seeded as received returns; October comes in over HTTP
# (IVWS_SHORT: PI2 87% amber, PI4 120 red). REF adds PI1 over Q2: 2,600 + 2,450 + 2,550 = 7,600 against
# 7,500 (green); SAT is the mean of PI6: (78 + 79 + 80) / 3 = 79 against 80, floor 72 (amber).
SEEDED = {
    "2026-07": {"PI1": 2600, "PI2": 91, "PI3": 86, "PI4": 155, "PI5": 410, "PI6": 78, "PI7": 1},
    "2026-08": {"PI1": 2450, "PI2": 88, "PI3": 85, "PI4": 150, "PI5": 400, "PI6": 79, "PI7": 1},
    "2026-09": {"PI1": 2550, "PI2": 90, "PI3": 87, "PI4": 160, "PI5": 420, "PI6": 80, "PI7": 1},
}


async def seed_returns(harness: Harness, months: dict[str, dict[str, float]] = SEEDED) -> None:
    """Priya's returns for `months`, each received on the 5th of the month after, at 10:00."""
    async with harness.steward.database.session() as session:
        repos = Repositories.on(session)
        contract = (await session.execute(select(Contract).where(Contract.key == "IVWS"))).scalar_one()
        indicators = await repos.contracts.indicators(contract.id)
        priya = await repos.people.by_email("priya.shah@victimsupport.example")
        assert priya is not None
        for key, values in months.items():
            month = Month.parse(key)
            received = datetime.combine(month.next().first_day.replace(day=5), datetime.min.time(), LONDON)
            received = received.replace(hour=10)
            monthly = await repos.returns.find_or_create(contract.id, month, received)
            await repos.returns.submit(
                monthly,
                based_on_version=0,
                values=values,
                indicators=indicators,
                narrative="Seeded for the status card.",
                by_id=priya.id,
                now=received,
            )


async def overdue_action(harness: Harness, what: str, due: date) -> None:
    daniel, priya = await person_id(harness, "daniel"), await person_id(harness, "priya")
    ivws = await contract_id(harness)
    async with harness.steward.database.session() as session:
        await Repositories.on(session).actions.add_action(
            contract_id=ivws,
            meeting_id=None,
            description=what,
            owner_id=priya,
            due_on=due,
            level=ActionLevel.MONTHLY,
            by_id=daniel,
            now=harness.clock.now(),
        )


def charts(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [element for element in elements(card) if element["type"] == "Chart.Line"]


async def ivws_with_history(harness: Harness) -> None:
    await seed_returns(harness)
    await submit_return(harness, "2026-10", IVWS_SHORT)  # received Tuesday 3 November 2026


async def test_the_commissioner_types_status_and_sees_each_pi_rated_in_words_from_the_latest_return(
    harness: Harness,
) -> None:
    await ivws_with_history(harness)
    daniel = harness.user("daniel")

    await daniel.say("status IVWS")

    [reply] = [c for c in harness.connector.sent(daniel.conversation_id) if "Contract status" in str(c.card)]
    texts = card_texts(reply.card)
    start = texts.index("Performance indicators")
    assert texts[start : start + 24] == [
        "Performance indicators",
        "Latest return: October 2026, received Tuesday 3 November 2026.",
        "✖ 1 red · ▲ 1 amber · ✔ 5 green",
        "PI1 Referrals received", "2,710", "✔ Green",
        "PI2 Victims contacted within two working days", "87%", "▲ Amber",
        "PI3 Needs assessments completed", "88%", "✔ Green",
        "PI4 High-risk victims supported", "120", "✖ Red",
        "PI5 Witnesses given pre-trial support", "431", "✔ Green",
        "PI6 User satisfaction", "84%", "✔ Green",
        "PI7 Safeguarding concerns escalated within 24 hours", "Yes", "✔ Green",
    ]  # fmt: skip
    assert_valid_card(reply.card)


async def test_each_kpi_shows_its_latest_quarter_with_a_result_and_a_reported_kpi_says_no_result_yet(
    harness: Harness,
) -> None:
    await ivws_with_history(harness)
    daniel = harness.user("daniel")

    await daniel.press("status.show", {"contract_id": await contract_id(harness)})

    texts = card_texts(daniel.card)
    start = texts.index("Key performance indicators")
    assert texts[start : start + 17] == [
        "Key performance indicators",
        "Each KPI in its latest quarter with a result.",
        "REF Referral volumes", "Q2 2026/27: 7,600 against a target of 7,500", "✔ Green",
        "SAT User satisfaction", "Q2 2026/27: 79 against a target of 80", "▲ Amber",
        "COPE Victims reporting improved ability to cope and recover", "–", "no result yet",
        "BEST Witnesses reporting they could give their best evidence", "–", "no result yet",
        "VCOP Code of Practice for Victims compliance", "–", "no result yet",
    ]  # fmt: skip


async def test_the_next_meeting_and_its_deadline_and_the_meetings_not_held_in_time(harness: Harness) -> None:
    await ivws_with_history(harness)
    daniel = harness.user("daniel")

    await daniel.press("status.show", {"contract_id": await contract_id(harness)})

    texts = card_texts(daniel.card)
    start = texts.index("Meetings")
    assert texts[start : start + 5] == [
        "Meetings",
        "Next: Monthly performance review: October 2026: not scheduled yet "
        "(deadline Tuesday 10 November 2026 at 17:30).",
        "⚠ Monthly performance review: July 2026: not held by its deadline, Wednesday 12 August 2026 at 17:30.",
        "⚠ Monthly performance review: August 2026: not held by its deadline, "
        "Monday 14 September 2026 at 17:30.",
        "⚠ Quarterly contract meeting: Q2 2026/27: not held by its deadline, Monday 12 October 2026 at 17:30.",
    ]


async def test_overdue_returns_meetings_and_actions_are_counted_and_the_most_overdue_actions_listed(
    harness: Harness,
) -> None:
    await ivws_with_history(harness)
    await overdue_action(harness, "Share the referral form fix", date(2026, 10, 28))
    await overdue_action(harness, "Send the recovery plan for contact times", date(2026, 10, 20))
    await overdue_action(harness, "Not due yet", date(2026, 11, 20))
    daniel = harness.user("daniel")

    await daniel.press("status.show", {"contract_id": await contract_id(harness)})

    texts = card_texts(daniel.card)
    start = texts.index("Overdue")
    assert texts[start : start + 8] == [
        "Overdue",
        "⚠ Overdue: 15 returns, 3 meetings, 2 actions.",
        "Returns not in: June 2026, May 2026, April 2026 and 12 earlier.",
        "2 actions past their due date, the most overdue first:",
        "Send the recovery plan for contact times",
        "due 20 Oct 2026 · Open, overdue by 14 days, followed up at the monthly performance review.",
        "Share the referral form fix",
        "due 28 Oct 2026 · Open, overdue by 6 days, followed up at the monthly performance review.",
    ]
    assert "Not due yet" not in texts
    opened = [a for a in card_actions(daniel.card).values() if a["verb"] == "actions.view"]
    assert len(opened) == 1  # one "Open action" title: card_actions keys buttons by title
    await daniel.press("actions.view", opened[0]["data"])
    assert "Share the referral form fix" in card_texts(daniel.card)


async def test_the_trend_chart_draws_the_first_indicator_off_target_against_its_minimum(
    harness: Harness,
) -> None:
    await ivws_with_history(harness)
    daniel = harness.user("daniel")

    await daniel.press("status.show", {"contract_id": await contract_id(harness)})

    [chart] = charts(daniel.card)
    assert chart["title"] == "PI2 Victims contacted within two working days"
    value, minimum = chart["data"]
    assert value["legend"] == "Victims contacted within two working days"
    assert value["values"] == [  # the months with a return: July to October 2026
        {"x": "2026-07-01", "y": 91.0},
        {"x": "2026-08-01", "y": 88.0},
        {"x": "2026-09-01", "y": 90.0},
        {"x": "2026-10-01", "y": 87.0},
    ]
    assert minimum["legend"] == "Minimum: at least 90%"
    assert [point["x"] for point in minimum["values"]] == [
        f"{year}-{month:02d}-01"
        for year, month in [(2025, 11), (2025, 12)] + [(2026, m) for m in range(1, 11)]
    ]
    assert {point["y"] for point in minimum["values"]} == {90.0}
    table = card_texts({"body": [chart["fallback"]]})
    assert table[:4] == ["Month", "Value", "Minimum", "Met"]
    assert table[-16:] == [
        "Jul 2026", "91%", "90%", "✔ met",
        "Aug 2026", "88%", "90%", "✖ not met",
        "Sep 2026", "90%", "90%", "✔ met",
        "Oct 2026", "87%", "90%", "✖ not met",
    ]  # fmt: skip
    assert table[4:8] == ["Nov 2025", "no return", "90%", "–"]
    words = card_texts(daniel.card)[card_texts(daniel.card).index("Oct 2026") + 4]
    assert words == (
        "Victims contacted within two working days, Nov 2025 to Oct 2026 (minimum: at least 90%): "
        "Nov 2025 no return; Dec 2025 no return; Jan 2026 no return; Feb 2026 no return; Mar 2026 no return; "
        "Apr 2026 no return; May 2026 no return; Jun 2026 no return; Jul 2026 91% (✔ met); "
        "Aug 2026 88% (✖ not met); Sep 2026 90% (✔ met); Oct 2026 87% (✖ not met). "
        "Met in 2 of 4 months with a value."
    )
    assert_valid_card(daniel.card)  # the chart included, checked against its schema fragment


async def test_another_indicators_trend_is_chosen_on_the_card(harness: Harness) -> None:
    await ivws_with_history(harness)
    daniel = harness.user("daniel")
    ivws = await contract_id(harness)
    await daniel.press("status.show", {"contract_id": ivws})
    button = card_actions(daniel.card)["Show trend"]

    await daniel.press(button["verb"], {**button["data"], "indicator": "PI1"})

    [chart] = charts(daniel.card)
    assert chart["title"] == "PI1 Referrals received"
    assert [p["y"] for p in chart["data"][0]["values"]] == [2600.0, 2450.0, 2550.0, 2710.0]
    assert chart["data"][1]["legend"] == "Minimum: at least 2,500"


async def test_a_contract_with_no_return_says_so_and_draws_no_chart(harness: Harness) -> None:
    leila = harness.user("leila")

    await leila.say("status")  # one contract: its card, no picker

    [reply] = [c for c in harness.connector.sent(leila.conversation_id) if "Contract status" in str(c.card)]
    texts = card_texts(reply.card)
    assert "First contact assessment and referral service (FCAR)" in texts
    assert "No return received yet, so no indicator is rated." in texts
    assert "FC1 Referrals received: no return in the twelve months to October 2026." in texts
    assert not charts(reply.card)


async def test_the_commissioners_portfolio_lists_their_contract_with_its_ratings_and_what_is_overdue(
    harness: Harness,
) -> None:
    await ivws_with_history(harness)
    await overdue_action(harness, "Share the referral form fix", date(2026, 10, 28))
    daniel = harness.user("daniel")

    await daniel.say("portfolio")

    [reply] = [c for c in harness.connector.sent(daniel.conversation_id) if "Your portfolio" in str(c.card)]
    assert card_texts(reply.card) == [
        "Your portfolio",
        "1 contract you have a role on.",
        "Integrated Victims and Witnesses Service (IVWS)",
        "PIs, October 2026 return: ✖ 1 red · ▲ 1 amber · ✔ 5 green. "
        "KPIs: ▲ 1 amber · ✔ 1 green, 3 not rated yet.",
        "⚠ Overdue: 15 returns, 3 meetings, 1 action.",
    ]
    button = card_actions(reply.card)["Open IVWS"]
    await daniel.press(button["verb"], button["data"])
    assert card_texts(daniel.card)[:2] == [
        "Contract status",
        "Integrated Victims and Witnesses Service (IVWS)",
    ]


async def test_a_providers_portfolio_holds_only_their_organisations_contracts(harness: Harness) -> None:
    priya, lewis = harness.user("priya"), harness.user("lewis")

    await priya.press("status.portfolio")
    await lewis.press("status.portfolio")

    assert list(card_actions(priya.card)) == ["Open FCAR", "Open IVWS", "Help"]
    assert "Commissioned rehabilitative service - accommodation (CRS-ACC)" not in card_texts(priya.card)
    assert card_texts(lewis.card)[:3] == [
        "Your portfolio",
        "1 contract you have a role on.",
        "Commissioned rehabilitative service - accommodation (CRS-ACC)",
    ]
    assert list(card_actions(lewis.card)) == ["Open CRS-ACC", "Help"]


async def test_a_provider_forging_the_status_of_another_organisations_contract_is_refused_and_sees_nothing(
    harness: Harness,
) -> None:
    await ivws_with_history(harness)
    lewis = harness.user("lewis")  # Safe Homes: CRS-ACC only
    ivws = await contract_id(harness)

    await lewis.press("status.show", {"contract_id": ivws, "indicator": "PI1"})

    assert card_texts(lewis.card) == [
        "That isn't available to you",
        "You don't have a role on that contract that allows this.",
    ]
    async with harness.steward.database.session() as session:
        audited = (
            await session.execute(select(AuditEvent).where(AuditEvent.action == "refused"))
        ).scalar_one()
    assert (audited.entity_id, audited.contract_id, audited.after["reason"]) == (
        "status.show",
        ivws,
        f"view_return:{ivws}",
    )


async def test_a_provider_typing_another_organisations_contract_key_is_refused_like_an_unknown_one(
    harness: Harness,
) -> None:
    lewis = harness.user("lewis")

    await lewis.say("status IVWS")
    await lewis.say("status NOSUCH")

    sent = [card_texts(c.card) for c in harness.connector.sent(lewis.conversation_id)]
    assert sent == [
        [
            "That isn't available to you",
            "You have no role on a contract called “ivws”. Type “status” to choose one of yours.",
        ],
        [
            "That isn't available to you",
            "You have no role on a contract called “nosuch”. Type “status” to choose one of yours.",
        ],
    ]


async def test_someone_on_two_contracts_picks_one_and_the_key_or_name_opens_it_directly(
    harness: Harness,
) -> None:
    priya = harness.user("priya")

    await priya.press("status.show")
    assert list(card_actions(priya.card)) == [
        "First contact assessment and referral service",
        "Integrated Victims and Witnesses Service",
        "Portfolio",
        "Help",
    ]
    await priya.say("status fcar")
    await priya.say("status Integrated Victims and Witnesses Service")

    opened = [card_texts(c.card)[1] for c in harness.connector.sent(priya.conversation_id)]
    assert opened == [
        "First contact assessment and referral service (FCAR)",
        "Integrated Victims and Witnesses Service (IVWS)",
    ]


async def test_help_lists_status_and_portfolio(harness: Harness) -> None:
    daniel = harness.user("daniel")

    await daniel.press("help")

    texts = card_texts(daniel.card)
    assert (
        "status: A contract's status: ratings, the last return, meetings, what is overdue, the trend "
        "(“status IVWS” opens one directly)"
    ) in texts
    assert "portfolio: Every contract you have a role on, with its ratings and what is overdue" in texts


async def agreed_plan(harness: Harness, *, step_due: str) -> int:
    """A plan for PI2 to reach 90% by 31 January 2027, agreed on 20 October, with one open action."""
    daniel, ivws = await person_id(harness, "daniel"), await contract_id(harness)
    async with harness.steward.database.session() as session:
        record = await Repositories.on(session).improvement.add(
            PipRecord(
                contract_id=ivws,
                code="PI2",
                name="Victims contacted within two working days",
                level=90.0,
                comparison=">=",
                agreed_on=date(2026, 10, 20),
                by_on=date(2027, 1, 31),
                status="agreed",
                actions=[{"what": "Recruit two caseworkers", "due": step_due, "status": "open"}],
                milestones=[],
                created_by_id=daniel,
                created_at=harness.clock.now(),
                updated_at=harness.clock.now(),
            )
        )
        return record.id


async def test_an_open_improvement_plan_shows_its_level_deadline_state_and_overdue_steps_with_a_button(
    harness: Harness,
) -> None:
    await ivws_with_history(harness)
    pip_id = await agreed_plan(harness, step_due="2026-10-30")  # before today, 3 November 2026
    daniel = harness.user("daniel")

    await daniel.press("status.show", {"contract_id": await contract_id(harness)})

    texts = card_texts(daniel.card)
    start = texts.index("Open improvement plans")
    assert texts[start : start + 3] == [
        "Open improvement plans",
        "PI2 Victims contacted within two working days",
        "Reach at least 90% by 31 Jan 2027 · Agreed · ⚠ 1 step overdue",
    ]
    assert card_actions(daniel.card)["Open plan for PI2"]["data"] == {
        "verb": "improve.pip_view",
        "pip_id": pip_id,
    }
    assert_valid_card(daniel.card)
    await daniel.press("improve.pip_view", {"pip_id": pip_id})
    assert card_texts(daniel.card)[0] == f"Performance improvement plan {pip_id}"


async def test_a_plan_with_no_step_overdue_says_only_its_state(harness: Harness) -> None:
    await ivws_with_history(harness)
    await agreed_plan(harness, step_due="2026-12-15")
    daniel = harness.user("daniel")

    await daniel.press("status.show", {"contract_id": await contract_id(harness)})

    assert "Reach at least 90% by 31 Jan 2027 · Agreed" in card_texts(daniel.card)


async def test_a_reported_kpi_shows_its_result_once_the_kpi_return_is_in(harness: Harness) -> None:
    await ivws_with_history(harness)
    await kpi_return_submit(harness)  # Priya's Q2 return: COPE 78, BEST 82.5, VCOP 96
    daniel = harness.user("daniel")

    await daniel.press("status.show", {"contract_id": await contract_id(harness)})

    texts = card_texts(daniel.card)
    start = texts.index("COPE Victims reporting improved ability to cope and recover")
    assert texts[start : start + 9] == [
        "COPE Victims reporting improved ability to cope and recover", "Q2 2026/27: 78 against a target of 75",
        "✔ Green",
        "BEST Witnesses reporting they could give their best evidence",
        "Q2 2026/27: 82.5 against a target of 80", "✔ Green",
        "VCOP Code of Practice for Victims compliance", "Q2 2026/27: 96 against a target of 95", "✔ Green",
    ]  # fmt: skip
