"""A go/no-go evaluation in Teams, over HTTP: start, invite, score, remind, close, the result and export."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError
from sqlalchemy import func, select

from bot.cli import main
from bot.settings import Settings
from commissioning.gonogo import (
    MAX_FACTORS,
    AssessorScore,
    Thresholds,
    default_factor_set,
    evaluate,
    load_factor_sets,
)
from dialogs.gonogo import (
    MAX_ASSESSORS,
    ProgressView,
    page_starts,
    plan_page,
    progress_card,
    rationale_card,
    result_card,
)
from storage.evaluation_models import Evaluation, EvaluationAssessor, EvaluationScore
from storage.models import AuditEvent, Contract, Notification, Person
from tests.cardschema import assert_valid_card
from tests.conftest import Harness
from tests.teams import TeamsUser, card_actions, card_inputs, card_texts

GRAHAM = ("Graham Holt", "7f1c2a10-0000-4000-8000-000000000011")  # director: FCAR (West Midlands OPCC)
TITLE = "Re-procure first contact assessment from April 2027?"
SEED_SET = "Go/no-go evaluation before re-procuring a service"
KEYS = [factor.key for factor in default_factor_set().factors]

# Two assessors' scores on the seed's eight factors (key: rating, rationale).
LEILA_SCORES = {
    "value_for_money": ("positive", "Market testing shows savings"),
    "office_capacity": ("positive", ""),
    "quality_of_service": ("negative", "The current provider already meets most needs"),
    "history_with_client": ("neutral", ""),
    "competition": ("neutral", ""),
    "expand_expertise": ("positive", ""),
    "strategic_fit": ("neutral", ""),
    "stakeholder_reaction": ("neutral", ""),
}
GRAHAM_SCORES = {
    "value_for_money": ("positive", ""),
    "office_capacity": ("negative", "The team is stretched until the spring"),
    "quality_of_service": ("neutral", ""),
    "history_with_client": ("neutral", ""),
    "competition": ("positive", "Three specialist providers have bid elsewhere"),
    "expand_expertise": ("neutral", ""),
    "strategic_fit": ("positive", ""),
    "stakeholder_reaction": ("neutral", ""),
}


def inputs(scores: dict[str, tuple[str, str]]) -> dict[str, str]:
    """The scoring card's inputs as Teams sends them."""
    data: dict[str, str] = {}
    for key, (rating, rationale) in scores.items():
        data[f"r_{key}"] = rating
        data[f"why_{key}"] = rationale
    return data


def graham(harness: Harness) -> TeamsUser:
    assert harness.client is not None
    return TeamsUser(harness.client, harness.connector.url, *GRAHAM)


async def person_id(harness: Harness, email: str) -> int:
    async with harness.steward.database.session() as session:
        return (await session.execute(select(Person.id).where(Person.email == email))).scalar_one()


async def contract_id(harness: Harness, key: str) -> int:
    async with harness.steward.database.session() as session:
        return (await session.execute(select(Contract.id).where(Contract.key == key))).scalar_one()


async def count(harness: Harness, model: type, *where: Any) -> int:
    async with harness.steward.database.session() as session:
        query = select(func.count()).select_from(model)
        for condition in where:
            query = query.where(condition)
        return (await session.execute(query)).scalar_one()


async def rows(harness: Harness, model: type, *where: Any) -> list[Any]:
    async with harness.steward.database.session() as session:
        query = select(model)
        for condition in where:
            query = query.where(condition)
        return list((await session.execute(query.order_by(model.id))).scalars())


async def start_evaluation(harness: Harness, lead: TeamsUser, title: str = TITLE) -> int:
    """Leila starts an evaluation of her FCAR contract with the seed's factor set; its id."""
    await lead.press(
        "gonogo.create",
        {
            "subject": f"contract:{await contract_id(harness, 'FCAR')}",
            "title": title,
            "factor_set": "re_procurement",
        },
    )
    return card_actions(lead.card)["Refresh"]["data"]["evaluation_id"]


async def invite(harness: Harness, lead: TeamsUser, evaluation: int, *emails: str) -> None:
    ids = [str(await person_id(harness, email)) for email in emails]
    await lead.press("gonogo.invite", {"evaluation_id": evaluation, "assessors": ",".join(ids)})


def refusal(user: TeamsUser) -> list[str]:
    return card_texts(user.card)[:2]


def following(texts: list[str], line: str) -> str:
    return texts[texts.index(line) + 1]


# -- starting ------------------------------------------------------------------------------------------------


async def test_a_commissioner_is_offered_their_contract_a_prospective_service_and_the_seed_factor_set(
    harness: Harness,
) -> None:
    leila = harness.user("leila")

    await leila.say("start evaluation")

    [reply] = harness.connector.sent(leila.conversation_id)
    form = card_inputs(reply.card)
    assert [c["title"] for c in form["subject"]["choices"]] == [
        "First contact assessment and referral service",
        "A prospective service, not yet commissioned",
    ]
    assert form["factor_set"]["value"] == "re_procurement"
    assert [c["title"] for c in form["factor_set"]["choices"]] == [f"{SEED_SET} (8 factors)"]
    assert list(card_actions(reply.card)) == ["Start evaluation"]


