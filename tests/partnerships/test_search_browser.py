"""The search as a reader uses it in a real browser (Playwright driving Debian's chromium)."""

import pytest
from playwright import sync_api as playwright_sync

from tests.browser import browser, inject_axe, page, seeds_back_afterwards, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

FEFU_INSTITUTE = "Chongqing University of Posts and Telecommunications – Far Eastern Federal University Joint Institute"


def test_header_search_finds_the_institute_as_the_news_writes_it(site, page):
    expect = playwright_sync.expect
    page.goto(site + "/agreements/")
    page.get_by_role("search", name="Site search").get_by_role("searchbox").fill("CQUPT-FEFU")
    page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the registry")
    expect(page.get_by_role("heading", name="Joint institutes (1)")).to_be_visible()
    page.get_by_role("link", name="1 joint institute in the listing, with filters").click()
    assert "/institutes/?q=CQUPT-FEFU" in page.url
    expect(page.locator("#results-heading")).to_have_text("1 result")
    page.get_by_role("link", name=FEFU_INSTITUTE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Far Eastern Federal University Joint Institute")


def test_home_page_search_at_phone_width(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site + "/")
    page.locator("#home-q").fill("重庆 邮电")
    page.locator("#home-q").press("Enter")
    playwright_sync.expect(page.get_by_role("link", name=FEFU_INSTITUTE)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_search_pages_pass_an_accessibility_audit(site, page):
    problems = []
    for path in ("/search/?q=FEFU", "/search/?q=Atlantis", "/search/", "/search/?q=" + "x" * 201):
        page.goto(site + path)
        inject_axe(page)
        result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
        problems += [f"{path}: {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
                     for v in result["violations"]]
    assert not problems, "\n".join(problems)
