"""History in the admin: what each entry changed (relations included), revert, deleted records and restore."""
from decimal import Decimal

import pytest

from catalog.models import Institution
from core import history
from core.choices import PublicationState
from core.models import PendingChange
from partnerships.models import Program
from tests.factories import DisciplineFactory, ForeignInstitutionFactory, ProgramFactory
from tests.pages import admin_url, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def otago():
    return ForeignInstitutionFactory(name="Harbour University of Dunedin", country="NZ")


@pytest.fixture
def novosibirsk():
    return ForeignInstitutionFactory(name="Ob River State University")


@pytest.fixture
def program(otago, publisher):
    """A published program with a first entry (Otago, tuition 30,000) and a second (Novosibirsk, Physics, 45,000)."""
    program = ProgramFactory(name="Materials Science", tuition_cny_per_year=30000, partners=[otago])
    with history.recorded_change(program, user=publisher, reason="Checked against the ministry's list"):
        program.save()
    return program


def change_partner_and_discipline(program, novosibirsk, publisher):
    physics = DisciplineFactory(name="Condensed Matter Physics")
    with history.recorded_change(program, user=publisher, reason="The partner changed in 2025"):
        program.tuition_cny_per_year = 45000
        program.save()
        program.partner_links.all().delete()
        program.partner_links.create(institution=novosibirsk)
        program.disciplines.add(physics)
    return physics


def entry_url(program, entry):
    return admin_url(Program, "simple_history", program.pk, entry.history_id)


def first_entry_with(program, partner):
    return next(entry for entry in history.entries(program).order_by("history_date", "history_id")
                if entry.snapshot and entry.snapshot["parts"]["partner_links"]
                and entry.snapshot["parts"]["partner_links"][0]["fields"]["institution"] == partner.pk)


def state(program):
    program.refresh_from_db()
    return (program.tuition_cny_per_year, sorted(str(partner) for partner in program.partners.all()),
            sorted(str(discipline) for discipline in program.disciplines.all()))


def test_history_lists_partner_and_discipline_changes_with_who_and_why(staff_client, program, novosibirsk, publisher):
    physics = change_partner_and_discipline(program, novosibirsk, publisher)

    response = staff_client.get(admin_url(Program, "history", program.pk))

    assert response.status_code == 200
    text = page_text(response)
    assert "Foreign partners: Harbour University of Dunedin → Ob River State University" in text
    assert f"Disciplines: — → {physics}" in text
    assert "Tuition per year (CNY): 30,000 → 45,000" in text or "Tuition per year (CNY): 30000 → 45000" in text
    assert "The partner changed in 2025" in text and "publisher" in text
    assert "changed" in text and "created" in text
    assert "None" not in text


def test_an_empty_reason_and_no_user_show_as_nothing(staff_client, otago):
    program = ProgramFactory(partners=[otago])
    with history.recorded_change(program, user=None, reason=""):
        program.name = "Renamed program"
        program.save()

    text = page_text(staff_client.get(admin_url(Program, "history", program.pk)))

    assert "Name: " in text and "→ Renamed program" in text
    assert "None" not in text


def test_revert_restores_fields_partner_and_discipline_and_is_recorded(publisher_client, program, otago, novosibirsk,
                                                                        publisher):
    change_partner_and_discipline(program, novosibirsk, publisher)
    first = first_entry_with(program, otago)
    entries_before = history.entries(program).count()

    page = publisher_client.get(entry_url(program, first))
    assert "Foreign partners: Ob River State University → Harbour University of Dunedin" in page_text(page)
    assert "Revert to this version" in page_text(page)

    response = publisher_client.post(entry_url(program, first), {"version": program.version, "reason": "Wrong partner"},
                                     follow=True)

    assert state(program) == (30000, ["Harbour University of Dunedin"], [])
    assert history.entries(program).count() == entries_before + 1
    latest = history.entries(program).first()
    assert latest.history_user == publisher
    assert latest.snapshot["fields"]["tuition_cny_per_year"] == 30000
    text = page_text(response)
    assert "was reverted to the version of" in text
    assert "changed successfully" not in text
    assert "publisher reverted Reverted to the version of" in text and ": Wrong partner" in text
    assert "Foreign partners: Ob River State University → Harbour University of Dunedin" in text