async def test_starting_an_evaluation_keeps_its_factor_set_and_shows_the_lead_who_to_invite(
    harness: Harness,
) -> None:
    leila = harness.user("leila")

    evaluation_id = await start_evaluation(harness, leila)

    texts = card_texts(leila.card)
    assert texts[:2] == [f"Go/no-go: {TITLE}", "First contact assessment and referral service"]
    assert f"Factor set: {SEED_SET} (8 factors)" in texts
    assert "Lead: Leila Begum" in texts
    assert "Evaluation started. Now invite the people who will score it." in texts
    # the commissioning organisation's people only: nobody from the provider
    assert [c["title"] for c in card_inputs(leila.card)["assessors"]["choices"]] == [
        "Graham Holt",
        "Leila Begum (you)",
        "Owen Price",
    ]
    [evaluation] = await rows(harness, Evaluation)
    assert evaluation.id == evaluation_id
    assert evaluation.status == "open"
    assert evaluation.factor_set["thresholds"] == {"go_at_least": "7/10", "no_go_below": "1/2"}
    assert [f["key"] for g in evaluation.factor_set["groups"] for f in g["factors"]] == KEYS
    [event] = await rows(harness, AuditEvent, AuditEvent.action == "evaluation.started")
    assert event.after["title"] == TITLE and event.after["factor_set"] == "re_procurement"


async def test_a_double_clicked_start_makes_one_evaluation(harness: Harness) -> None:
    leila = harness.user("leila")

    first = await start_evaluation(harness, leila)
    second = await start_evaluation(harness, leila)

    assert first == second
    assert "You already have this evaluation open, so here it is." in card_texts(leila.card)
    assert await count(harness, Evaluation) == 1


async def test_start_form_errors_are_shown_beside_the_fields_with_the_entries_kept(harness: Harness) -> None:
    leila = harness.user("leila")

    await leila.press(
        "gonogo.create",
        {"subject": "prospective", "service_name": "", "title": "", "factor_set": "re_procurement"},
    )

    texts = card_texts(leila.card)
    form = card_inputs(leila.card)
    assert "Please correct the entries below. Nothing has been saved yet." in texts
    assert "Name the service you are thinking of commissioning." in texts
    assert "Give the evaluation a name, for example “Re-procure the service from April 2027?”" in texts
    assert form["subject"]["value"] == "prospective"
    assert form["factor_set"]["value"] == "re_procurement"
    assert await count(harness, Evaluation) == 0


async def test_a_prospective_service_is_evaluated_within_the_leads_organisation(harness: Harness) -> None:
    leila = harness.user("leila")

    await leila.press(
        "gonogo.create",
        {
            "subject": "prospective",
            "service_name": "Independent domestic violence advocacy",
            "title": "Commission an advocacy service?",
            "factor_set": "re_procurement",
        },
    )

    assert card_texts(leila.card)[1] == "Prospective service: Independent domestic violence advocacy"
    [evaluation] = await rows(harness, Evaluation)
    assert evaluation.contract_id is None
    async with harness.steward.database.session() as session:
        lead = await session.get(Person, evaluation.lead_id)
    assert lead is not None and evaluation.organisation_id == lead.organisation_id


async def test_a_provider_cannot_start_an_evaluation(harness: Harness) -> None:
    priya = harness.user("priya")

    await priya.press("gonogo.start")

    assert refusal(priya) == [
        "That isn't available to you",
        "Only a commissioner, programme manager or director can start a go/no-go evaluation.",
    ]


async def test_a_forged_start_on_someone_elses_contract_is_refused_and_audited(harness: Harness) -> None:
    leila = harness.user("leila")
    ivws = await contract_id(harness, "IVWS")

    await leila.press(
        "gonogo.create",
        {"subject": f"contract:{ivws}", "title": "Take over?", "factor_set": "re_procurement"},
    )

    assert refusal(leila)[1] == "You don't have a role on that contract that allows this."
    assert await count(harness, Evaluation) == 0
    [event] = await rows(harness, AuditEvent, AuditEvent.action == "refused")
    assert event.entity_id == "gonogo.create"
    assert event.after["reason"] == f"run_evaluation:{ivws}"


# -- inviting ------------------------------------------------------------------------------------------------


async def test_each_invited_assessor_gets_a_card_to_score_with(harness: Harness) -> None:
    leila, director = harness.user("leila"), graham(harness)
    await director.install()
    evaluation_id = await start_evaluation(harness, leila)

    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example", "owen.price@wm-opcc.example")
    await harness.settle()

    texts = card_texts(leila.card)
    assert "Invited Graham Holt and Owen Price. Each has been sent a card to score with." in texts
    assert following(texts, "Graham Holt") == "Not started"
    [card] = [
        c.card for c in harness.connector.sent(director.conversation_id) if "Please score" in str(c.card)
    ]
    assert card_texts(card)[:2] == [f"Please score: {TITLE}", "First contact assessment and referral service"]
    assert card_actions(card)["Score now"]["data"] == {
        "verb": "gonogo.score",
        "evaluation_id": evaluation_id,
        "start": 0,
    }
    owen = await person_id(harness, "owen.price@wm-opcc.example")
    [waiting] = await rows(harness, Notification, Notification.recipient_id == owen)
    assert (waiting.key, waiting.status) == (f"gonogo.invited:{evaluation_id}:{owen}", "no_conversation")
    [event] = await rows(harness, AuditEvent, AuditEvent.action == "evaluation.invited")
    assert event.after["assessors"] == [await person_id(harness, "graham.holt@wm-opcc.example"), owen]


