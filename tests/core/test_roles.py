"""Each role's powers in the admin, as its members meet them: editors add and change but neither publish nor
delete, viewers only look, publishers do all; a record is published only with a source (core.admin,
core.admin_review)."""
import pytest

from catalog.models import Institution
from core.choices import PublicationState
from partnerships.models import Program
from tests.core.test_review import change_url, form_data, published_program, save_form
from tests.factories import ForeignInstitutionFactory, SourceFactory
from tests.pages import admin_url, page_text

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED = PublicationState.DRAFT, PublicationState.PUBLISHED


def run_action(client, model, action, records, **extra):
    return client.post(admin_url(model, "changelist"),
                       {"action": action, "_selected_action": [record.pk for record in records], **extra}, follow=True)


def state_of(record) -> str:
    return type(record).objects.get(pk=record.pk).publication_state


def action_names(response) -> set[str]:
    form = response.context["action_form"]
    return {name for name, _label in form.fields["action"].choices if name} if form is not None else set()


# Editors ---------------------------------------------------------------------------------------------------


def test_an_editor_is_offered_no_publish_unpublish_or_delete_action(client, editor, publisher):
    url = admin_url(Program, "changelist")
    client.force_login(editor)
    assert action_names(client.get(url)) == set()
    client.force_login(publisher)
    assert {"publish", "unpublish", "delete_selected"} <= action_names(client.get(url))


def test_an_editor_posting_the_publish_unpublish_or_delete_action_changes_nothing(editor_client):
    draft = published_program(publication_state=DRAFT)
    public = published_program()
    run_action(editor_client, Program, "publish", [draft])
    run_action(editor_client, Program, "unpublish", [public])
    run_action(editor_client, Program, "delete_selected", [draft, public], post="yes")
    assert (state_of(draft), state_of(public)) == (DRAFT, PUBLISHED)


def test_an_editor_cannot_delete_a_record(editor_client):
    program = published_program()
    assert editor_client.get(admin_url(Program, "delete", program.pk)).status_code == 403
    assert editor_client.post(admin_url(Program, "delete", program.pk), {"post": "yes"}).status_code == 403
    assert Program.objects.filter(pk=program.pk).exists()


def test_an_editors_new_record_is_a_draft_and_the_state_is_not_theirs_to_set(editor_client):
    page = editor_client.get(admin_url(Institution, "add"))
    assert 'name="publication_state"' not in page.content.decode()
    assert "Draft" in page_text(page)
    source = SourceFactory()
    response = editor_client.post(admin_url(Institution, "add"), {
        "name": "Tomsk Polytechnic Test University", "slug": "tomsk-polytechnic-test", "kind": "university",
        "country": "RU", "sources": [source.pk], "publication_state": PUBLISHED,
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0", "change_reason": "From the 2025 list",
    }, follow=True)
    assert "was added successfully" in page_text(response)
    assert Institution.objects.get(slug="tomsk-polytechnic-test").publication_state == DRAFT


def test_an_editor_cannot_publish_through_the_form(editor_client):
    program = published_program(publication_state=DRAFT)
    page = editor_client.get(change_url(program))
    editor_client.post(change_url(program), form_data(page, publication_state=PUBLISHED))
    assert state_of(program) == DRAFT


# Viewers ---------------------------------------------------------------------------------------------------


def test_a_viewer_sees_every_page_read_only(client, viewer):
    client.force_login(viewer)
    program = published_program()
    listing = client.get(admin_url(Program, "changelist"))
    assert listing.status_code == 200 and program.name in page_text(listing)
    assert action_names(listing) == set()
    html = listing.content.decode()
    assert admin_url(Program, "import") not in html and admin_url(Program, "add") not in html
    page = client.get(change_url(program))
    assert page.status_code == 200
    assert "View program" in page_text(page)
    assert 'name="_save"' not in page.content.decode() and "Reason for this change" not in page_text(page)
    assert client.get(admin_url(Program, "add")).status_code == 403
    assert client.get(admin_url(Program, "import")).status_code == 403


def test_a_viewer_cannot_change_a_record(client, viewer, publisher):
    program = published_program(name="Physics")
    client.force_login(publisher)
    data = form_data(client.get(change_url(program)), name="Applied Physics")
    client.force_login(viewer)
    assert client.post(change_url(program), data).status_code == 403
    assert Program.objects.get(pk=program.pk).name == "Physics"


# Publishers ------------------------------------------------------------------------------------------------


def test_a_publisher_publishes_unpublishes_and_deletes(publisher_client):
    program = published_program(publication_state=DRAFT)
    response = run_action(publisher_client, Program, "publish", [program])
    assert "1 record changed." in page_text(response) and state_of(program) == PUBLISHED
    run_action(publisher_client, Program, "unpublish", [program])
    assert state_of(program) == DRAFT
    run_action(publisher_client, Program, "delete_selected", [program], post="yes")
    assert not Program.objects.filter(pk=program.pk).exists()


def test_a_publisher_sets_the_state_in_the_form(publisher_client):
    program = published_program(publication_state=DRAFT)
    save_form(publisher_client, program, publication_state=PUBLISHED)
    assert state_of(program) == PUBLISHED


# A published record cites a source -------------------------------------------------------------------------


def test_the_publish_action_leaves_a_record_without_a_source_a_draft(publisher_client):
    uncited = ForeignInstitutionFactory(name="Uncited Test University", publication_state=DRAFT)
    cited = ForeignInstitutionFactory(publication_state=DRAFT)
    cited.sources.add(SourceFactory())
    response = run_action(publisher_client, Institution, "publish", [uncited, cited])
    text = page_text(response)
    assert "“Uncited Test University” stays a draft: it cites no source yet" in text
    assert "1 record changed." in text
    assert (state_of(uncited), state_of(cited)) == (DRAFT, PUBLISHED)


def test_the_form_refuses_to_publish_a_record_without_a_source(publisher_client):
    institution = ForeignInstitutionFactory(name="Uncited Test University", publication_state=DRAFT)
    page = publisher_client.get(change_url(institution))
    response = publisher_client.post(change_url(institution), form_data(page, publication_state=PUBLISHED, sources=[]))
    assert response.status_code == 200
    html = response.content.decode()
    sources_row = html.split("field-sources", 1)[1].split('class="form-row', 1)[0]
    assert "A published record must cite at least one source" in sources_row
    assert state_of(institution) == DRAFT


def test_an_editor_cannot_take_the_last_source_off_a_published_record(editor_client):
    institution = ForeignInstitutionFactory(name="Cited Test University")
    institution.sources.add(SourceFactory())
    response = editor_client.post(change_url(institution),
                                  form_data(editor_client.get(change_url(institution)), sources=[]))
    assert "A published record must cite at least one source" in page_text(response)
    assert institution.sources.count() == 1


def test_a_draft_may_wait_for_its_source(publisher_client):
    institution = ForeignInstitutionFactory(name="Uncited Test University", publication_state=DRAFT)
    response = save_form(publisher_client, institution, city="Tomsk")
    assert "was changed successfully" in page_text(response)
    assert Institution.objects.get(pk=institution.pk).city == "Tomsk"
