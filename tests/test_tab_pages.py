"""The Teams tab over HTTP in local mode: the real app and the demo portfolio, pages as people see them.

In local mode the tab shows the demo as the person `?as=` names and says so on every page; the role
rules are the bot's: a person sees the contracts they hold a role on, and nothing of any other.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from commissioning.actions import ActionLevel
from storage.models import Contract, Person
from storage.repositories import Repositories
from tests.conftest import START, Harness
from tests.tabpages import parse_strictly, words

IVWS = "Integrated Victims and Witnesses Service"
FCAR = "First contact assessment and referral service"
CRS = "Community Resolution Service"


async def get(harness: Harness, url: str) -> tuple[int, str, dict[str, str]]:
    assert harness.client is not None
    response = await harness.client.get(url, allow_redirects=False)
    return response.status, await response.text(), dict(response.headers)


async def test_a_commissioner_sees_only_their_contract_with_its_facts(harness: Harness) -> None:
    status, page, _ = await get(harness, "/tab/?as=daniel")
    assert status == 200
    text = words(page)
    assert IVWS in text
    assert FCAR not in text and CRS not in text
    for fact in (
        "Rating",
        "Last return",
        "Next meeting",
        "Meeting deadline",
        "Overdue actions",
        "Outcome payment",
    ):
        assert fact in text
    assert "Twelve months against the minimum" in text
    assert 'src="/tab/contracts/IVWS/trends/PI1.svg?as=daniel"' in page


async def test_a_provider_contact_sees_both_of_her_contracts_and_not_the_other_providers(
    harness: Harness,
) -> None:
    status, page, _ = await get(harness, "/tab/?as=priya")
    assert status == 200
    text = words(page)
    assert IVWS in text and FCAR in text
    assert CRS not in text


async def test_every_page_says_whose_demo_it_is(harness: Harness) -> None:
    for url in ("/tab/?as=priya", "/tab/contracts/IVWS?as=priya", "/tab/configure?as=priya"):
        status, page, _ = await get(harness, url)
        assert status == 200, url
        assert "Demo, local mode: you are seeing Steward as Priya Shah, without signing in." in words(page)


async def test_without_a_person_the_demo_asks_who_to_be(harness: Harness) -> None:
    status, page, _ = await get(harness, "/tab/")
    assert status == 200
    assert "Who are you?" in words(page)
    assert 'href="/tab/?as=priya.shah"' in page


async def test_a_name_nobody_has_is_a_404_with_the_choice(harness: Harness) -> None:
    status, page, _ = await get(harness, "/tab/?as=nobody")
    assert status == 404
    assert "Nobody called “nobody” is in the demo" in words(page)


async def test_a_provider_asking_for_another_providers_contract_is_refused_and_told_nothing(
    harness: Harness,
) -> None:
    status, page, _ = await get(harness, "/tab/contracts/IVWS?as=lewis")
    assert status == 403
    assert "You cannot see this contract" in words(page)
    assert IVWS not in page and "Victim Support" not in page and "IVWS" not in words(page)


async def test_a_refusal_leads_back_to_the_same_persons_portfolio(harness: Harness) -> None:
    _, page, _ = await get(harness, "/tab/contracts/IVWS?as=lewis&theme=dark")
    assert '<a href="/tab/?as=lewis&amp;theme=dark">Back to your portfolio</a>' in page


async def test_a_contract_that_does_not_exist_is_refused_alike(harness: Harness) -> None:
    missing = await get(harness, "/tab/contracts/NOPE?as=lewis")
    other = await get(harness, "/tab/contracts/IVWS?as=lewis")
    assert missing[0] == other[0] == 403
    assert words(missing[1]) == words(other[1])


async def test_another_providers_chart_is_refused_too(harness: Harness) -> None:
    status, page, headers = await get(harness, "/tab/contracts/IVWS/trends/PI1.svg?as=lewis")
    assert status == 403
    assert headers["Content-Type"].startswith("text/html")
    assert "<svg" not in page


async def test_a_chart_is_an_svg_without_script_for_its_own_contract(harness: Harness) -> None:
    status, svg, headers = await get(harness, "/tab/contracts/IVWS/trends/PI1.svg?as=daniel&theme=dark")
    assert status == 200
    assert headers["Content-Type"] == "image/svg+xml"
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Minimum" in svg
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy


async def test_an_unknown_indicator_is_a_404(harness: Harness) -> None:
    status, _, _ = await get(harness, "/tab/contracts/IVWS/trends/NOPE.svg?as=daniel")
    assert status == 404


async def test_the_contract_page_has_every_part(harness: Harness) -> None:
    status, page, _ = await get(harness, "/tab/contracts/IVWS?as=daniel")
    assert status == 200
    text = words(page)
    for heading in (
        "Monthly returns",
        "Meetings and minutes",
        "Actions",
        "KPI results and payments by quarter",
        "Reminders and escalations",
        "Twelve months against the minimum",
    ):
        assert heading in text


async def _actions(harness: Harness) -> dict[str, int]:
    """Two actions on IVWS: one open for Priya at the monthly review, one done for Daniel at the quarterly."""
    async with harness.steward.database.session() as session:
        repos = Repositories.on(session)
        contract = (await session.execute(select(Contract).where(Contract.key == "IVWS"))).scalar_one()
        people = {p.email.split(".")[0]: p for p in (await session.execute(select(Person))).scalars()}
        now = START
        first = await repos.actions.add_action(
            contract_id=contract.id,
            meeting_id=None,
            description="Send the <b>staffing</b> plan",
            owner_id=people["priya"].id,
            due_on=date(2026, 10, 30),
            level=ActionLevel.MONTHLY,
            by_id=people["daniel"].id,
            now=now,
        )
        second = await repos.actions.add_action(
            contract_id=contract.id,
            meeting_id=None,
            description="Agree the audit dates",
            owner_id=people["daniel"].id,
            due_on=date(2026, 12, 1),
            level=ActionLevel.QUARTERLY,
            by_id=people["daniel"].id,
            now=now,
        )
        second.status = "done"
        return {"priya": people["priya"].id, "daniel": people["daniel"].id, "first": first.id}


async def test_actions_show_owner_due_date_and_overdue_and_escape_what_people_typed(harness: Harness) -> None:
    await _actions(harness)
    _, page, _ = await get(harness, "/tab/contracts/IVWS?as=daniel")
    text = words(page)
    assert "Send the <b>staffing</b> plan" not in page
    assert "Send the &lt;b&gt;staffing&lt;/b&gt; plan" in page
    assert "Priya Shah 30 Oct 2026 overdue Open monthly performance review" in text
    assert "Daniel Reyes 1 Dec 2026 Done quarterly contract meeting" in text


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status=done", "Agree the audit dates", "staffing"),
        ("status=open", "staffing", "Agree the audit dates"),
        ("level=quarterly_contract", "Agree the audit dates", "staffing"),
    ],
)
async def test_actions_filter_by_status_and_level(
    harness: Harness, query: str, shown: str, hidden: str
) -> None:
    await _actions(harness)
    status, page, _ = await get(harness, f"/tab/contracts/IVWS?as=daniel&{query}")
    assert status == 200
    table = page.split('id="action-log"', 1)[1]
    assert shown in table and hidden not in table


async def test_actions_filter_by_owner(harness: Harness) -> None:
    ids = await _actions(harness)
    _, page, _ = await get(harness, f"/tab/contracts/IVWS?as=daniel&owner={ids['priya']}")
    table = page.split('id="action-log"', 1)[1]
    assert "staffing" in table and "Agree the audit dates" not in table
    assert f'<option value="{ids["priya"]}" selected>Priya Shah</option>' in page


@pytest.mark.parametrize("query", ["status=lost", "level=board", "owner=me"])
async def test_a_filter_the_page_never_offers_is_a_400(harness: Harness, query: str) -> None:
    status, page, _ = await get(harness, f"/tab/contracts/IVWS?as=daniel&{query}")
    assert status == 400
    assert "Traceback" not in page


async def _notices(harness: Harness) -> None:
    """A reminder to Priya (sent) and an escalation to Daniel (waiting), both about IVWS."""
    # The app's start-up delivery round finishes first, so it cannot take the escalation behind the test's back.
    await harness.settle()
    async with harness.steward.database.session() as session:
        repos = Repositories.on(session)
        contract = (await session.execute(select(Contract).where(Contract.key == "IVWS"))).scalar_one()
        people = {p.email.split(".")[0]: p for p in (await session.execute(select(Person))).scalars()}
        await repos.outbox.enqueue(
            key="t1",
            kind="remind.return.due_today",
            recipient_id=people["priya"].id,
            payload={"title": "October's return is due today"},
            now=START,
            contract_id=contract.id,
        )
        await repos.outbox.enqueue(
            key="t2",
            kind="remind.return.escalated",
            recipient_id=people["daniel"].id,
            payload={"title": "October's return is late", "escalation": True},
            now=START,
            contract_id=contract.id,
        )
        row = await repos.outbox.by_key("t1")
        assert row is not None
        row.status, row.sent_at = "sent", START


async def test_a_commissioner_sees_every_reminder_and_escalation_with_its_delivery(harness: Harness) -> None:
    await _notices(harness)
    _, page, _ = await get(harness, "/tab/contracts/IVWS?as=daniel")
    text = words(page)
    assert "October's return is due today Priya Shah 3 Nov 2026 10:00 3 Nov 2026 10:00 sent" in text
    assert "October's return is late (escalation) Daniel Reyes 3 Nov 2026 10:00 – pending" in text


async def test_a_provider_sees_the_reminders_to_the_provider_side_only(harness: Harness) -> None:
    await _notices(harness)
    _, page, _ = await get(harness, "/tab/contracts/IVWS?as=priya")
    text = words(page)
    assert "October's return is due today" in text
    assert "October's return is late" not in text


TEAMS_ORIGINS = (
    "https://teams.microsoft.com",
    "https://*.teams.microsoft.com",
    "https://*.cloud.microsoft",
    "https://outlook.office.com",
)


@pytest.mark.parametrize(
    "url", ["/tab/?as=daniel", "/tab/contracts/IVWS?as=lewis", "/tab/?as=nobody", "/tab/static/tab.css"]
)
async def test_every_tab_response_may_be_framed_by_teams_only(harness: Harness, url: str) -> None:
    _, _, headers = await get(harness, url)
    policy = headers["Content-Security-Policy"]
    ancestors = next(part for part in policy.split("; ") if part.startswith("frame-ancestors "))
    assert ancestors.split()[1:] == [
        *TEAMS_ORIGINS,
        "https://outlook.office365.com",
        "https://*.microsoft365.com",
    ]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Frame-Options" not in headers  # it would stop Teams framing the tab


async def test_pages_are_not_cached(harness: Harness) -> None:
    _, _, headers = await get(harness, "/tab/?as=daniel")
    assert headers["Cache-Control"] == "no-store"


async def test_the_bots_own_routes_keep_their_headers(harness: Harness) -> None:
    _, _, headers = await get(harness, "/healthz")
    assert "Content-Security-Policy" not in headers


async def test_the_theme_comes_from_the_query_and_stays_on_every_link(harness: Harness) -> None:
    _, page, _ = await get(harness, "/tab/?as=daniel&theme=dark")
    assert '<html lang="en-GB" data-theme="dark">' in page
    assert 'href="/tab/contracts/IVWS?as=daniel&amp;theme=dark"' in page


async def test_teams_light_theme_is_its_default_and_nonsense_is_the_devices(harness: Harness) -> None:
    _, light, _ = await get(harness, "/tab/?as=daniel&theme=light")
    _, nonsense, _ = await get(harness, "/tab/?as=daniel&theme=%3Cscript%3E")
    assert 'data-theme="default"' in light
    assert 'data-theme="auto"' in nonsense and "<script>" not in nonsense


@pytest.mark.parametrize(
    "url",
    [
        "/tab/",
        "/tab/?as=daniel",
        "/tab/?as=priya&theme=contrast",
        "/tab/contracts/IVWS?as=daniel",
        "/tab/contracts/IVWS?as=lewis",
        "/tab/configure?as=samir",
    ],
)
async def test_pages_are_valid_html(harness: Harness, url: str) -> None:
    await _actions(harness)
    _, page, _ = await get(harness, url)
    parse_strictly(page)


async def test_the_configuration_page_offers_the_persons_contracts(harness: Harness) -> None:
    _, page, _ = await get(harness, "/tab/configure?as=priya")
    assert '<option value="IVWS" data-name="' + IVWS + '">' in page
    assert '<option value="FCAR"' in page and "CRS-ACC" not in page


async def test_sign_in_has_nothing_to_do_in_local_mode(harness: Harness) -> None:
    assert harness.client is not None
    response = await harness.client.post("/tab/session", headers={"Authorization": "Bearer x"})
    assert response.status == 404
