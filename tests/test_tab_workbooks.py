"""The tab's workbook downloads over HTTP: the contract page's links, checked by the tab's own identity."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook
from sqlalchemy import select

from storage.models import AuditEvent
from tests.conftest import Harness
from tests.test_status_journey import seed_returns

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FRAMEWORK = "/tab/contracts/IVWS/workbooks/framework/2026Q2.xlsx"


async def test_the_contract_page_links_each_closed_quarters_three_workbooks(harness: Harness) -> None:
    assert harness.client is not None
    page = await (await harness.client.get("/tab/contracts/IVWS?as=daniel")).text()

    assert '<h2 id="workbooks">Workbooks</h2>' in page
    assert f'href="{FRAMEWORK}?as=daniel" download' in page
    assert 'href="/tab/contracts/IVWS/workbooks/monthly/2026Q2.xlsx?as=daniel"' in page
    assert 'href="/tab/contracts/IVWS/workbooks/pack/2025Q1.xlsx?as=daniel"' in page
    assert "2026Q3" not in page  # October to December 2026 has not closed


async def test_the_commissioner_downloads_the_framework_with_the_quarters_figures(harness: Harness) -> None:
    await seed_returns(harness)
    assert harness.client is not None

    response = await harness.client.get(FRAMEWORK + "?as=daniel")

    assert response.status == 200
    assert response.headers["Content-Type"] == XLSX
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="IVWS-performance-framework-2026Q2.xlsx"'
    )
    data = await response.read()
    assert load_workbook(io.BytesIO(data)).sheetnames == ["PIs", "KPIs", "Payment", "Commentary"]
    kpis = pd.read_excel(io.BytesIO(data), sheet_name="KPIs", header=2)
    assert kpis[kpis["Code"] == "REF"].iloc[0]["Result"] == 7600
    async with harness.steward.database.session() as session:
        [event] = (
            await session.execute(select(AuditEvent).where(AuditEvent.action == "report.downloaded"))
        ).scalars()
    assert event.after == {"report": "framework", "quarter": "2026Q2", "via": "tab"}


async def test_a_provider_downloads_their_own_contracts_pack(harness: Harness) -> None:
    assert harness.client is not None
    response = await harness.client.get("/tab/contracts/IVWS/workbooks/pack/2026Q2.xlsx?as=priya")
    assert (response.status, response.headers["Content-Type"]) == (200, XLSX)


async def test_a_provider_cannot_download_another_providers_contract(harness: Harness) -> None:
    assert harness.client is not None
    for path in (FRAMEWORK, "/tab/contracts/IVWS/workbooks/pack/2026Q2.xlsx"):
        response = await harness.client.get(path + "?as=lewis")  # Safe Homes: CRS-ACC only
        assert response.status == 403
        assert "Content-Disposition" not in response.headers
        assert response.headers["Content-Type"].startswith("text/html")


async def test_a_quarter_not_closed_or_an_unknown_workbook_is_a_404(harness: Harness) -> None:
    assert harness.client is not None
    for path in (
        "/tab/contracts/IVWS/workbooks/framework/2026Q3.xlsx",
        "/tab/contracts/IVWS/workbooks/minutes/2026Q2.xlsx",
        "/tab/contracts/IVWS/workbooks/framework/2026Q9.xlsx",
    ):
        response = await harness.client.get(path + "?as=daniel")
        assert response.status == 404, path
        assert "Content-Disposition" not in response.headers