async def test_inviting_someone_outside_the_commissioning_organisation_is_refused(harness: Harness) -> None:
    leila = harness.user("leila")
    evaluation_id = await start_evaluation(harness, leila)

    await invite(
        harness, leila, evaluation_id, "graham.holt@wm-opcc.example", "priya.shah@victimsupport.example"
    )

    assert refusal(leila)[1] == "Assessors are chosen from the commissioning organisation's people."
    assert await count(harness, EvaluationAssessor) == 0
    assert await count(harness, Notification, Notification.kind == "gonogo.invited") == 0


async def test_only_the_lead_can_invite(harness: Harness) -> None:
    evaluation_id = await start_evaluation(harness, harness.user("leila"))
    director = graham(harness)

    await invite(harness, director, evaluation_id, "graham.holt@wm-opcc.example")

    assert refusal(director)[1] == "Only the lead of this evaluation can do that."
    assert await count(harness, EvaluationAssessor) == 0


# -- scoring -------------------------------------------------------------------------------------------------


async def test_the_scoring_card_lists_every_factor_with_the_three_scores(harness: Harness) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example")

    await director.press("gonogo.score", {"evaluation_id": evaluation_id, "start": 0})

    form = card_inputs(director.card)
    assert list(form) == [name for key in KEYS for name in (f"r_{key}", f"why_{key}")]
    assert (
        form["r_value_for_money"]["label"] == "1. Will re-commissioning the service achieve value for money?"
    )
    assert form["r_stakeholder_reaction"]["label"] == "8. How will our stakeholders react?"
    assert [c["title"] for c in form["r_quality_of_service"]["choices"]] == [
        "Negative (3 points)",
        "Neutral (6 points)",
        "Positive (10 points)",
    ]
    texts = card_texts(director.card)
    assert [t for t in texts if t.endswith("factors") or t == "Deliverability"] == [
        "Time and resource factors",
        "Deliverability",
        "Wider factors",
    ]
    assert "You have scored 0 of 8 factors." in texts


async def test_a_lead_who_scores_every_factor_is_offered_progress_and_closing(harness: Harness) -> None:
    leila = harness.user("leila")
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "leila.begum@wm-opcc.example")

    await leila.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(LEILA_SCORES)})

    assert "You have scored 8 of 8 factors." in card_texts(leila.card)
    actions = card_actions(leila.card)
    assert list(actions) == ["Save scores", "Back to progress", "Close and share the result"]
    await leila.press(
        actions["Close and share the result"]["verb"], actions["Close and share the result"]["data"]
    )
    assert "All 1 assessors have scored every factor." in card_texts(leila.card)
    assert list(card_actions(leila.card)) == ["Close and share the result", "Not yet"]


async def test_a_lead_scoring_part_way_is_offered_the_way_back_but_not_closing(harness: Harness) -> None:
    leila = harness.user("leila")
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "leila.begum@wm-opcc.example")
    partial = {key: LEILA_SCORES[key] for key in KEYS[:3]}

    await leila.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(partial)})

    assert list(card_actions(leila.card)) == ["Save scores", "Back to progress"]


async def test_an_assessor_who_does_not_lead_is_offered_only_saving(harness: Harness) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example")

    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(GRAHAM_SCORES)})

    assert list(card_actions(director.card)) == ["Save scores"]


async def test_an_assessor_saves_part_way_and_comes_back_to_their_scores(harness: Harness) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example")
    partial = {key: GRAHAM_SCORES[key] for key in KEYS[:3]}

    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(partial)})

    texts = card_texts(director.card)
    assert "Saved 3 scores at 10:00." in texts
    assert "You have scored 3 of 8 factors." in texts
    await director.press("gonogo.score", {"evaluation_id": evaluation_id, "start": 0})
    form = card_inputs(director.card)
    assert form["r_office_capacity"]["value"] == "negative"
    assert form["why_office_capacity"]["value"] == "The team is stretched until the spring"
    assert "value" not in form["r_competition"]
    assert await count(harness, EvaluationScore) == 3


async def test_a_negative_without_a_rationale_rerenders_the_card_with_values_kept_and_the_error_beside_it(
    harness: Harness,
) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example")
    entries = {**GRAHAM_SCORES, "office_capacity": ("negative", "   ")}

    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(entries)})

    texts = card_texts(director.card)
    form = card_inputs(director.card)
    assert "Please correct 1 score below. Nothing has been saved yet." in texts
    assert form["r_office_capacity"]["value"] == "negative"
    assert form["r_competition"]["value"] == "positive"
    assert form["why_competition"]["value"] == "Three specialist providers have bid elsewhere"
    # the error sits under that factor's rationale, inside the factor's own container
    [factor] = [item for item in director.card["body"] if "r_office_capacity" in str(item)]
    assert [element.get("id") or element.get("text") for element in factor["items"]] == [
        "r_office_capacity",
        "why_office_capacity",
        "Give a rationale for a Negative score.",
    ]
    assert await count(harness, EvaluationScore) == 0


