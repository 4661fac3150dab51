"""The Teams tab in headless Chromium: what a commissioner and a provider see, a click through to a
contract, the themes, the keyboard, and an axe-core accessibility check with no serious violation.

Chromium is Debian's /usr/bin/chromium, installed by `make test`; Playwright drives it (no browser of its
own is downloaded). One browser for them all; the app (demo portfolio and its year of history, the
clock frozen at the suite's START) runs in a thread. Screenshots go to docs/screenshots/ for the README.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.tabserver import TabServer

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

if not CHROMIUM.exists():
    pytest.skip(
        "Chromium is not installed at /usr/bin/chromium: `make test` installs Debian's chromium package "
        "(apt-get install -y chromium), and it could not here",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is in the dev extra: pip install -e '.[dev]'"
)

pytestmark = pytest.mark.xdist_group("browser")  # one worker, so one browser and one app for them all

IVWS = "Integrated Victims and Witnesses Service"
FCAR = "First contact assessment and referral service"
CRS = "Community Resolution Service"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TabServer]:
    running = TabServer(tmp_path_factory.mktemp("tab")).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the module. Playwright's sync API holds an event loop on this thread while it
    runs, so it is stopped when the module ends, before the worker's next (async) tests."""
    playwright = sync_api.sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    )
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page, 1000 px wide, that fails the test on any Content-Security-Policy violation."""
    context = browser.new_context(viewport={"width": 1000, "height": 1300})
    tab = context.new_page()
    violations: list[str] = []
    tab.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield tab
    context.close()
    assert violations == []


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_tab(page: Any, server: TabServer, path: str, status: int = 200) -> Any:
    response = page.goto(server.url + path)
    assert response is not None and response.status == status, path
    page.wait_for_load_state("networkidle")
    return page


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def contracts_shown(page: Any) -> list[str]:
    return page.locator("article.card h2").all_inner_texts()


def test_a_commissioner_sees_his_contract_and_clicks_through_to_it(page: Any, server: TabServer) -> None:
    open_tab(page, server, "/tab/?as=daniel")
    assert contracts_shown(page) == [IVWS]
    assert "you are seeing Steward as Daniel Reyes" in page.locator("#demo-banner").inner_text()
    charts = page.locator("figure.trend img")
    assert charts.count() == 7
    assert page.evaluate(
        "[...document.querySelectorAll('figure.trend img')].slice(0, 2).every(i => i.naturalWidth > 0)"
    )
    shoot(page, "tab-portfolio-commissioner.png")
    page.get_by_role("link", name=IVWS).click()
    page.wait_for_load_state("networkidle")
    assert page.url == server.url + "/tab/contracts/IVWS?as=daniel"
    assert page.locator("h1").inner_text() == IVWS
    for heading in ("Monthly returns", "Meetings and minutes", "Actions", "Reminders and escalations"):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert "you are seeing Steward as Daniel Reyes" in page.locator("#demo-banner").inner_text()
    shoot(page, "tab-contract-commissioner.png")
    link = page.locator("ul.workbooks a").first  # the newest closed quarter's performance framework
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("IVWS-performance-framework-")
    with open(download.value.path(), "rb") as saved:  # saved without an extension: open it as bytes
        assert load_workbook(saved).sheetnames == ["PIs", "KPIs", "Payment", "Commentary"]
    answer = page.request.get(download.value.url)  # the same link again, to read the response's type
    assert (answer.status, answer.headers["content-type"]) == (200, XLSX)


def test_a_provider_sees_her_two_contracts_and_is_refused_the_other_providers(
    page: Any, server: TabServer
) -> None:
    open_tab(page, server, "/tab/?as=priya")
    assert contracts_shown(page) == [FCAR, IVWS]
    assert CRS not in page.content()
    open_tab(page, server, "/tab/contracts/CRS-ACC?as=priya", status=403)
    assert page.locator("h1").inner_text() == "You cannot see this contract"
    assert CRS not in page.content()


def test_at_a_narrow_tab_width_nothing_spills_sideways(page: Any, server: TabServer) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    for path in ("/tab/?as=priya", "/tab/contracts/IVWS?as=priya"):
        open_tab(page, server, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    open_tab(page, server, "/tab/?as=priya")
    shoot(page, "tab-portfolio-provider-narrow.png")


def background(page: Any) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


def test_the_theme_switches_and_stays_on_the_next_page(page: Any, server: TabServer) -> None:
    open_tab(page, server, "/tab/contracts/IVWS?as=daniel")
    assert background(page) == "rgb(255, 255, 255)"
    page.get_by_label("Theme").select_option("dark")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert background(page) == "rgb(31, 31, 31)"
    assert "theme=dark" in page.url and "as=daniel" in page.url
    shoot(page, "tab-contract-dark.png")
    page.get_by_role("link", name="← Your contracts").click()
    page.wait_for_load_state("networkidle")
    assert background(page) == "rgb(31, 31, 31)"
    page.get_by_label("Theme").select_option("contrast")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state("networkidle")
    assert background(page) == "rgb(0, 0, 0)"
    shoot(page, "tab-portfolio-contrast.png")


def test_with_no_theme_chosen_the_page_follows_the_devices_dark_scheme(
    browser: Any, server: TabServer
) -> None:
    context = browser.new_context(color_scheme="dark")
    try:
        dark = context.new_page()
        open_tab(dark, server, "/tab/?as=daniel")
        assert background(dark) == "rgb(31, 31, 31)"
    finally:
        context.close()


def test_the_keyboard_reaches_the_page_and_the_action_filters(page: Any, server: TabServer) -> None:
    open_tab(page, server, "/tab/contracts/IVWS?as=daniel")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the page"
    page.get_by_label("Status").focus()
    page.keyboard.press("ArrowDown")  # Any → Open
    page.get_by_role("button", name="Show").press("Enter")
    page.wait_for_load_state("networkidle")
    assert "status=open" in page.url


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
PAGES_CHECKED = [
    "/tab/",
    "/tab/?as=daniel",
    "/tab/contracts/IVWS?as=daniel&theme=dark",
    "/tab/?as=priya&theme=contrast",
    "/tab/contracts/CRS-ACC?as=priya",
    "/tab/configure?as=leila",
]


def test_no_page_has_a_serious_or_critical_accessibility_violation(browser: Any, server: TabServer) -> None:
    """axe-core (vendored from the npm registry, tests/vendor/) injected into each page; this context
    bypasses the CSP only so the test's own script can be added."""
    context = browser.new_context(viewport={"width": 1000, "height": 1300}, bypass_csp=True)
    found: dict[str, list[str]] = {}
    try:
        tab = context.new_page()
        for path in PAGES_CHECKED:
            tab.goto(server.url + path)
            tab.wait_for_load_state("networkidle")
            if "/contracts/" in path:  # every return version, meeting and table shown, so all are checked
                tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            tab.add_script_tag(path=str(AXE))
            result = tab.evaluate(
                "axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: AXE_TAGS}})".replace(
                    "AXE_TAGS", json.dumps(AXE_TAGS)
                )
            )
            serious = [
                f"{v['id']}: {v['help']} ({len(v['nodes'])}x)"
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            if serious:
                found[path] = serious
    finally:
        context.close()
    assert found == {}, json.dumps(found, indent=2)
