"""Review before publishing through the admin, as staff use it: an editor's change to a published program waits
as a proposed change (the public page unchanged) that a publisher approves or rejects and its author may
withdraw; every save leaves one history entry with its reason (core.admin_review, core.admin_review_changes)."""
import pytest
from django.forms import CheckboxInput
from django.test import Client

from catalog.models import Discipline, Institution
from core import history
from core.choices import ChangeStatus, PublicationState
from core.models import PendingChange
from partnerships.models import Program, ProgramPartner
from tests.factories import InstitutionFactory, ProgramFactory, SourceFactory
from tests.pages import admin_url, page_text

pytestmark = pytest.mark.django_db


# Helpers shared with test_roles and test_version_conflicts -----------------------------------------------


def form_data(response, **changes) -> dict:
    """What the browser posts for the admin form ``response`` shows (inline rows included), with ``changes``."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif isinstance(value, (list, tuple)):
                data[form.add_prefix(name)] = [str(item) for item in value]
            else:
                data[form.add_prefix(name)] = "" if value is None else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        # Only the rows shown filled in; the empty extra rows are left out, as a browser leaves them unchanged.
        data[management.add_prefix("TOTAL_FORMS")] = str(len(formset.initial_forms))
        for form in formset.initial_forms:
            add(form)
    data.update(changes)
    return data


def published_program(**kwargs) -> Program:
    """A published bachelor's program that cites a source, with a foreign partner."""
    partner = kwargs.pop("partner", None) or Institution.objects.get(slug="university-of-otago")
    program = ProgramFactory.build(host=InstitutionFactory(), tuition_cny_per_year=60000, **kwargs)
    with history.recorded_change(program):  # its first history entry holds the whole record, as the admin's would
        program.save()
        ProgramPartner.objects.create(program=program, institution=partner)
        program.sources.add(SourceFactory())
    return program


def undergraduate_discipline() -> Discipline:
    return Discipline.objects.filter(catalogue="cn-ug").order_by("code").last()


def change_url(record) -> str:
    return admin_url(type(record), "change", record.pk)


def save_form(client, record, **changes):
    """Open ``record``'s change form, change it as given and save it; the page after the redirect."""
    page = client.get(change_url(record))
    assert page.status_code == 200
    return client.post(change_url(record), form_data(page, **changes), follow=True)


def partner_change(page, new_partner) -> dict:
    """The change to the first partner row of a program's form: another institution."""
    return {"partner_links-0-institution": str(new_partner.pk)}


def public_text(client, program) -> str:
    client_page = client.get(Program.objects.get(pk=program.pk).get_absolute_url())
    assert client_page.status_code == 200
    return page_text(client_page)


# An editor's change to a published program ----------------------------------------------------------------


@pytest.fixture
def proposal(editor):
    """An editor's change to a published program: partner Otago → Novosibirsk, a discipline added."""
    program = published_program()
    novosibirsk = Institution.objects.get(slug="novosibirsk-state-university")
    discipline = undergraduate_discipline()
    client = Client()
    client.force_login(editor)
    page = client.get(change_url(program))
    changes = {**partner_change(page, novosibirsk), "disciplines": [str(discipline.pk)],
               "change_reason": "The ministry's 2025 list names Novosibirsk"}
    response = client.post(change_url(program), form_data(page, **changes), follow=True)
    return program, novosibirsk, discipline, response


def test_an_editors_change_to_a_published_program_waits_and_the_public_page_is_unchanged(client, proposal):
    program, novosibirsk, discipline, response = proposal
    text = page_text(response)
    assert "waits for review by a publisher" in text and "changed successfully" not in text
    change = PendingChange.objects.get()
    assert f'href="{change.get_absolute_url()}"' in response.content.decode()
    public = public_text(client, program)
    assert "University of Otago" in public and "Novosibirsk" not in public and discipline.name not in public
    assert list(Program.objects.get(pk=program.pk).partners.values_list("name", flat=True)) == ["University of Otago"]
    assert change.reason == "The ministry's 2025 list names Novosibirsk" and change.status == ChangeStatus.PENDING