async def test_an_uninvited_person_pressing_save_is_refused_changes_nothing_and_is_audited(
    harness: Harness,
) -> None:
    evaluation_id = await start_evaluation(harness, harness.user("leila"))
    owen_uninvited = graham(harness)

    await owen_uninvited.press(
        "gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(GRAHAM_SCORES)}
    )

    assert refusal(owen_uninvited) == [
        "That isn't available to you",
        "Only the people the lead invited can score this evaluation.",
    ]
    assert await count(harness, EvaluationScore) == 0
    [event] = await rows(harness, AuditEvent, AuditEvent.action == "refused")
    assert (event.entity_id, event.after["reason"]) == ("gonogo.save", f"not invited:{evaluation_id}")


async def test_a_provider_cannot_open_an_evaluation_of_their_own_contract(harness: Harness) -> None:
    evaluation_id = await start_evaluation(harness, harness.user("leila"))
    priya = harness.user("priya")

    await priya.press("gonogo.open", {"evaluation_id": evaluation_id})

    assert refusal(priya)[1] == "You are not part of that evaluation."
    assert TITLE not in str(priya.card)


async def test_changing_a_score_keeps_every_earlier_version_and_audits_the_change(harness: Harness) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example")
    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(GRAHAM_SCORES)})

    harness.clock.advance(hours=2)
    changed = {**GRAHAM_SCORES, "competition": ("neutral", "On reflection the market is thin")}
    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(changed)})

    assert "Saved 1 score at 12:00." in card_texts(director.card)
    history = await rows(harness, EvaluationScore, EvaluationScore.factor_key == "competition")
    assert [(s.revision, s.rating, s.rationale, s.current) for s in history] == [
        (1, "positive", "Three specialist providers have bid elsewhere", False),
        (2, "neutral", "On reflection the market is thin", True),
    ]
    [_, change] = await rows(harness, AuditEvent, AuditEvent.action == "evaluation.scored")
    assert change.before == {
        "competition": {"rating": "positive", "rationale": "Three specialist providers have bid elsewhere"}
    }
    assert change.after == {
        "competition": {"rating": "neutral", "rationale": "On reflection the market is thin"}
    }


# -- the lead: progress and reminders ------------------------------------------------------------------------


async def test_the_lead_sees_who_has_scored_how_much_but_not_what(harness: Harness) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example", "owen.price@wm-opcc.example")
    partial = {key: GRAHAM_SCORES[key] for key in KEYS[:4]}
    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(partial)})

    await leila.press("gonogo.open", {"evaluation_id": evaluation_id})

    texts = card_texts(leila.card)
    assert following(texts, "Graham Holt") == "4 of 8 scored"
    assert following(texts, "Owen Price") == "Not started"
    assert "4 of 8 factors have no score from anyone yet." in texts
    assert "stretched" not in str(leila.card) and "negative" not in str(leila.card).lower()
    assert list(card_actions(leila.card)) == [
        "Invite",
        "Remind 2 not finished",
        "Close and share the result",
        "Refresh",
    ]


async def test_an_assessor_who_scores_every_factor_is_shown_finished_and_the_lead_is_told(
    harness: Harness,
) -> None:
    leila, director = harness.user("leila"), graham(harness)
    await leila.install()
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example", "owen.price@wm-opcc.example")

    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(GRAHAM_SCORES)})
    await harness.settle()

    [notice] = [
        c.card for c in harness.connector.sent(leila.conversation_id) if "every factor" in str(c.card)
    ]
    assert card_texts(notice)[:3] == [
        "Graham Holt has scored every factor",
        TITLE,
        "1 of 2 assessors have finished.",
    ]
    await leila.press("gonogo.open", {"evaluation_id": evaluation_id})
    assert following(card_texts(leila.card), "Graham Holt") == "Finished"


async def test_reminders_go_to_those_not_finished_at_most_once_a_day(harness: Harness) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example", "owen.price@wm-opcc.example")
    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(GRAHAM_SCORES)})
    owen = await person_id(harness, "owen.price@wm-opcc.example")

    await leila.press("gonogo.remind", {"evaluation_id": evaluation_id})
    assert "Reminded Owen Price." in card_texts(leila.card)
    await leila.press("gonogo.remind", {"evaluation_id": evaluation_id})
    assert "Owen Price was already reminded today." in card_texts(leila.card)
    harness.clock.advance(days=1)
    await leila.press("gonogo.remind", {"evaluation_id": evaluation_id})

    reminders = await rows(harness, Notification, Notification.kind == "gonogo.reminder")
    assert [(r.recipient_id, r.key) for r in reminders] == [
        (owen, f"gonogo.reminder:{evaluation_id}:{owen}:2026-11-03"),
        (owen, f"gonogo.reminder:{evaluation_id}:{owen}:2026-11-04"),
    ]
    assert card_texts(reminders[0].payload["card"])[2] == (
        "You have scored 0 of 8 factors. Leila Begum would like every assessor's scores before closing the evaluation."
    )


# -- closing and the result ----------------------------------------------------------------------------------


