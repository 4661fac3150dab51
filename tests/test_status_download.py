"""The status card's Download over HTTP: press, follow the link, get the workbook with the card's figures."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from aiohttp import ClientResponse
from openpyxl import load_workbook
from sqlalchemy import delete, select
from yarl import URL

from storage.models import AuditEvent, ContractRole
from tests.cardschema import assert_valid_card
from tests.conftest import Harness
from tests.meeting_steps import contract_id, person_id
from tests.teams import TeamsUser, card_actions, card_texts, elements
from tests.test_status_journey import seed_returns

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_url(card: dict[str, Any]) -> str:
    [link] = [
        action["url"]
        for element in elements(card)
        if element["type"] == "ActionSet"
        for action in element["actions"]
        if action["type"] == "Action.OpenUrl"
    ]
    return str(link)


async def follow(harness: Harness, link: str) -> ClientResponse:
    """Open the link as the browser Teams hands it to would: a plain GET, no Teams identity."""
    assert harness.client is not None
    return await harness.client.get(URL(link).path)


async def press_download(user: TeamsUser, label: str, quarter: str | None = None) -> str:
    action = card_actions(user.card)[label]
    assert action["type"] == "Action.Execute"
    data = {k: v for k, v in action["data"].items() if k != "verb"}
    await user.press(action["verb"], {**data, **({"quarter": quarter} if quarter else {})})
    return open_url(user.card)


async def audited(harness: Harness, action: str) -> list[AuditEvent]:
    async with harness.steward.database.session() as session:
        return list((await session.execute(select(AuditEvent).where(AuditEvent.action == action))).scalars())


async def daniels_status(harness: Harness) -> TeamsUser:
    await seed_returns(harness)  # July to September 2026: Q2 2026/27 closed, the newest return September
    daniel = harness.user("daniel")
    await daniel.press("status.show", {"contract_id": await contract_id(harness)})
    return daniel


async def test_the_status_card_offers_the_three_workbooks_for_a_closed_quarter_newest_first(
    harness: Harness,
) -> None:
    daniel = await daniels_status(harness)

    [picker] = [e for e in elements(daniel.card) if e["type"] == "Input.ChoiceSet" and e["id"] == "quarter"]
    actions = card_actions(daniel.card)

    assert [c["title"] for c in picker["choices"]] == [
        "Q2 2026/27", "Q1 2026/27", "Q4 2025/26", "Q3 2025/26", "Q2 2025/26", "Q1 2025/26"
    ]  # fmt: skip
    assert picker["value"] == "2026Q2"  # the last closed contract quarter
    assert actions["Download framework"]["data"] == {
        "verb": "status.download",
        "contract_id": await contract_id(harness),
        "report": "framework",
    }
    assert {"Download monthly", "Download meeting pack"} <= set(actions)
    assert "steward report" not in " ".join(card_texts(daniel.card))
    assert_valid_card(daniel.card)


async def test_pressing_download_then_following_the_link_gives_the_framework_with_the_cards_figures(
    harness: Harness,
) -> None:
    daniel = await daniels_status(harness)
    texts = card_texts(daniel.card)
    card_pi1 = texts[texts.index("PI1 Referrals received") + 1 : texts.index("PI1 Referrals received") + 3]
    card_ref = texts[texts.index("REF Referral volumes") + 1 : texts.index("REF Referral volumes") + 3]

    link = await press_download(daniel, "Download framework")
    response = await follow(harness, link)

    ivws, daniel_id = await contract_id(harness), await person_id(harness, "daniel")
    assert link.startswith(f"http://127.0.0.1:{harness.settings.port}/downloads/w1.{ivws}.framework.2026Q2.")
    assert "Your quarterly performance framework for Q2 2026/27 is ready" in card_texts(daniel.card)
    assert response.status == 200
    assert response.headers["Content-Type"] == XLSX
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="IVWS-performance-framework-2026Q2.xlsx"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    data = await response.read()
    assert load_workbook(io.BytesIO(data)).sheetnames == ["PIs", "KPIs", "Payment", "Commentary"]
    pis = pd.read_excel(io.BytesIO(data), sheet_name="PIs", header=2)
    pi1 = pis[pis["Code"] == "PI1"].iloc[0]
    kpis = pd.read_excel(io.BytesIO(data), sheet_name="KPIs", header=2)
    ref = kpis[kpis["Code"] == "REF"].iloc[0]
    assert card_pi1 == ["2,550", "✔ Green"]  # September 2026, the newest return
    assert (pi1["September 2026"], pi1.iloc[list(pis.columns).index("September 2026") + 1]) == (2550, "Green")
    assert card_ref == ["Q2 2026/27: 7,600 against a target of 7,500", "✔ Green"]
    assert (ref["Result"], ref["Target"]) == (7600, 7500)
    [event] = await audited(harness, "report.downloaded")
    assert (event.actor_id, event.contract_id) == (daniel_id, ivws)
    assert event.after == {"report": "framework", "quarter": "2026Q2", "via": "bot"}


async def test_the_monthly_framework_and_the_pack_come_for_the_quarter_picked(harness: Harness) -> None:
    daniel = await daniels_status(harness)

    monthly = await follow(harness, await press_download(daniel, "Download monthly", "2026Q2"))
    pack = await follow(harness, await press_download(daniel, "Download meeting pack", "2026Q1"))

    assert (
        monthly.headers["Content-Disposition"] == 'attachment; filename="IVWS-monthly-framework-2026Q2.xlsx"'
    )
    grid = load_workbook(io.BytesIO(await monthly.read()))["Monthly framework"]
    header = [c.value for c in grid[3]]
    assert header[header.index("September 2026") + 1] == "To date"  # to the end of Q2, not October
    assert pack.headers["Content-Disposition"] == 'attachment; filename="IVWS-meeting-pack-2026Q1.xlsx"'
    assert load_workbook(io.BytesIO(await pack.read())).sheetnames == [
        "Cover", "Framework", "KPIs", "Payment", "Commentary", "Actions", "Deliverables",
    ]  # fmt: skip


async def test_a_quarter_not_offered_comes_back_with_the_error_beside_the_picker_and_no_link(
    harness: Harness,
) -> None:
    daniel = await daniels_status(harness)
    ivws = await contract_id(harness)

    await daniel.press("status.download", {"contract_id": ivws, "report": "pack", "quarter": "2026Q3"})

    [picker] = [e for e in elements(daniel.card) if e["type"] == "Input.ChoiceSet" and e["id"] == "quarter"]
    assert picker["errorMessage"] == "Choose one of the closed quarters in the list."
    assert "Action.OpenUrl" not in str(daniel.card)


async def assert_refused(response: ClientResponse, status: int, title: str) -> None:
    assert response.status == status
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Content-Disposition" not in response.headers
    assert f"<h1>{title}</h1>" in await response.text()


async def test_an_expired_link_is_gone(harness: Harness) -> None:
    daniel = await daniels_status(harness)
    link = await press_download(daniel, "Download framework")

    harness.clock.advance(minutes=15)
    response = await follow(harness, link)

    await assert_refused(response, 410, "This download link has expired")
    assert await audited(harness, "report.downloaded") == []


async def test_another_persons_link_or_another_contracts_is_refused(harness: Harness) -> None:
    daniel = await daniels_status(harness)
    link = await press_download(daniel, "Download framework")
    daniel_id, priya_id = await person_id(harness, "daniel"), await person_id(harness, "priya")
    ivws = await contract_id(harness)

    for tampered in (
        link.replace(f".2026Q2.{daniel_id}.", f".2026Q2.{priya_id}."),  # someone else's link
        link.replace(f"w1.{ivws}.", f"w1.{ivws + 1}."),  # another contract
        link.replace(".framework.", ".pack."),
        link[:-2],
    ):
        await assert_refused(await follow(harness, tampered), 403, "This download link is not valid")
    assert await audited(harness, "report.downloaded") == []


async def test_a_link_stops_working_when_its_person_loses_their_role_on_the_contract(
    harness: Harness,
) -> None:
    daniel = await daniels_status(harness)
    link = await press_download(daniel, "Download framework")
    daniel_id, ivws = await person_id(harness, "daniel"), await contract_id(harness)
    async with harness.steward.database.session() as session:
        await session.execute(
            delete(ContractRole).where(ContractRole.person_id == daniel_id, ContractRole.contract_id == ivws)
        )

    response = await follow(harness, link)

    await assert_refused(response, 403, "This file is no longer available to you")


async def test_a_provider_forging_a_download_for_another_organisations_contract_is_refused_and_audited(
    harness: Harness,
) -> None:
    await seed_returns(harness)
    lewis = harness.user("lewis")  # Safe Homes: CRS-ACC only
    ivws = await contract_id(harness)

    await lewis.press("status.download", {"contract_id": ivws, "report": "framework", "quarter": "2026Q2"})

    assert card_texts(lewis.card) == [
        "That isn't available to you",
        "You don't have a role on that contract that allows this.",
    ]
    assert "Action.OpenUrl" not in str(lewis.card)
    [event] = await audited(harness, "refused")
    assert (event.entity_id, event.contract_id, event.after["reason"]) == (
        "status.download",
        ivws,
        f"view_return:{ivws}",
    )
