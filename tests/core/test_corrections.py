"""“Report a correction”: a form on every public record page, posted without a login to one view that is
CSRF-protected, rate-limited per address and has a honeypot; staff resolve the reports in the admin."""
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from catalog.models import Institution, Region
from core.choices import CorrectionStatus, PublicationState
from core.corrections import record_key
from core.models import CorrectionReport
from partnerships.models import Activity, Agreement, JointInstitute, Program
from tests import factories
from tests.pages import admin_url, page_text

pytestmark = pytest.mark.django_db

REPORT_URL = reverse("corrections:report")


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def a_program() -> Program:
    return Program.objects.published().get(slug="cqupt-fefu-internet-of-things-engineering-bachelor")


def post(client, record, **fields):
    address = fields.pop("address", "203.0.113.5")
    data = {"record": record_key(record), "message": "The annual intake is 120, not 100 (see the 2025 notice).",
            "name": "", "email": "", "website": ""} | fields
    return client.post(REPORT_URL, data, REMOTE_ADDR=address)


@pytest.mark.parametrize("model", [Program, JointInstitute, Institution, Agreement, Activity, Region])
def test_every_public_record_page_has_the_form(client, model):
    record = model.objects.published().first()
    response = client.get(record.get_absolute_url())
    html = response.content.decode()
    assert "Report a correction" in page_text(response)
    assert f'action="{REPORT_URL}"' in html
    assert f'value="{record_key(record)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_report_is_kept_for_staff_and_the_reporter_is_thanked(client):
    program = a_program()
    response = post(client, program, name="Li Wei", email="li@example.org")
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    text = page_text(thanks)
    assert "Thank you for your report" in text and "never published" in text
    assert f'href="{program.get_absolute_url()}"' in thanks.content.decode()
    report = CorrectionReport.objects.get()
    assert (report.object_repr, report.page_url, report.status) == (str(program), program.get_absolute_url(),
                                                                   CorrectionStatus.OPEN)
    assert report.message.startswith("The annual intake is 120") and report.email == "li@example.org"
    # Nothing is published: the record's page is as it was.
    assert "The annual intake is 120" not in page_text(client.get(program.get_absolute_url()))


def test_an_empty_or_too_long_message_re_shows_the_form_with_messages(client):
    program = a_program()
    response = post(client, program, message="   ")
    assert response.status_code == 200
    text = page_text(response)
    assert "The report was not sent" in text and "This field is required." in text
    assert 'name="message"' in response.content.decode()
    response = post(client, program, message="x" * 2001, email="not-an-email")
    text = page_text(response)
    assert "Ensure this value has at most 2000 characters (it has 2001)." in text
    assert "Enter a valid email address." in text
    assert "Null characters are not allowed." in page_text(post(client, program, message="Wrong\x00"))
    assert CorrectionReport.objects.count() == 0


@pytest.mark.parametrize("key", ["partnerships.program:999999", "partnerships.program:" + "9" * 30, "auth.user:1",
                                 "core.correctionreport:1", "nonsense",
                                 "partnerships.nosuchmodel:1", ""])
def test_a_report_about_no_public_record_is_refused_with_a_message(client, key):
    response = client.post(REPORT_URL, {"record": key, "message": "Wrong."}, REMOTE_ADDR="203.0.113.6")
    assert response.status_code == 400
    assert "The report was not sent" in page_text(response)
    assert CorrectionReport.objects.count() == 0


def test_a_draft_cannot_be_reported_on_and_its_page_has_no_form(client):
    draft = factories.ProgramFactory(publication_state=PublicationState.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = post(client, draft)
    assert response.status_code == 400
    assert "This record cannot be found" in page_text(response)
    assert CorrectionReport.objects.count() == 0


def test_the_honeypot_keeps_nothing_but_looks_like_success(client):
    response = post(client, a_program(), website="http://spam.example")
    assert response.status_code == 302
    assert CorrectionReport.objects.count() == 0


def test_the_post_needs_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = post(client, a_program())
    assert response.status_code == 403
    assert CorrectionReport.objects.count() == 0


def test_the_form_posts_with_the_pages_csrf_token():
    client = Client(enforce_csrf_checks=True)
    program = a_program()
    page = client.get(program.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = post(client, program, csrfmiddlewaretoken=token)
    assert response.status_code == 302
    assert CorrectionReport.objects.count() == 1


def test_reports_are_rate_limited_per_client_address(client, settings):
    settings.REGISTRY_CORRECTIONS_PER_WINDOW = 3
    program = a_program()
    for _ in range(3):
        assert post(client, program).status_code == 302
    refused = post(client, program)
    assert refused.status_code == 429
    assert "Too many correction reports came from your address" in page_text(refused)
    assert CorrectionReport.objects.count() == 3
    # Another address may still report.
    assert post(client, program, address="198.51.100.7").status_code == 302


def test_the_rate_limit_ignores_a_forged_forwarded_for_header(client, settings):
    settings.REGISTRY_CORRECTIONS_PER_WINDOW = 1
    program = a_program()
    assert post(client, program).status_code == 302
    data = {"record": record_key(program), "message": "Again."}
    response = client.post(REPORT_URL, data, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_only_post_is_answered(client):
    assert client.get(REPORT_URL).status_code == 405


# Staff resolve them in the admin ---------------------------------------------------------------------------


def report_on(program, message="Wrong intake.") -> CorrectionReport:
    from django.contrib.contenttypes.models import ContentType

    return CorrectionReport.objects.create(
        content_type=ContentType.objects.get_for_model(program), object_id=program.pk, object_repr=str(program),
        page_url=program.get_absolute_url(), message=message)


def test_staff_see_open_reports_and_mark_them_resolved(staff_client):
    program = a_program()
    first, second = report_on(program, "Wrong intake."), report_on(program, "Wrong tuition.")
    listing = staff_client.get(admin_url(CorrectionReport, "changelist"), {"status__exact": "open"})
    text = page_text(listing)
    assert "Wrong intake." in text and "Wrong tuition." in text
    assert staff_client.get(admin_url(CorrectionReport, "changelist"), {"q": "tuition"}).context["cl"].result_count == 1
    response = staff_client.post(admin_url(CorrectionReport, "changelist"), {
        "action": "mark_resolved", "_selected_action": [first.pk]}, follow=True)
    assert "1 report marked resolved." in page_text(response)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == CorrectionStatus.RESOLVED and first.resolved_by.username == "staff"
    assert first.resolved_at is not None
    assert second.status == CorrectionStatus.OPEN


def test_resolving_on_the_report_page_records_who_and_when(staff_client):
    report = report_on(a_program())
    response = staff_client.post(admin_url(CorrectionReport, "change", report.pk),
                                 {"status": "resolved", "staff_note": "Checked against the 2025 notice; fixed."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == CorrectionStatus.RESOLVED and report.resolved_by.username == "staff"
    assert report.staff_note.startswith("Checked")


def test_staff_cannot_add_reports_and_viewers_cannot_resolve(client, viewer):
    assert CorrectionReport.objects.count() == 0
    report = report_on(a_program())
    client.force_login(viewer)
    assert client.get(admin_url(CorrectionReport, "changelist")).status_code == 200
    assert client.get(admin_url(CorrectionReport, "add")).status_code == 403
    client.post(admin_url(CorrectionReport, "changelist"), {"action": "mark_resolved", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == CorrectionStatus.OPEN


def test_editors_can_resolve(client, editor):
    report = report_on(a_program())
    client.force_login(editor)
    client.post(admin_url(CorrectionReport, "changelist"), {"action": "mark_resolved", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == CorrectionStatus.RESOLVED