async def scored_by_two(harness: Harness) -> tuple[TeamsUser, TeamsUser, int]:
    """Leila leads and scores; Graham scores; both have scored every factor."""
    leila, director = harness.user("leila"), graham(harness)
    await director.install()
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "leila.begum@wm-opcc.example", "graham.holt@wm-opcc.example")
    await leila.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(LEILA_SCORES)})
    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(GRAHAM_SCORES)})
    return leila, director, evaluation_id


async def test_closing_asks_first_and_says_who_has_finished(harness: Harness) -> None:
    leila, _, evaluation_id = await scored_by_two(harness)

    await leila.press("gonogo.close", {"evaluation_id": evaluation_id})

    assert "All 2 assessors have scored every factor." in card_texts(leila.card)
    assert list(card_actions(leila.card)) == ["Close and share the result", "Not yet"]
    assert (await rows(harness, Evaluation))[0].status == "open"


async def test_the_result_card_gives_scores_means_disagreement_totals_shares_recommendation_and_drivers(
    harness: Harness,
) -> None:
    leila, _, evaluation_id = await scored_by_two(harness)

    await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})

    texts = card_texts(leila.card)
    assert texts[:2] == [f"Go/no-go result: {TITLE}", "First contact assessment and referral service"]
    # means: 10, 6.5 (16.5 of 20); 4.5, 6, 8, 8 (26.5 of 40); 8, 6 (14 of 20): 57 of 80
    assert texts[2:4] == [
        "Recommendation: Go",
        "57 of 80 points: 71.3% of the maximum. Go at 70% or more, no-go below 50%, review in between.",
    ]
    assert [line for line in texts if line.endswith(")") and " of " in line and ": " in line] == [
        "Time and resource factors: 16.5 of 20 (82.5%)",
        "Deliverability: 26.5 of 40 (66.3%)",
        "Wider factors: 14 of 20 (70%)",
        "Overall: 57 of 80 (71.3%)",
    ]
    assert [line for line in texts if line.startswith("• ")] == [
        "• Will re-commissioning the service achieve value for money? Towards go, +4 points against Neutral",
        "• Do we know who the competition is, and can we compete (on paper) against them? Towards go, "
        "+2 points against Neutral",
        "• Would a new service present a possibility to expand our expertise? Towards go, "
        "+2 points against Neutral",
    ]
    capacity = texts.index("Do we have the right capacity in the office to carry this out?")
    assert texts[capacity + 1 : capacity + 4] == [
        "Leila Begum: Positive, Graham Holt: Negative",
        "Mean 6.5",
        "⚠ Wide disagreement: a Negative beside a Positive",
    ]
    assert "Assessors disagree widely on 1 factor: discuss them before acting on the result." in texts
    assert "Closed: 10:00 on Tuesday 03 November 2026 by Leila Begum" in texts
    [evaluation] = await rows(harness, Evaluation)
    assert evaluation.status == "closed"
    assert evaluation.result["recommendation"] == "go"
    assert Fraction(evaluation.result["share"]) == Fraction(57, 80)
    [event] = await rows(harness, AuditEvent, AuditEvent.action == "evaluation.closed")
    assert event.after["status"] == "closed" and event.after["disagreements"] == ["office_capacity"]


async def test_everyone_involved_gets_the_result_card_once_even_after_a_double_click(
    harness: Harness,
) -> None:
    leila, director, evaluation_id = await scored_by_two(harness)

    await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})
    await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})
    await harness.settle()

    results = [
        c.card for c in harness.connector.sent(director.conversation_id) if "Go/no-go result" in str(c.card)
    ]
    assert len(results) == 1
    assert card_texts(results[0])[2] == "Recommendation: Go"
    assert (
        await count(harness, Notification, Notification.kind == "gonogo.result") == 1
    )  # Leila has it as the reply
    assert await count(harness, AuditEvent, AuditEvent.action == "evaluation.closed") == 1


async def test_a_closed_evaluation_is_read_only(harness: Harness) -> None:
    leila, director, evaluation_id = await scored_by_two(harness)
    await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})
    changed = {**GRAHAM_SCORES, "competition": ("negative", "Changed my mind")}

    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(changed)})

    assert refusal(director)[1] == (
        "This evaluation was closed at 10:00 on Tuesday 03 November 2026 and can no longer be changed."
    )
    assert await count(harness, EvaluationScore) == 16
    await director.press("gonogo.score", {"evaluation_id": evaluation_id, "start": 0})
    assert card_texts(director.card)[2] == "This evaluation is closed; here is the result."
    assert card_inputs(director.card) == {}
    await leila.press("gonogo.invite", {"evaluation_id": evaluation_id, "assessors": "6"})
    assert "can no longer be changed" in refusal(leila)[1]


async def test_an_evaluation_with_a_factor_nobody_scored_cannot_be_closed(harness: Harness) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example")
    partial = {key: GRAHAM_SCORES[key] for key in KEYS[:6]}
    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(partial)})

    await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})

    texts = card_texts(leila.card)
    assert "• How will our stakeholders react?" in texts
    assert list(card_actions(leila.card)) == ["Back to progress"]
    assert (await rows(harness, Evaluation))[0].status == "open"