def test_the_proposed_change_shows_each_field_old_and_new(publisher_client, proposal):
    program, novosibirsk, discipline, _response = proposal
    change = PendingChange.objects.get()
    text = page_text(publisher_client.get(change.get_absolute_url()))
    assert "Foreign partners" in text
    assert "University of Otago → Novosibirsk State University" in text
    assert f"→ {discipline}" in text
    assert "The ministry's 2025 list names Novosibirsk" in text
    assert "Approve" in text and "Reject" in text and "Withdraw" not in text


def test_approving_applies_the_change_and_records_it(client, publisher, proposal):
    program, novosibirsk, discipline, _response = proposal
    change = PendingChange.objects.get()
    client.force_login(publisher)
    response = client.post(admin_url(PendingChange, "approve", change.pk), {"note": "Checked against the list"},
                           follow=True)
    assert "Approved" in page_text(response)
    public = public_text(client, program)
    assert "Novosibirsk State University" in public and "University of Otago" not in public
    assert discipline.name in public
    entry = history.entries(program).first()
    assert entry.history_user == publisher
    assert "The ministry's 2025 list names Novosibirsk" in entry.history_change_reason
    assert PendingChange.objects.get().status == ChangeStatus.APPROVED
    assert PendingChange.objects.get().review_note == "Checked against the list"


def test_rejecting_needs_a_reason(publisher_client, proposal):
    change = PendingChange.objects.get()
    response = publisher_client.post(admin_url(PendingChange, "reject", change.pk), {"note": "  "}, follow=True)
    assert "Say why the change is rejected" in page_text(response)
    assert PendingChange.objects.get().status == ChangeStatus.PENDING
    response = publisher_client.post(admin_url(PendingChange, "reject", change.pk), {"note": "Not in the list"},
                                     follow=True)
    assert "Rejected" in page_text(response)
    change.refresh_from_db()
    assert (change.status, change.review_note) == (ChangeStatus.REJECTED, "Not in the list")
    assert "University of Otago" in public_text(publisher_client, proposal[0])


def test_only_the_author_withdraws(client, editor, publisher, django_user_model, proposal):
    change = PendingChange.objects.get()
    url = admin_url(PendingChange, "withdraw", change.pk)
    client.force_login(publisher)
    response = client.post(url, follow=True)
    assert "Only the editor who proposed a change can withdraw it." in page_text(response)
    other = django_user_model.objects.create_user(username="other-editor", password="x", is_staff=True)
    other.groups.add(*editor.groups.all())
    client.force_login(other)
    client.post(url)  # another editor does not even see it
    assert PendingChange.objects.get().status == ChangeStatus.PENDING
    client.force_login(editor)
    assert "Withdraw my change" in page_text(client.get(change.get_absolute_url()))
    response = client.post(url, follow=True)
    assert "Withdrawn" in page_text(response)
    assert PendingChange.objects.get().status == ChangeStatus.WITHDRAWN


def test_an_editor_cannot_approve(editor_client, proposal):
    change = PendingChange.objects.get()
    page = page_text(editor_client.get(change.get_absolute_url()))
    assert "Approve" not in page
    assert editor_client.post(admin_url(PendingChange, "approve", change.pk)).status_code == 403
    assert PendingChange.objects.get().status == ChangeStatus.PENDING


def test_a_decision_needs_a_post(publisher_client, proposal):
    change = PendingChange.objects.get()
    assert publisher_client.get(admin_url(PendingChange, "approve", change.pk)).status_code == 405
    assert PendingChange.objects.get().status == ChangeStatus.PENDING


def test_approving_is_refused_after_a_later_change(client, publisher, proposal):
    program = proposal[0]
    change = PendingChange.objects.get()
    client.force_login(publisher)
    save_form(client, program, tuition_cny_per_year="65000", change_reason="New fee")
    page = page_text(client.get(change.get_absolute_url()))
    assert "was changed after this change was proposed" in page
    response = client.post(admin_url(PendingChange, "approve", change.pk), follow=True)
    assert "approving it would undo that later change" in page_text(response)
    assert PendingChange.objects.get().status == ChangeStatus.PENDING
    assert "University of Otago" in public_text(client, program)