def test_revert_that_would_publish_a_record_naming_a_draft_is_refused(publisher_client, program, otago, novosibirsk,
                                                                      publisher):
    change_partner_and_discipline(program, novosibirsk, publisher)
    Institution.objects.filter(pk=otago.pk).update(publication_state=PublicationState.DRAFT)
    first = first_entry_with(program, otago)
    before, version, entries = state(program), program.version, history.entries(program).count()

    response = publisher_client.post(entry_url(program, first), {"version": program.version}, follow=True)

    text = page_text(response)
    assert "was not reverted" in text and "would be published while naming drafts: Harbour University of Dunedin" in text
    assert "reverted to the version" not in text and "successfully" not in text
    assert state(program) == before
    assert program.version == version
    assert history.entries(program).count() == entries


def test_an_editors_revert_of_a_published_record_waits_for_review(editor_client, editor, program, otago, novosibirsk,
                                                                  publisher):
    change_partner_and_discipline(program, novosibirsk, publisher)
    first = first_entry_with(program, otago)
    before = state(program)

    response = editor_client.post(entry_url(program, first), {"version": program.version, "reason": "Typo"}, follow=True)

    assert "waits for review by a publisher" in page_text(response)
    assert state(program) == before
    change = PendingChange.objects.for_record(program).get()
    assert change.author == editor and change.reason.endswith(": Typo")
    assert change.snapshot["fields"]["tuition_cny_per_year"] == 30000
    assert change.snapshot["parts"]["partner_links"][0]["fields"]["institution"] == otago.pk


def test_an_editor_reverts_a_draft_directly(editor_client, editor, otago, novosibirsk, publisher):
    program = ProgramFactory(name="Draft program", tuition_cny_per_year=30000, partners=[otago],
                             publication_state=PublicationState.DRAFT)
    with history.recorded_change(program, user=publisher, reason="First version"):
        program.save()
    change_partner_and_discipline(program, novosibirsk, publisher)
    first = first_entry_with(program, otago)

    response = editor_client.post(entry_url(program, first), {"version": program.version}, follow=True)

    assert "was reverted to the version of" in page_text(response)
    assert state(program) == (30000, ["Harbour University of Dunedin"], [])
    assert history.entries(program).first().history_user == editor
    assert not PendingChange.objects.for_record(program).exists()


def test_a_stale_revert_page_changes_nothing(publisher_client, program, otago, novosibirsk, publisher):
    first = first_entry_with(program, otago)
    opened_on = program.version
    change_partner_and_discipline(program, novosibirsk, publisher)
    before = state(program)

    response = publisher_client.post(entry_url(program, first), {"version": opened_on}, follow=True)

    assert "was changed after you opened this page" in page_text(response)
    assert state(program) == before


def test_a_viewer_sees_history_but_cannot_revert(client, viewer, program, otago, novosibirsk, publisher):
    change_partner_and_discipline(program, novosibirsk, publisher)
    first = first_entry_with(program, otago)
    client.force_login(viewer)
    before = state(program)

    assert client.get(admin_url(Program, "history", program.pk)).status_code == 200
    page = client.get(entry_url(program, first))
    assert page.status_code == 200
    assert "Revert to this version" not in page_text(page) and "Propose this revert" not in page_text(page)
    assert "None" not in page_text(page)

    response = client.post(entry_url(program, first), {"version": program.version})

    assert response.status_code == 403
    assert state(program) == before


def delete_through_admin(client, program):
    response = client.post(admin_url(Program, "delete", program.pk), {"post": "yes"})
    assert response.status_code == 302, page_text(response)
    assert not Program.objects.filter(pk=program.pk).exists()


def test_delete_then_restore_brings_the_record_and_its_partners_back_as_a_draft(publisher_client, program, otago,
                                                                                 publisher):
    delete_through_admin(publisher_client, program)

    changelist = publisher_client.get(admin_url(Program, "changelist"))
    assert admin_url(Program, "deleted") in changelist.content.decode()
    deleted = publisher_client.get(admin_url(Program, "deleted"))
    assert deleted.status_code == 200
    assert "Materials Science" in page_text(deleted) and "publisher" in page_text(deleted)
    assert "None" not in page_text(deleted)
    entry = history.deleted_entries(Program).get()

    response = publisher_client.post(admin_url(Program, "restore", entry.history_id),
                                     {"reason": "Deleted by mistake"}, follow=True)

    assert "was restored, with its relations, as a draft" in page_text(response)
    restored = Program.objects.get(pk=program.pk)
    assert restored.publication_state == PublicationState.DRAFT
    assert list(restored.partners.all()) == [otago]
    assert restored.tuition_cny_per_year == 30000
    text = page_text(publisher_client.get(admin_url(Program, "history", program.pk)))
    assert "publisher restored Restored the deleted record: Deleted by mistake" in text
    assert "publisher deleted" in text
    assert "Publication state: Published → Draft" in text
    assert "None" not in text
    assert page_text(publisher_client.get(admin_url(Program, "deleted"))).count("Materials Science") == 0