async def test_missing_scores_from_an_assessor_who_did_not_finish_are_left_out(harness: Harness) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "leila.begum@wm-opcc.example", "graham.holt@wm-opcc.example")
    await leila.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(LEILA_SCORES)})
    partial = {key: GRAHAM_SCORES[key] for key in KEYS[:2]}
    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(partial)})

    await leila.press("gonogo.close", {"evaluation_id": evaluation_id})
    assert "• Graham Holt: 6 factors not scored" in card_texts(leila.card)
    await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})

    texts = card_texts(leila.card)
    # Leila 57 of 80; Graham's two scores move value for money (10, 10) and office capacity (10, 3 → 6.5)
    assert "Overall: 53.5 of 80 (66.9%)" in texts
    assert "Recommendation: Review" in texts
    assert "Graham Holt: 6 factors not scored" in texts


async def test_the_rationales_are_read_factor_by_factor_once_closed(harness: Harness) -> None:
    leila, director, evaluation_id = await scored_by_two(harness)
    await director.press("gonogo.rationales", {"evaluation_id": evaluation_id, "index": 1})
    assert refusal(director)[1].startswith("Scores and their rationales are shown once the lead closes")

    await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})
    await director.press("gonogo.rationales", {"evaluation_id": evaluation_id, "index": 1})

    texts = card_texts(director.card)
    assert texts[0] == "Rationales: factor 2 of 8"
    assert texts[2] == "Do we have the right capacity in the office to carry this out?"
    assert texts[4:] == [
        "Leila Begum: Positive",
        "No rationale given.",
        "Graham Holt: Negative",
        "The team is stretched until the spring",
    ]
    assert list(card_actions(director.card)) == ["Previous factor", "Next factor", "Back to the result"]


async def test_typed_evaluations_lists_what_the_person_leads_or_scores(harness: Harness) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example")

    await director.say("evaluations")

    [reply] = [c for c in harness.connector.sent(director.conversation_id) if "evaluations" in str(c.card)]
    texts = card_texts(reply.card)
    assert texts[:4] == [
        "Go/no-go evaluations",
        TITLE,
        "First contact assessment and referral service",
        "Open: you are an assessor; you have scored 0 of 8",
    ]
    assert "Start a new evaluation" in card_actions(reply.card)


async def test_the_whole_journey_runs_on_postgresql(postgres_url: str, clock: Any, connector: Any) -> None:
    running = await Harness(postgres_url, clock, connector).start()
    try:
        leila, director, evaluation_id = await scored_by_two(running)
        changed = {**GRAHAM_SCORES, "competition": ("neutral", "")}
        await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(changed)})

        await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})
        await running.settle()

        # competition's mean falls from 8 to 6: 55 of 80, 68.75%, under the go line: a review
        assert card_texts(leila.card)[2:4] == [
            "Recommendation: Review",
            "55 of 80 points: 68.8% of the maximum. Go at 70% or more, no-go below 50%, review in between.",
        ]
        assert await count(running, EvaluationScore) == 17
        assert await count(running, Notification, Notification.kind == "gonogo.result") == 1
    finally:
        await running.close()


# -- export --------------------------------------------------------------------------------------------------


async def test_export_writes_excel_and_csv_with_formulas_made_safe(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example")
    risky = {**GRAHAM_SCORES, "office_capacity": ("negative", '=HYPERLINK("http://evil.example","more")')}
    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(risky)})
    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(GRAHAM_SCORES)})
    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(risky)})
    await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})
    monkeypatch.setenv("DATABASE_URL", harness.database_url)
    xlsx, csv_path = tmp_path / "evaluation.xlsx", tmp_path / "scores.csv"

    assert (
        await asyncio.to_thread(main, ["evaluation", "export", str(evaluation_id), "--out", str(xlsx)]) == 0
    )
    assert (
        await asyncio.to_thread(
            main, ["evaluation", "export", str(evaluation_id), "--format", "csv", "--out", str(csv_path)]
        )
        == 0
    )

    assert f"Wrote evaluation {evaluation_id} to {csv_path} (csv" in capsys.readouterr().out
    workbook = load_workbook(xlsx)
    assert workbook.sheetnames == ["Summary", "Factors", "Scores"]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Evaluation"] == TITLE
    assert summary["Status"] == "Closed 2026-11-03 10:00 UTC by Leila Begum"
    assert summary["Recommendation"] == "Go"
    scores = list(workbook["Scores"].iter_rows(min_row=2, values_only=True))
    assert scores[1] == (
        "Time and resource factors",
        "Do we have the right capacity in the office to carry this out?",
        "Graham Holt",
        "Negative",
        3,
        '\'=HYPERLINK("http://evil.example","more")',
    )
    formulas = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    lines = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
    assert lines[0] == ["Group", "Factor", "Assessor", "Score", "Points", "Rationale"]
    assert lines[2][5] == '\'=HYPERLINK("http://evil.example","more")'


