"""A reader's path through the registry in a real browser: Playwright driving Debian's chromium."""
import pytest
from playwright import sync_api as playwright_sync

from tests.browser import browser, inject_axe, page, seeds_back_afterwards, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_filter_programs_by_country_and_open_one(site, page):
    expect = playwright_sync.expect
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("China–foreign joint education")
    expect(page.get_by_text("10 programs")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    results = page.locator("#results-heading")
    expect(results).to_have_text("10 results")

    page.get_by_role("checkbox", name="Russia").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(results).to_have_text("8 results")
    assert "country=RU" in page.url
    expect(page.get_by_role("link", name="Pharmacy", exact=True)).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Russia")).to_be_checked()

    page.get_by_role("heading", name="Internet of Things Engineering", exact=True).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Internet of Things Engineering")
    figures = page.locator("#figures-heading + .table-wrap table")
    expect(figures).to_contain_text("Students admitted")
    expect(figures).to_contain_text("100")
    admitted = figures.get_by_role("row").filter(has_text="Students admitted")
    # The title links to the article itself; "about this source" to the registry's page on it.
    expect(admitted.get_by_role("link", name="New China-Russia Educational Collaboration Opens in Chongqing")).to_have_attribute(
        "href", "https://www.ichongqing.info/2025/11/06/new-china-russia-educational-collaboration-opens-in-chongqing/amp")
    admitted.get_by_role("link", name="about this source").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New China-Russia Educational Collaboration Opens in Chongqing")


def test_listing_fits_a_phone_and_works_by_keyboard(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site + "/programs/?country=nz")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect = playwright_sync.expect
    expect(skip).to_be_focused()
    expect(page.locator("#results-heading")).to_have_text("1 result")
    context.close()


AUDITED_PAGES = [
    "/", "/programs/", "/programs/?country=RU&level=bachelor", "/programs/?country=XX",
    "/programs/cqupt-fefu-internet-of-things-engineering-bachelor/", "/institutes/", "/institutes/cqupt-fefu-joint-institute/",
    "/institutions/?country=JP", "/institutions/ucas-chongqing-school/", "/agreements/", "/agreements/csu-kyushu-mou-2019/",
    "/activities/csu-delegation-korea-japan-2019/", "/countries/ru/", "/disciplines/cn-grad/08/", "/regions/chongqing/",
    "/data/", "/sources/chongqing-expands-international-education-partnerships/",
]


def test_pages_pass_an_automated_accessibility_audit(site, page):
    """axe-core's WCAG 2 A/AA and best-practice rules find nothing on any main page."""
    problems = []
    for path in AUDITED_PAGES:
        page.goto(site + path)
        inject_axe(page)
        result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
        assert result["passes"], f"axe checked nothing on {path}"
        for violation in result["violations"]:
            targets = [node["target"] for node in violation["nodes"][:3]]
            problems.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    assert not problems, "\n".join(problems)