def test_restore_is_refused_when_its_slug_is_taken_now(publisher_client, program):
    slug = program.slug
    delete_through_admin(publisher_client, program)
    ProgramFactory(slug=slug, name="Another program")
    entry = history.deleted_entries(Program).get()

    response = publisher_client.post(admin_url(Program, "restore", entry.history_id), follow=True)

    text = page_text(response)
    assert "“Materials Science” was not restored" in text and "slug already exists" in text.lower()
    assert not Program.objects.filter(pk=program.pk).exists()
    assert history.deleted_entries(Program).count() == 1


def test_restore_is_refused_when_a_partner_was_deleted_since(publisher_client, program, otago):
    delete_through_admin(publisher_client, program)
    otago.delete()
    entry = history.deleted_entries(Program).get()

    response = publisher_client.post(admin_url(Program, "restore", entry.history_id), follow=True)

    assert "was not restored" in page_text(response)
    assert not Program.objects.filter(pk=program.pk).exists()


def test_a_viewer_cannot_restore(client, viewer, publisher_client, program):
    delete_through_admin(publisher_client, program)
    entry = history.deleted_entries(Program).get()
    client.force_login(viewer)

    assert "Restore" not in page_text(client.get(admin_url(Program, "deleted")))
    assert client.post(admin_url(Program, "restore", entry.history_id)).status_code == 403
    assert not Program.objects.filter(pk=program.pk).exists()


def test_bad_addresses_are_not_found(staff_client, program):
    assert staff_client.get(admin_url(Program, "history", "not-a-number")).status_code == 404
    assert staff_client.get(f"{admin_url(Program, 'history', program.pk)}abc/").status_code == 404
    assert staff_client.get(admin_url(Program, "restore", 999999)).status_code == 405
    assert staff_client.post(admin_url(Program, "restore", 999999)).status_code == 404


def test_entries_from_before_snapshots_show_their_column_changes(staff_client, otago):
    program = ProgramFactory(partners=[otago], tuition_cny_per_year=1000)
    program.tuition_cny_per_year = 2000
    program.save()
    history.entries(program).update(snapshot=None)

    text = page_text(staff_client.get(admin_url(Program, "history", program.pk)))
    assert "Tuition per year (CNY): 1,000 → 2,000" in text or "Tuition per year (CNY): 1000 → 2000" in text
    entry = history.entries(program).last()
    page = page_text(staff_client.get(entry_url(program, entry)))
    assert "cannot be reverted" in page
    assert Decimal(Program.objects.get(pk=program.pk).tuition_cny_per_year) == 2000


def test_a_form_save_of_partner_and_discipline_is_listed_and_reverted_whole(publisher_client, publisher):
    """The issue's first defect, as staff meet it: change the partner and add a discipline in the form, then revert."""
    from tests.core.test_review import published_program, save_form, undergraduate_discipline

    program = published_program()
    first = history.entries(program).first()
    novosibirsk_state = Institution.objects.get(slug="novosibirsk-state-university")
    discipline = undergraduate_discipline()
    save_form(publisher_client, program, **{"partner_links-0-institution": str(novosibirsk_state.pk),
                                            "disciplines": [str(discipline.pk)], "tuition_cny_per_year": "65000",
                                            "change_reason": "The ministry's 2025 list"})

    text = page_text(publisher_client.get(admin_url(Program, "history", program.pk)))
    assert "Foreign partners: University of Otago → Novosibirsk State University" in text
    assert f"Disciplines: — → {discipline}" in text
    assert "publisher changed The ministry's 2025 list" in text
    assert "None" not in text

    program.refresh_from_db()
    response = publisher_client.post(entry_url(program, first), {"version": program.version}, follow=True)

    assert "was reverted to the version of" in page_text(response)
    assert state(program) == (60000, ["University of Otago"], [])
