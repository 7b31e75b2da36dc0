"""No lost updates: a change form saved after someone else saved its record changes nothing and shows both
changes field by field, then holds the record as it is now (core.admin_review_conflicts)."""
import re

import pytest
from django.test import Client

from catalog.models import Institution
from core import history
from core.admin_review_forms import VERSION_FIELD
from core.models import PendingChange
from partnerships.models import Program, ProgramPartner
from tests.core.test_review import change_url, form_data, published_program, save_form
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def version_in_form(response) -> str:
    return re.search(rf'name="{VERSION_FIELD}" value="(\d+)"', response.content.decode()).group(1)


def test_a_form_saved_after_someone_elses_save_changes_nothing_and_shows_both(publisher, staff_client):
    program = published_program(name="Physics")
    mine = logged_in(publisher)
    opened = mine.get(change_url(program))  # I open the form...
    save_form(staff_client, program, tuition_cny_per_year="65000", change_reason="New fee")  # ...someone saves
    entries, links = history.entries(program).count(), list(program.partner_links.values_list("pk", flat=True))

    response = mine.post(change_url(program), form_data(opened, name="Applied Physics", change_reason="Renamed"),
                         follow=True)

    program.refresh_from_db()
    assert (program.name, program.tuition_cny_per_year) == ("Physics", 65000)
    assert history.entries(program).count() == entries
    assert list(program.partner_links.values_list("pk", flat=True)) == links
    text = page_text(response)
    assert "Nothing was saved" in text and "saved by someone else after you opened it" in text
    conflict = text.split("Saved by someone else while you were editing", 1)[1]
    assert "Saved by staff" in conflict and "New fee" in conflict
    assert re.search(r"Tuition[^|]*60[,.]?000 65[,.]?000 unchanged", conflict), conflict
    assert "Name Physics unchanged Applied Physics" in conflict
    # The form now holds the record as it is, at its current version, to redo the change on.
    assert version_in_form(response) == str(program.version)
    assert response.context["adminform"].form["tuition_cny_per_year"].value() == 65000


def test_the_redone_change_saves(publisher, staff_client):
    program = published_program(name="Physics")
    mine = logged_in(publisher)
    opened = mine.get(change_url(program))
    save_form(staff_client, program, tuition_cny_per_year="65000")
    refused = mine.post(change_url(program), form_data(opened, name="Applied Physics"), follow=True)
    mine.post(change_url(program), form_data(refused, name="Applied Physics"))
    program.refresh_from_db()
    assert (program.name, program.tuition_cny_per_year) == ("Applied Physics", 65000)
    # The comparison is shown once, after the refused save only.
    assert "Saved by someone else while you were editing" not in page_text(mine.get(change_url(program)))


def test_an_editors_stale_change_to_a_published_record_proposes_nothing(editor, staff_client):
    program = published_program(name="Physics")
    mine = logged_in(editor)
    opened = mine.get(change_url(program))
    save_form(staff_client, program, tuition_cny_per_year="65000")
    response = mine.post(change_url(program), form_data(opened, name="Applied Physics"), follow=True)
    assert "Nothing was saved" in page_text(response)
    assert not PendingChange.objects.exists()
    assert Program.objects.get(pk=program.pk).name == "Physics"


def test_a_change_to_the_inline_rows_since_is_shown_as_theirs(publisher, staff_client):
    program = published_program(name="Physics")
    mine = logged_in(publisher)
    opened = mine.get(change_url(program))
    novosibirsk = Institution.objects.get(slug="novosibirsk-state-university")
    page = staff_client.get(change_url(program))
    staff_client.post(change_url(program), form_data(page, **{"partner_links-0-institution": str(novosibirsk.pk)}))
    response = mine.post(change_url(program), form_data(opened, description="Taught in English"), follow=True)
    conflict = page_text(response).split("Saved by someone else while you were editing", 1)[1]
    assert "University of Otago Novosibirsk State University (NSU) unchanged" in conflict
    assert "Taught in English" in conflict
    assert list(ProgramPartner.objects.filter(program=program).values_list("institution", flat=True)) == [novosibirsk.pk]
    assert Program.objects.get(pk=program.pk).description == ""


def test_a_form_saved_on_the_current_version_saves(publisher_client):
    program = published_program(name="Physics")
    opened = publisher_client.get(change_url(program))
    assert version_in_form(opened) == str(program.version)
    response = publisher_client.post(change_url(program), form_data(opened, name="Applied Physics"), follow=True)
    assert "was changed successfully" in page_text(response)
    assert Program.objects.get(pk=program.pk).name == "Applied Physics"


def test_a_mangled_version_is_refused_without_an_error_page(publisher_client):
    program = published_program(name="Physics")
    opened = publisher_client.get(change_url(program))
    response = publisher_client.post(change_url(program), form_data(opened, name="Applied Physics",
                                                                    **{VERSION_FIELD: "x"}), follow=True)
    assert response.status_code == 200
    assert "Nothing was saved" in page_text(response)
    assert Program.objects.get(pk=program.pk).name == "Physics"