def test_waiting_changes_are_easy_to_find(client, editor, publisher, proposal):
    program = proposal[0]
    change = PendingChange.objects.get()
    client.force_login(publisher)
    record_page = client.get(change_url(program))
    assert f'href="{change.get_absolute_url()}"' in record_page.content.decode()
    assert "A proposed change to this record waits for review" in page_text(record_page)
    assert "1 change waits for review" in page_text(client.get(admin_url(Program, "changelist")))
    listing = page_text(client.get(admin_url(PendingChange, "changelist")))
    assert program.name in listing and "editor" in listing
    closed = page_text(client.get(admin_url(PendingChange, "changelist"), {"status": "approved"}))
    assert program.name not in closed


def test_an_editor_lists_only_their_own_proposed_changes(client, editor, django_user_model, proposal):
    other = django_user_model.objects.create_user(username="other-editor", password="x", is_staff=True)
    other.groups.add(*editor.groups.all())
    client.force_login(other)
    listing = client.get(admin_url(PendingChange, "changelist"))
    assert proposal[0].name not in page_text(listing)
    client.force_login(editor)
    assert proposal[0].name in page_text(client.get(admin_url(PendingChange, "changelist")))


def test_proposed_changes_cannot_be_added_or_deleted_in_the_admin(publisher_client, proposal):
    change = PendingChange.objects.get()
    assert publisher_client.get(admin_url(PendingChange, "add")).status_code == 403
    assert publisher_client.post(admin_url(PendingChange, "delete", change.pk), {"post": "yes"}).status_code == 403
    assert PendingChange.objects.filter(pk=change.pk).exists()


def test_an_editors_change_that_changes_nothing_proposes_nothing(editor_client):
    program = published_program()
    response = save_form(editor_client, program)
    assert "Nothing changed" in page_text(response)
    assert not PendingChange.objects.exists()


# Direct saves: one history entry each, relations and reason included ----------------------------------------


def test_an_editors_change_to_a_draft_is_saved_with_its_reason(editor_client, editor):
    program = published_program(publication_state=PublicationState.DRAFT)
    before = history.entries(program).count()
    response = save_form(editor_client, program, tuition_cny_per_year="70000", change_reason="Fee from the 2025 notice")
    assert "was changed successfully" in page_text(response)
    program.refresh_from_db()
    assert program.tuition_cny_per_year == 70000
    assert not PendingChange.objects.exists()
    assert history.entries(program).count() == before + 1
    entry = history.entries(program).first()
    assert (entry.history_user, entry.history_change_reason) == (editor, "Fee from the 2025 notice")


def test_one_history_entry_holds_the_whole_save_relations_included(publisher_client, publisher):
    program = published_program()
    novosibirsk = Institution.objects.get(slug="novosibirsk-state-university")
    discipline = undergraduate_discipline()
    before = history.entries(program).count()
    page = publisher_client.get(change_url(program))
    publisher_client.post(change_url(program), form_data(
        page, **partner_change(page, novosibirsk), disciplines=[str(discipline.pk)], change_reason="Partner corrected"))
    assert history.entries(program).count() == before + 1
    entry = history.entries(program).first()
    assert entry.history_change_reason == "Partner corrected" and entry.history_user == publisher
    assert entry.snapshot["fields"]["disciplines"] == [discipline.pk]
    assert [part["fields"]["institution"] for part in entry.snapshot["parts"]["partner_links"]] == [novosibirsk.pk]
    assert "Novosibirsk State University" in public_text(publisher_client, program)


def test_the_reason_shows_in_the_history_and_none_never_does(publisher_client):
    program = published_program()
    save_form(publisher_client, program, tuition_cny_per_year="61000", change_reason="Fee corrected")
    save_form(publisher_client, program, tuition_cny_per_year="62000")
    assert [entry.history_change_reason for entry in history.entries(program)[:2]] == ["", "Fee corrected"]
    text = page_text(publisher_client.get(admin_url(Program, "history", program.pk)))
    assert "Fee corrected" in text
    assert "None" not in text


def test_the_reason_field_is_on_every_record_form(publisher_client):
    program = published_program()
    for url in (change_url(program), admin_url(Program, "add")):
        assert "Reason for this change" in page_text(publisher_client.get(url))
