"""A staff member's round in a real browser: an editor's change waits for review, a publisher approves it,
history shows it, and a revert brings the old partner and discipline back. Playwright driving Debian's chromium."""
import pytest
from django.contrib.auth.models import Group
from playwright import sync_api as playwright_sync

from tests.browser import browser, seeds_back_afterwards, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
expect = playwright_sync.expect

PROGRAM = "/programs/swu-otago-pharmacy/"
ADMIN_PROGRAM = "/admin/partnerships/program/"


@pytest.fixture
def staff(site, django_user_model):
    """An editor and a publisher, each able to log in with a password."""
    for name in ("Editor", "Publisher"):
        user = django_user_model.objects.create_user(username=name.lower(), password="a long pass phrase", is_staff=True)
        user.groups.add(Group.objects.get(name=name))
    return site


def signed_in(browser, site: str, username: str):  # noqa: F811 (the fixture's value)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a long pass phrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out"))).to_be_visible()
    return page


def choose(page, container, search: str, option: str) -> None:
    """Pick ``option`` in an admin autocomplete (select2) box by typing ``search``."""
    container.click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def history_rows(page):
    return page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="What changed")).locator("tbody tr")


def public_partners_and_disciplines(browser, site: str) -> str:  # noqa: F811
    page = browser.new_context().new_page()
    page.goto(site + PROGRAM)
    text = page.locator("main").inner_text()
    page.context.close()
    return text


def test_an_editors_change_is_reviewed_approved_recorded_and_reverted(staff, browser):  # noqa: F811
    site = staff
    before = public_partners_and_disciplines(browser, site)
    assert "University of Otago" in before and "Novosibirsk State University" not in before

    # The editor swaps the foreign partner and adds a discipline, giving a reason.
    editor = signed_in(browser, site, "editor")
    editor.goto(site + ADMIN_PROGRAM)
    editor.get_by_role("link", name="Pharmacy", exact=True).click()
    partner_row = editor.locator("#partner_links-group tr.form-row").first
    choose(editor, partner_row.locator(".select2-selection"), "Novosibirsk", "Novosibirsk State University")
    choose(editor, editor.locator(".field-disciplines .select2-selection"), "0916", "Pharmacy")
    editor.get_by_label("Reason for this change").fill("The partner changed in 2025")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist").first).to_contain_text("waits for review")

    # The public still sees the published version.
    assert "University of Otago" in public_partners_and_disciplines(browser, site)

    # The publisher sees the difference, old and new, and approves it.
    publisher = signed_in(browser, site, "publisher")
    publisher.goto(site + "/admin/core/pendingchange/")
    publisher.get_by_role("link", name="Pharmacy").first.click()
    differences = publisher.get_by_role("table").filter(has=publisher.get_by_role("columnheader", name="Proposed"))
    expect(differences).to_contain_text("University of Otago")
    expect(differences).to_contain_text("Novosibirsk State University")
    expect(differences).to_contain_text("Pharmacy")
    expect(publisher.locator("main, #content").first).to_contain_text("The partner changed in 2025")
    publisher.get_by_role("button", name="Approve and apply").click()
    expect(publisher.locator(".messagelist").first).to_contain_text("Approved")

    after = public_partners_and_disciplines(browser, site)
    assert "Novosibirsk State University" in after and "University of Otago" not in after
    assert "isced:0916" in after

    # History lists the approval, by the publisher, with the editor's reason and what changed.
    publisher.goto(site + ADMIN_PROGRAM)
    publisher.get_by_role("link", name="Pharmacy", exact=True).click()
    publisher.get_by_role("link", name="History").click()
    history_url = publisher.url
    entries = history_rows(publisher)
    newest = entries.first
    expect(newest).to_contain_text("publisher")
    expect(newest).to_contain_text("editor")
    expect(newest).to_contain_text("The partner changed in 2025")
    expect(newest).to_contain_text("Novosibirsk State University")
    expect(entries).to_have_count(2)

    # Reverting to the version before brings back the old partner and discipline, as a new entry.
    entries.nth(1).get_by_role("link").first.click()
    publisher.get_by_label("Reason for reverting (optional)").fill("Approved by mistake")
    publisher.get_by_role("button", name="Revert to this version").click()
    expect(publisher.locator(".messagelist").first).to_contain_text("everted")

    reverted = public_partners_and_disciplines(browser, site)
    assert "University of Otago" in reverted and "Novosibirsk State University" not in reverted
    assert "isced:0916" not in reverted and "cn-ug:100701" in reverted
    publisher.goto(history_url)
    expect(history_rows(publisher)).to_have_count(3)
    expect(history_rows(publisher).first).to_contain_text("Approved by mistake")
