"""The layout on a phone (390 × 844) and at desktop width, in English and Chinese, in a real browser.

Every main page fits the phone's width (nothing sticks out to the right except inside a scroll region),
the listing's filter panel folds away, and axe-core finds no accessibility problem at either width.
"""
import struct

import pytest
from playwright import sync_api as playwright_sync

from tests.browser import (  # noqa: F401 (fixtures)
    browser, csp_violations, inject_axe, seeds_back_afterwards, site, watched_context,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LANGUAGES = ["", "/zh-hans"]  # English at the root, Chinese under its prefix
MAIN_PAGES = [
    "/", "/programs/", "/institutes/", "/institutions/", "/agreements/",
    "/programs/cqupt-fefu-internet-of-things-engineering-bachelor/", "/institutes/cqupt-fefu-joint-institute/",
    "/institutions/ucas-chongqing-school/", "/countries/ru/", "/disciplines/cn-grad/08/", "/data/",
    "/sources/chongqing-expands-international-education-partnerships/", "/no-such-page/",
]

# Elements whose right edge is past the viewport, outside a scroll region (which may scroll sideways on purpose).
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && !element.closest('.table-wrap')) {
      out.push(`${element.tagName.toLowerCase()}.${element.className} (right edge ${Math.round(box.right)} px)`);
    }
  }
  return out.slice(0, 5);
}"""
# What the issue found off-screen on a phone, to be on screen now even inside a scroll region.
MUST_FIT = {"/": ".completeness td", "/data/": "a[download]"}
OFF_SCREEN = """selector => [...document.querySelectorAll(selector)]
  .filter(element => element.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .map(element => element.textContent.trim())"""
# Scroll regions that do scroll must be reachable by keyboard and named (axe: scrollable-region-focusable).
UNREACHABLE_SCROLLERS = """() => [...document.querySelectorAll('.table-wrap')]
  .filter(wrap => wrap.scrollWidth > wrap.clientWidth)
  .filter(wrap => wrap.tabIndex !== 0 || !(wrap.getAttribute('aria-labelledby') || wrap.getAttribute('aria-label')))
  .map(wrap => wrap.outerHTML.slice(0, 80))"""


def png_width(path) -> int:
    with open(path, "rb") as image:
        return struct.unpack(">I", image.read(24)[16:20])[0]  # the IHDR chunk's width


@pytest.fixture
def phone(browser):  # noqa: F811 (fixture)
    context = watched_context(browser, viewport=PHONE)
    yield context.new_page()
    context.close()


def test_every_main_page_fits_a_phone_in_both_languages(site, phone, tmp_path):
    problems = []
    for language in LANGUAGES:
        for path in MAIN_PAGES:
            url = language + path
            response = phone.goto(site + url)
            assert response.status == (404 if path == "/no-such-page/" else 200), url
            assert phone.evaluate("document.documentElement.lang") == ("zh-hans" if language else "en"), url
            if (width := phone.evaluate("document.documentElement.scrollWidth")) > PHONE["width"]:
                problems.append(f"{url}: the page is {width} px wide")
            problems += [f"{url}: {element} sticks out" for element in phone.evaluate(STICKING_OUT)]
            if path in MUST_FIT:
                assert phone.locator(MUST_FIT[path]).count() > 1, url
                problems += [f"{url}: {text!r} is off-screen" for text in phone.evaluate(OFF_SCREEN, MUST_FIT[path])]
            problems += [f"{url}: scroll region not focusable or unnamed: {wrap}"
                         for wrap in phone.evaluate(UNREACHABLE_SCROLLERS)]
            problems += [f"{url}: Content-Security-Policy: {violation}" for violation in csp_violations(phone)]
            # A full-page screenshot is as wide as the document: anything scrolling sideways would widen it.
            shot = tmp_path / f"{url.strip('/').replace('/', '_') or 'home'}.png"
            phone.screenshot(path=shot, full_page=True)
            if png_width(shot) != PHONE["width"]:
                problems.append(f"{url}: the screenshot is {png_width(shot)} px wide")
    assert not problems, "\n".join(problems)


def test_the_filter_panel_folds_away_on_a_phone(site, phone):
    expect = playwright_sync.expect
    for language, apply in [("", "Apply filters"), ("/zh-hans", None)]:
        phone.goto(site + language + "/programs/")
        panel = phone.locator("#filters-panel")
        expect(panel).not_to_have_attribute("open", "")
        expect(phone.locator("#id_q")).to_be_hidden()
        # The results come first: the first record's title is on the first screen.
        title = phone.locator(".record__title").first.bounding_box()
        assert title["y"] + title["height"] <= PHONE["height"], title

        toggle = panel.locator("summary")
        toggle.click()
        expect(panel).to_have_attribute("open", "")
        expect(phone.locator("#id_q")).to_be_visible()
        if apply:
            phone.get_by_role("checkbox", name="Russia").check()
            phone.get_by_role("button", name=apply).click()
            expect(phone.locator("#results-heading")).to_have_text("8 results")
            expect(panel).not_to_have_attribute("open", "")  # folded again over the new results
            expect(toggle).to_contain_text("in use")
        else:
            toggle.click()
            expect(phone.locator("#id_q")).to_be_hidden()


def test_the_filter_panel_is_open_on_a_wide_screen_and_works_without_javascript(site, browser):  # noqa: F811
    expect = playwright_sync.expect
    wide = browser.new_context(viewport=DESKTOP)
    page = wide.new_page()
    page.goto(site + "/programs/")
    expect(page.locator("#id_q")).to_be_visible()
    wide.close()

    without_javascript = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = without_javascript.new_page()
    page.goto(site + "/zh-hans/programs/")
    page.locator("#filters-panel summary").click()
    page.locator("#id_q").fill("Otago")
    page.locator("#id_q").press("Enter")
    expect(page.locator(".record__title")).to_have_text(["Pharmacy"])
    assert "/zh-hans/programs/?" in page.url
    without_javascript.close()


def test_main_pages_pass_axe_at_desktop_and_phone_width_in_both_languages(site, browser):  # noqa: F811
    """axe-core's WCAG 2 A/AA and best-practice rules on each page at 1280 px, then narrowed to 390 px."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = []
    for language in LANGUAGES:
        for path in MAIN_PAGES:
            page.set_viewport_size(DESKTOP)
            page.goto(site + language + path)
            inject_axe(page)
            for viewport in (DESKTOP, PHONE):
                page.set_viewport_size(viewport)
                # Only the violations in full: collecting every passing node would double the time.
                result = page.evaluate(
                    "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice'], resultTypes: ['violations']})")
                assert result["passes"], f"axe checked nothing on {language + path}"
                for violation in result["violations"]:
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    problems.append(f"{viewport['width']} px {language + path}: {violation['id']} "
                                    f"({violation['impact']}): {violation['help']} at {targets}")
    context.close()
    assert not problems, "\n".join(problems)
