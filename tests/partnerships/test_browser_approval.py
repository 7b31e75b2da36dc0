"""In a real browser at phone width: checking an approval number, and reporting a correction without JavaScript."""
import pytest
from playwright import sync_api as playwright_sync

from core.models import CorrectionReport
from partnerships.models import Program
from tests.browser import browser, inject_axe, page, seeds_back_afterwards, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

PROGRAM = "/programs/cqupt-fefu-internet-of-things-engineering-bachelor/"


def axe_violations(page) -> list[str]:
    inject_axe(page)
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_a_parent_checks_a_number_on_a_phone(site, phone):
    Program.objects.filter(slug=PROGRAM.split("/")[2]).update(approval_number="MOE50RU2A20251234N")
    phone.goto(site + "/")
    phone.get_by_role("link", name="Check an approval number").first.click()
    phone.get_by_label("Approval number").fill("moe50ru2a2025 1234n")
    phone.get_by_role("button", name="Check").click()
    expect = playwright_sync.expect
    expect(phone.get_by_role("heading", name="What MOE50RU2A20251234N says")).to_be_visible()
    expect(phone.locator(".approval-parts")).to_contain_text("Chongqing (重庆市)")
    expect(phone.get_by_role("link", name="Internet of Things Engineering")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.get_by_label("Approval number").fill("MOE50XX2A20241234N")
    phone.get_by_role("button", name="Check").click()
    expect(phone.get_by_role("alert")).to_contain_text("The country code 'XX' is not a country")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_reader_reports_a_correction_without_javascript(site, phone):
    phone.goto(site + PROGRAM)
    phone.get_by_text("Report a correction").click()  # <details> opens without JavaScript
    phone.get_by_label("What is wrong").fill("The first 100 students were admitted in 2025, not 2024.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="Send to the registry's staff").click()
    playwright_sync.expect(phone.get_by_role("heading", name="Thank you for your report")).to_be_visible()
    phone.get_by_role("link", name="Back to the page you reported on").click()
    assert phone.url == site + PROGRAM
    assert CorrectionReport.objects.get().message.startswith("The first 100 students")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_new_parts_pass_an_accessibility_audit(site, browser, width):
    Program.objects.filter(slug=PROGRAM.split("/")[2]).update(approval_number="MOE50RU2A20251234N")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = []
    for path in ["/approval-numbers/", "/approval-numbers/?number=MOE50RU2A20251234N",
                 "/approval-numbers/?number=MOE50XX2A2024", "/approval-numbers/?number=MOE50RU2A20259999N", PROGRAM]:
        page.goto(site + path)
        for summary in page.locator("summary").all():
            summary.click()  # open the number's parts and the correction form
        problems += [f"{path}: {problem}" for problem in axe_violations(page)]
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    page.screenshot(path=f"/tmp/approval-{width}.png", full_page=True)
    context.close()
    assert problems == []
