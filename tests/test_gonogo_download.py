"""The result card's downloads over HTTP: press Download, follow the link, get the file, or a clear refusal."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from typing import Any

from aiohttp import ClientResponse
from openpyxl import load_workbook
from sqlalchemy import delete
from yarl import URL

from commissioning.download_links import DownloadLinks
from storage.models import AuditEvent, ContractRole
from tests.conftest import Harness
from tests.teams import TeamsUser, card_actions, card_texts, elements
from tests.test_gonogo_journey import (
    GRAHAM_SCORES,
    TITLE,
    contract_id,
    graham,
    inputs,
    invite,
    person_id,
    rows,
    scored_by_two,
    start_evaluation,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_link(card: dict[str, Any]) -> str:
    [link] = [
        action["url"]
        for element in elements(card)
        if element["type"] == "ActionSet"
        for action in element["actions"]
        if action["type"] == "Action.OpenUrl"
    ]
    return link


async def follow(harness: Harness, link: str) -> ClientResponse:
    """Open the link as the browser Teams hands it to would: a plain GET, no Teams identity."""
    assert harness.client is not None
    return await harness.client.get(URL(link).path)


async def closed_by_leila(harness: Harness) -> tuple[TeamsUser, TeamsUser, int]:
    leila, _, evaluation_id = await scored_by_two(harness)
    await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})
    return leila, graham(harness), evaluation_id


async def press_download(user: TeamsUser, evaluation_id: int, label: str = "Download (Excel)") -> str:
    action = card_actions(user.card)[label]
    assert action["type"] == "Action.Execute"
    await user.press(action["verb"], {k: v for k, v in action["data"].items() if k != "verb"})
    assert card_actions(user.card)[label] == action  # the result card stays, with its buttons
    return download_link(user.card)


async def test_the_result_card_offers_downloads_not_a_command(harness: Harness) -> None:
    leila, _, evaluation_id = await closed_by_leila(harness)

    actions = card_actions(leila.card)
    texts = " ".join(card_texts(leila.card))

    assert list(actions)[:2] == ["Download (Excel)", "Download (CSV)"]
    assert actions["Download (CSV)"]["data"] == {
        "verb": "gonogo.download",
        "evaluation_id": evaluation_id,
        "file_format": "csv",
    }
    assert "steward evaluation export" not in texts and "--out" not in texts


async def test_pressing_download_then_following_the_link_gives_the_workbook(harness: Harness) -> None:
    leila, _, evaluation_id = await closed_by_leila(harness)

    link = await press_download(leila, evaluation_id)
    response = await follow(harness, link)

    texts = card_texts(leila.card)
    assert "Your Excel file is ready" in texts
    assert any(
        t.startswith("This link is yours and works until 10:15 on Tuesday 03 November 2026.") for t in texts
    )
    assert link.startswith(f"http://127.0.0.1:{harness.settings.port}/downloads/v1.{evaluation_id}.xlsx.")
    assert response.status == 200
    assert response.headers["Content-Type"] == XLSX
    assert (
        response.headers["Content-Disposition"] == f'attachment; filename="evaluation-{evaluation_id}.xlsx"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    workbook = load_workbook(io.BytesIO(await response.read()))
    assert workbook.sheetnames == ["Summary", "Factors", "Scores"]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Evaluation"] == TITLE and summary["Recommendation"] == "Go"
    [event] = await rows(harness, AuditEvent, AuditEvent.action == "evaluation.downloaded")
    assert event.actor_id == await person_id(harness, "leila.begum@wm-opcc.example")
    assert event.after == {"format": "xlsx"}


async def test_each_assessor_gets_a_link_of_their_own_for_csv_too(harness: Harness) -> None:
    _, director, evaluation_id = await closed_by_leila(harness)
    await harness.settle()
    [result] = [
        c.card for c in harness.connector.sent(director.conversation_id) if "Go/no-go result" in str(c.card)
    ]
    director.last = {"value": result}

    link = await press_download(director, evaluation_id, "Download (CSV)")
    response = await follow(harness, link)

    graham_id = await person_id(harness, "graham.holt@wm-opcc.example")
    assert f"/downloads/v1.{evaluation_id}.csv.{graham_id}." in link
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="evaluation-{evaluation_id}.csv"'
    lines = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert lines[0] == ["Group", "Factor", "Assessor", "Score", "Points", "Rationale"]
    assert len(lines) == 1 + 16


async def assert_refused(response: ClientResponse, status: int, title: str) -> None:
    assert response.status == status
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Content-Disposition" not in response.headers
    body = await response.text()
    assert f"<h1>{title}</h1>" in body and "Scores" not in body


async def test_an_expired_link_is_gone(harness: Harness) -> None:
    leila, _, evaluation_id = await closed_by_leila(harness)
    link = await press_download(leila, evaluation_id)

    harness.clock.advance(minutes=15)
    response = await follow(harness, link)

    await assert_refused(response, 410, "This download link has expired")
    assert "work for 15 minutes" in await response.text()
    assert await rows(harness, AuditEvent, AuditEvent.action == "evaluation.downloaded") == []


async def test_a_tampered_link_is_refused(harness: Harness) -> None:
    leila, _, evaluation_id = await closed_by_leila(harness)
    link = await press_download(leila, evaluation_id)
    graham_id = await person_id(harness, "graham.holt@wm-opcc.example")
    leila_id = await person_id(harness, "leila.begum@wm-opcc.example")

    for tampered in (
        link.replace(f".xlsx.{leila_id}.", f".xlsx.{graham_id}."),  # someone else's link
        link.replace(f"v1.{evaluation_id}.", f"v1.{evaluation_id + 1}."),  # another evaluation
        link[:-2],
        link.rsplit("/", 1)[0] + "/not-a-token",
    ):
        await assert_refused(await follow(harness, tampered), 403, "This download link is not valid")
    assert await rows(harness, AuditEvent, AuditEvent.action == "evaluation.downloaded") == []


async def test_a_link_stops_working_when_its_person_loses_access(harness: Harness) -> None:
    """Leila leads without scoring: her access is her role on the contract, and it is taken away."""
    leila, director = harness.user("leila"), graham(harness)
    await director.install()
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example")
    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(GRAHAM_SCORES)})
    await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})
    link = await press_download(leila, evaluation_id)
    leila_id, fcar = (
        await person_id(harness, "leila.begum@wm-opcc.example"),
        await contract_id(harness, "FCAR"),
    )
    async with harness.steward.database.session() as session:
        await session.execute(
            delete(ContractRole).where(ContractRole.person_id == leila_id, ContractRole.contract_id == fcar)
        )

    response = await follow(harness, link)

    await assert_refused(response, 403, "This file is no longer available to you")


async def test_no_link_for_an_outsider_or_an_open_evaluation(harness: Harness) -> None:
    leila, director = harness.user("leila"), graham(harness)
    evaluation_id = await start_evaluation(harness, leila)
    await invite(harness, leila, evaluation_id, "graham.holt@wm-opcc.example")
    await director.press("gonogo.save", {"evaluation_id": evaluation_id, "start": 0, **inputs(GRAHAM_SCORES)})
    press = {"evaluation_id": evaluation_id, "file_format": "xlsx"}

    await leila.press("gonogo.download", press)
    assert "once the lead closes the evaluation" in card_texts(leila.card)[1]
    await leila.press("gonogo.close.confirm", {"evaluation_id": evaluation_id})
    priya = harness.user("priya")
    await priya.press("gonogo.download", press)

    assert card_texts(priya.card)[1] == "You are not part of that evaluation."
    assert "Action.OpenUrl" not in str(priya.card)
    reasons = [e.after.get("reason") for e in await rows(harness, AuditEvent, AuditEvent.action == "refused")]
    assert f"open:{evaluation_id}" in reasons and f"not involved:{evaluation_id}" in reasons


async def test_the_link_uses_the_public_url(database_url: str, clock: Any, connector: Any) -> None:
    harness = await Harness(database_url, clock, connector, PUBLIC_URL="https://steward.example/bot").start()
    try:
        leila, _, evaluation_id = await closed_by_leila(harness)
        link = await press_download(leila, evaluation_id)
    finally:
        await harness.close()

    assert link.startswith(f"https://steward.example/bot/downloads/v1.{evaluation_id}.xlsx.")


async def test_without_a_public_url_the_card_says_downloads_are_not_set_up(harness: Harness) -> None:
    """Outside local mode with no PUBLIC_URL there is no address to give: the press says so, no link."""
    bot = harness.steward.bot
    bot._rules = replace(bot._rules, downloads=DownloadLinks("", b"k" * 32))
    leila, _, evaluation_id = await closed_by_leila(harness)

    await leila.press("gonogo.download", {"evaluation_id": evaluation_id, "file_format": "xlsx"})

    assert card_texts(leila.card)[2] == (
        "Downloads are not set up on this Steward yet: an administrator needs to set PUBLIC_URL."
    )
    assert "Action.OpenUrl" not in str(leila.card)