async def test_exporting_an_unknown_evaluation_says_so(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", harness.database_url)

    code = await asyncio.to_thread(main, ["evaluation", "export", "99", "--out", str(tmp_path / "x.xlsx")])

    assert code == 1
    assert "there is no evaluation 99" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


# -- configuration -------------------------------------------------------------------------------------------

ADMIN_SETS = """
factor_sets:
  decommissioning:
    name: Decommissioning a service
    thresholds: {go_at_least: 0.8}
    groups:
      - key: impact
        name: Impact
        factors:
          - key: service_users
            text: Can current service users be supported elsewhere?
            weight: 2
          - key: staff
            text: Can the provider's staff be redeployed?
"""


async def test_an_administrators_factor_set_is_offered_and_used(
    clock: Any, connector: Any, tmp_path: Path
) -> None:
    sets = tmp_path / "factor-sets.yaml"
    sets.write_text(ADMIN_SETS, encoding="utf-8")
    running = await Harness(
        f"sqlite:///{tmp_path / 'steward.db'}", clock, connector, FACTOR_SETS_FILE=sets
    ).start()
    try:
        leila = running.user("leila")
        await leila.press("gonogo.start")
        assert [c["value"] for c in card_inputs(leila.card)["factor_set"]["choices"]] == [
            "re_procurement",
            "decommissioning",
        ]
        await leila.press(
            "gonogo.create",
            {
                "subject": "prospective",
                "service_name": "Old helpline",
                "title": "Close it?",
                "factor_set": "decommissioning",
            },
        )
        evaluation_id = card_actions(leila.card)["Refresh"]["data"]["evaluation_id"]
        await invite(running, leila, evaluation_id, "leila.begum@wm-opcc.example")
        await leila.press("gonogo.score", {"evaluation_id": evaluation_id, "start": 0})
        assert card_inputs(leila.card)["r_service_users"]["label"] == (
            "1. Can current service users be supported elsewhere? (weight 2)"
        )
        # 10 x 2 + 6 = 26 of 30 = 86.7%: a go against this set's own 80%
        scores = {"service_users": ("positive", ""), "staff": ("neutral", "")}
        await leila.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(scores)})
        await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})
        texts = card_texts(leila.card)
        assert texts[2:4] == [
            "Recommendation: Go",
            "26 of 30 points: 86.7% of the maximum. Go at 80% or more, no-go below 50%, review in between.",
        ]
    finally:
        await running.close()


def test_a_broken_factor_set_file_stops_start_up_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "factor-sets.yaml"
    broken.write_text(ADMIN_SETS.replace("weight: 2", "weight: -2"), encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'steward.db'}")
    monkeypatch.setenv("FACTOR_SETS_FILE", str(broken))

    with pytest.raises(ValidationError, match="weight must be a positive number, got -2"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    assert main(["migrate"]) == 1
    assert (
        f"FACTOR_SETS_FILE {broken}: factor set 'decommissioning', group 'impact', factor 'service_users': "
        "weight must be a positive number, got -2" in capsys.readouterr().err
    )


NINE_FACTOR_SET = {
    "key": "re_procurement",
    "name": SEED_SET,
    "description": "",
    "built_in": True,
    "thresholds": {"go_at_least": "7/10", "no_go_below": "1/2"},
    "groups": [
        {
            "key": "time_and_resource",
            "name": "Time and resource factors",
            "factors": [
                {"key": key, "text": key.replace("_", " ").capitalize(), "weight": "1"}
                for key in (
                    "value_for_money",
                    "office_capacity",
                    "deliverability",
                    "quality_of_service",
                    "history_with_client",
                    "competition",
                    "expand_expertise",
                )
            ],
        },
        {
            "key": "wider",
            "name": "Wider factors",
            "factors": [
                {"key": "strategic_fit", "text": "Strategic fit", "weight": "1"},
                {"key": "stakeholder_reaction", "text": "Stakeholder reaction", "weight": "1"},
            ],
        },
    ],
}


async def test_an_evaluation_started_on_the_nine_factor_set_keeps_it(harness: Harness) -> None:
    leila = harness.user("leila")
    evaluation_id = await start_evaluation(harness, leila)
    async with harness.steward.database.session() as session, session.begin():
        stored = await session.get(Evaluation, evaluation_id)
        assert stored is not None
        stored.factor_set = NINE_FACTOR_SET
    await invite(harness, leila, evaluation_id, "leila.begum@wm-opcc.example")
    nine = {**LEILA_SCORES, "deliverability": ("positive", "")}

    await leila.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(nine)})
    await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})

    texts = card_texts(leila.card)
    # 10 + 10 + 10 + 3 + 6 + 6 + 10 = 55 of 70; 6 + 6 = 12 of 20: 67 of 90
    assert "Time and resource factors: 55 of 70 (78.6%)" in texts
    assert "Wider factors: 12 of 20 (60%)" in texts
    assert "Overall: 67 of 90 (74.4%)" in texts
    assert "Deliverability: 26.5 of 40 (66.3%)" not in texts
    assert await count(harness, EvaluationScore) == 9


def test_the_default_thresholds_are_configuration() -> None:
    settings = Settings(_env_file=None, GONOGO_GO_AT_LEAST="0.75", GONOGO_NO_GO_BELOW="0.55")  # type: ignore[call-arg]

    assert settings.factor_sets()["re_procurement"].thresholds == Thresholds(Fraction(3, 4), Fraction(11, 20))
    assert Settings(_env_file=None).factor_sets()["re_procurement"].thresholds == Thresholds()  # type: ignore[call-arg]


