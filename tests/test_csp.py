"""A strict Content-Security-Policy on every page: sent by the server (unit tests) and obeyed by the pages
themselves in a real browser, the admin and the API docs included (no violation is reported)."""
import pytest
from django.contrib.auth.models import Group
from playwright import sync_api as playwright_sync

from tests.browser import browser, csp_violations, seeds_back_afterwards, site, watched_context  # noqa: F401

expect = playwright_sync.expect
PASSWORD = "a long pass phrase"


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/programs/", "/zh-hans/programs/", "/no-such-page/", "/api/programs/"])
def test_every_response_sends_a_policy_without_inline_code(client, path):
    directives = policy(client.get(path))
    assert directives["default-src"] == "default-src 'self'"
    assert directives["object-src"] == "object-src 'none'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    for name in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in directives[name] and "'unsafe-eval'" not in directives[name]


@pytest.mark.django_db
def test_public_pages_need_no_nonce(client):
    """A nonce would make a page uncacheable; the public pages have no inline code to allow."""
    assert "nonce-" not in client.get("/programs/").headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_api_docs_allow_only_their_own_nonced_style(client):
    response = client.get("/api/docs/")
    directives = policy(response)
    nonce = directives["style-src"].split("'nonce-")[1].split("'")[0]
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert "<script>" not in response.content.decode()  # its start-up script is a file (?script)


PUBLIC_PAGES = [
    "/", "/zh-hans/", "/programs/?country=RU", "/programs/cqupt-fefu-internet-of-things-engineering-bachelor/",
    "/institutes/cqupt-fefu-joint-institute/", "/institutions/", "/agreements/csu-kyushu-mou-2019/",
    "/countries/ru/", "/data/", "/no-such-page/",
]
ADMIN_PAGES = [
    "/admin/", "/admin/partnerships/program/", "/admin/partnerships/program/?q=fefu",
    "/admin/partnerships/jointinstitute/", "/admin/catalog/institution/add/",
    "/admin/core/pendingchange/", "/admin/partnerships/program/import/",
]


@pytest.mark.browser
def test_public_pages_and_api_docs_report_no_violation(site, browser):  # noqa: F811
    page = watched_context(browser, viewport={"width": 1280, "height": 900}).new_page()
    problems = []
    for path in PUBLIC_PAGES:
        page.goto(site + path)
        problems += [f"{path}: {violation}" for violation in csp_violations(page)]
    page.goto(site + "/api/docs/")
    expect(page.locator(".swagger-ui .title")).to_contain_text("Joint Education Registry API")  # its script ran
    problems += [f"/api/docs/: {violation}" for violation in csp_violations(page)]
    page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_admin_pages_report_no_violation(site, browser, django_user_model):  # noqa: F811
    publisher = django_user_model.objects.create_user(username="publisher", password=PASSWORD, is_staff=True)
    publisher.groups.add(Group.objects.get(name="Publisher"))
    page = watched_context(browser, viewport={"width": 1280, "height": 900}).new_page()
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("publisher")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    problems = []
    for path in ADMIN_PAGES:
        page.goto(site + path)
        problems += [f"{path}: {violation}" for violation in csp_violations(page)]
    # A change form with inlines, autocomplete boxes and the date widgets, then its history.
    page.goto(site + "/admin/partnerships/program/")
    page.locator("#result_list tbody tr th a").first.click()
    page.locator(".select2-container").first.click()  # the autocomplete widget's script works
    expect(page.locator(".select2-container--open .select2-search__field")).to_be_visible()
    problems += [f"change form: {violation}" for violation in csp_violations(page)]
    page.get_by_role("link", name="History").click()
    problems += [f"history: {violation}" for violation in csp_violations(page)]
    page.context.close()
    assert not problems, "\n".join(problems)
