"""End-to-end tests in headless Chromium (the Debian package, never `playwright install`), with axe-core.

Every test here is marked `browser` (run or skip them with `-m browser` / `-m "not browser"`).
Tests use pytest-django's `live_server`; asking for it makes the `db` fixture (and so `people`)
transactional, so the server thread sees the rows the test made.

Helpers for the tests (import them from this module):
    sign_in(page, live_server, email)   signs in through the real form at /accounts/login/
    assert_accessible(page)             axe-core, WCAG 2.0/2.1/2.2 A and AA
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; Django's async-safety check would then
# refuse the ORM calls the fixtures make. Must be set before any test touches the database.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("BROWSER_TESTS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000  # fail fast: every page here is served by a local test server

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
_axe = Axe()

_HERE = Path(__file__).parent.resolve()


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser`."""
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page in a fresh context (own cookies) per test.

    The test also fails if the page logs a JavaScript/CSP error or a request for a static asset fails:
    a missing stylesheet would make the colour-contrast checks meaningless."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" and "favicon.ico" not in (message.location or {}).get("url", "")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} for {response.url}")
            if response.status >= 400 and "/static/" in response.url
            else None
        ),
    )
    page.on(
        "requestfailed",
        lambda request: (
            problems.append(f"request failed: {request.url} ({request.failure})")
            if "/static/" in request.url and "ERR_ABORTED" not in (request.failure or "")
            else None
        ),
    )
    yield page
    context.close()
    assert not problems, "the browser reported problems:\n  " + "\n  ".join(problems)


def sign_in(page: Page, live_server, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real form, as a person would, and wait for the page it leads to."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.locator("main .govuk-error-summary")).to_have_count(0)


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now: WCAG 2.0, 2.1 and 2.2, levels A and AA.

    A click that submits a form or follows a link may still be loading its next page when this is called, and axe
    then finds no document (or its context is destroyed mid-run): wait for the page to finish loading and run again.
    """
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            results = _axe.run(page, options=AXE_OPTIONS).response
            break
        except PlaywrightError as error:
            navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
            if not navigating or attempt == 2:
                raise
            page.wait_for_timeout(200)
    violations = results["violations"]
    if not violations:
        return
    lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        more = len(violation["nodes"]) - len(targets)
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"    at {'; '.join(targets)}{f' (+{more} more)' if more > 0 else ''}\n"
            f"    {violation['helpUrl']}"
        )
    pytest.fail("\n".join(lines), pytrace=False)