def test_thresholds_that_cross_stop_start_up() -> None:
    with pytest.raises(
        ValidationError, match="no_go_below \\(80%\\) must not be above go_at_least \\(70%\\)"
    ):
        Settings(_env_file=None, GONOGO_NO_GO_BELOW="0.8")  # type: ignore[call-arg]


# -- the cards themselves ------------------------------------------------------------------------------------


def test_a_scoring_card_holds_whole_groups_up_to_ten_factors() -> None:
    seed = list(default_factor_set().factors)
    big = list(load_factor_sets(BIG_SET)["big"].factors)

    assert len(plan_page(seed, 0, lambda page: True)) == 8
    # groups of 6, 6 and 13: the second group waits for its own card; the 13 are split
    assert page_starts(big, lambda page: True) == [0, 6, 16]


def test_long_rationales_move_factors_to_the_next_card_keeping_groups_together() -> None:
    seed = list(default_factor_set().factors)

    def four_fit(page: list[Any]) -> bool:
        return len(page) <= 4

    # groups of 2, 4 and 2: the four Deliverability factors wait for their own card
    assert [f.key for f in plan_page(seed, 0, four_fit)] == ["value_for_money", "office_capacity"]
    assert [f.key for f in plan_page(seed, 2, four_fit)] == [
        "quality_of_service",
        "history_with_client",
        "competition",
        "expand_expertise",
    ]
    assert page_starts(seed, four_fit) == [0, 2, 6]


BIG_SET = "factor_sets:\n  big:\n    name: Big\n    groups:\n" + "".join(
    f"      - key: g{g}\n        name: Group {g}\n        factors:\n"
    + "".join(f"          - {{key: f{g}_{i}, text: Factor {g}.{i}}}\n" for i in range(size))
    for g, size in enumerate([6, 6, 13])
)


async def test_an_assessor_with_very_long_rationales_gets_cards_that_fit_and_can_page_through(
    harness: Harness,
) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example")
    # Welsh with typographic quotes and dashes: every one of those characters counts six bytes
    essay = ("Mae’r darparwr yn “gryf” ar ôl y newid – ond mae’r costau’n uwch. " * 40)[:2000]
    long_scores = {key: ("negative", essay) for key in KEYS}

    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(long_scores)})

    texts = card_texts(director.card)  # press() checks every card against the schema and the 28 KB limit
    assert "Saved 8 scores at 10:00." in texts
    assert "Factors 1 to 6 of 8" in texts
    assert card_actions(director.card)["Save and go to the next factors"]["data"]["go_to"] == 6
    first_card = {k: v for k, v in inputs(long_scores).items() if k.split("_", 1)[1] in KEYS[:6]}
    await director.press(
        "gonogo.save", {"evaluation_id": evaluation_id, "start": 0, "go_to": 6, **first_card}
    )
    assert "Factors 7 to 8 of 8" in card_texts(director.card)
    assert list(card_inputs(director.card)) == [
        "r_strategic_fit",
        "why_strategic_fit",
        "r_stakeholder_reaction",
        "why_stakeholder_reaction",
    ]
    assert card_actions(director.card)["Save and go back"]["data"]["go_to"] == 0
    assert await count(harness, EvaluationScore) == 8


def test_result_and_rationale_cards_fit_a_teams_message_at_the_limits() -> None:
    evaluation = Evaluation(
        id=1,
        title="T" * 200,
        organisation_id=1,
        lead_id=1,
        factor_set_key="big",
        created_at=datetime(2026, 11, 3, tzinfo=UTC),
    )
    factors = "".join(f"          - {{key: f{i}, text: {'W' * 300}}}\n" for i in range(MAX_FACTORS))
    widest = f"factor_sets:\n  wide:\n    name: Wide\n    groups:\n      - key: g\n        name: G\n        factors:\n{factors}"
    factor_set = load_factor_sets(widest)["wide"]
    people = {str(i): "N" * 200 for i in range(MAX_ASSESSORS)}
    scores = [AssessorScore(a, f.key, "negative", "*" * 2000) for a in people for f in factor_set.factors]
    result = evaluate(factor_set, scores, assessors=list(people))

    card = result_card(evaluation, "S" * 200, result, people, closed="10:00 on Tuesday 03 November 2026")
    assert_valid_card(card)
    assert "Negative 15" in card_texts(card)
    rationales = rationale_card(evaluation, result, people, 0)
    assert_valid_card(rationales)
    assert "Long rationales are shortened here; the export has every one in full." in card_texts(rationales)


def test_the_lead_card_fits_with_a_hundred_people_to_choose_from() -> None:
    evaluation = Evaluation(
        id=1,
        title="T" * 200,
        organisation_id=1,
        lead_id=1,
        factor_set_key="re_procurement",
        created_at=datetime(2026, 11, 3, tzinfo=UTC),
    )
    candidates = [
        Person(id=i, email=f"{i}@x.example", name="N" * 200, organisation_id=1) for i in range(2, 102)
    ]
    assert_valid_card(
        progress_card(
            ProgressView(
                evaluation,
                "S" * 200,
                default_factor_set(),
                lead_name="L" * 200,
                lead_id=1,
                assessors=[],
                progress={},
                candidates=candidates,
                started="now",
                note=None,
                errors={},
            )
        )
    )
