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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
