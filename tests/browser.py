"""Fixtures of the browser tests: Playwright driving Debian's chromium against a live server with the seed facts."""
import os

import pytest
from playwright import sync_api as playwright_sync

from tests.seeds import load_seed_facts

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", autouse=True)
def seeds_back_afterwards(django_db_blocker):
    """live_server tests flush the database when they end; put the session's seed facts back for any later test."""
    yield
    with django_db_blocker.unblock():
        load_seed_facts()


@pytest.fixture
def site(live_server):
    load_seed_facts()  # the live server's database starts empty (transactional test)
    return live_server.url


# Recorded from the first byte of every page: each Content-Security-Policy violation the browser reports.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || location.pathname}:${event.lineNumber}`);
});
"""


def watched_context(browser, **options):
    """A browser context whose pages record CSP violations (read them with ``csp_violations(page)``)."""
    context = browser.new_context(**options)
    context.add_init_script(WATCH_CSP)
    return context


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


# axe-core 4.14.1 (MPL-2.0), vendored from the npm registry: no network at test time.
AXE = os.path.join(os.path.dirname(__file__), "vendor", "axe.min.js")


def inject_axe(page) -> None:
    """Loads axe-core into ``page`` through the DevTools protocol: an injected <script> would (rightly) be
    refused by the page's Content-Security-Policy."""
    with open(AXE, encoding="utf-8") as source:
        page.evaluate(source.read() + "\n;void 0")


@pytest.fixture
def page(browser):
    context = watched_context(browser, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
