"""Imports and the review workflow: an editor's import makes drafts and proposed changes only, and confirming
a preview never overwrites a record someone changed after the preview was made."""
import pytest
from django.core import signing
from django.urls import reverse

from catalog.models import Source
from core import history, review
from core.choices import ChangeStatus, PublicationState
from core.models import PendingChange
from partnerships.models import Program
from tests.core.test_import import PROGRAM_HEADER, program_row, write_csv
from tests.core.test_import_preview import ARTICLE, TYPO, admin_preview, confirm, physics_update

pytestmark = pytest.mark.django_db


def physics():
    return Program.objects.get(slug="cqu-nsu-physics")


def new_and_update(tmp_path):
    """A file with a new program and a changed (published) one."""
    path = write_csv(tmp_path / "programs.csv", [*PROGRAM_HEADER, "slug"], [
        [*program_row("Ocean Robotics"), ""],
        ["Physics", "bachelor", "cn-ug:070201", "Chongqing University", "Novosibirsk State University", "45",
         "2025-05", TYPO, "", "cqu-nsu-physics"],
    ])
    return path


# Editors ----------------------------------------------------------------------------------------


def test_an_editor_cannot_publish_through_an_import(editor_client, tmp_path):
    form_page = editor_client.get(reverse("admin:partnerships_program_import")).content.decode()
    assert "Publish the imported records at once" not in form_page
    assert "Reason for the change" in form_page

    preview = admin_preview(editor_client, write_csv(tmp_path / "programs.csv", PROGRAM_HEADER,
                                                     [program_row("Ocean Robotics")]), publish="on")
    confirm(editor_client, preview, publish="True")  # a forged "publish" is ignored too
    assert Program.objects.get(name="Ocean Robotics").publication_state == PublicationState.DRAFT


def test_an_editors_import_proposes_changes_to_published_records(editor_client, editor, tmp_path):
    before = physics()
    version, published_sources = before.version, [source.title for source in before.sources.all()]

    preview = admin_preview(editor_client, new_and_update(tmp_path), reason="Intake from the 2025 list")
    page = preview.content.decode()
    assert "Confirm import" in page
    assert "Row 3: “Physics" in page and "(proposed for review)" in page  # the change, and the table's row
    assert "Proposed for review" in page
    assert page.index("<td>Ocean Robotics</td>") < page.index("<td>cqu-nsu-physics</td>")  # the table in file order
    assert "<b>annual_intake</b>: (empty) → 45" in page
    assert f"Would also create source “{TYPO}” (row 3)" in page
    assert not PendingChange.objects.exists()  # the preview writes nothing

    done = confirm(editor_client, preview).content.decode()
    assert "Import finished: 1 new, 0 changed, 1 proposed for review, 0 unchanged programs." in done

    # The published record is as it was: the public keeps seeing it.
    program = physics()
    assert program.annual_intake is None and program.version == version
    assert [source.title for source in program.sources.all()] == published_sources
    # The change waits as one proposed change, with the editor's reason, for a publisher.
    change = PendingChange.objects.for_record(program).get()
    assert (change.author, change.reason, change.status) == (editor, "Intake from the 2025 list", ChangeStatus.PENDING)
    assert {d.field: (d.old, d.new) for d in review.differences(change)}["annual_intake"] == ("", "45")
    # New records are drafts, recorded with the editor as author; the new source exists, cited by no public record.
    created = Program.objects.get(name="Ocean Robotics")
    assert created.publication_state == PublicationState.DRAFT
    assert history.entries(created).get().history_user == editor
    assert not Source.objects.get(title=TYPO).programs.filter(publication_state=PublicationState.PUBLISHED).exists()


def test_a_publisher_approves_what_an_editors_import_proposed(editor_client, publisher, tmp_path):
    confirm(editor_client, admin_preview(editor_client, physics_update(tmp_path, source=ARTICLE)))
    review.approve(PendingChange.objects.for_record(physics()).get(), reviewer=publisher)
    assert physics().annual_intake == 45


def test_an_editors_import_changes_drafts_directly(editor_client, editor, tmp_path):
    Program.objects.filter(slug="cqu-nsu-physics").update(publication_state=PublicationState.DRAFT)
    confirm(editor_client, admin_preview(editor_client, physics_update(tmp_path, source=ARTICLE), reason="Fix"))
    assert physics().annual_intake == 45
    assert not PendingChange.objects.exists()
    entry = history.entries(physics()).first()
    assert (entry.history_type, entry.history_user, entry.history_change_reason) == ("~", editor, "Fix")


# No lost update ---------------------------------------------------------------------------------


def test_confirm_is_refused_when_the_record_changed_after_the_preview(publisher_client, publisher, tmp_path):
    preview = admin_preview(publisher_client, physics_update(tmp_path, source=ARTICLE))
    assert "Confirm import" in preview.content.decode()

    # Someone saves the record between the preview and the confirmation.
    program = physics()
    with history.recorded_change(program, user=publisher, reason="Tuition from the university's page"):
        program.tuition_cny_per_year = 38000
        program.save()

    page = confirm(publisher_client, preview).content.decode()
    assert "“Physics" in page and "was changed by publisher on" in page and "after the preview" in page
    assert "Nothing was imported" in page and "Upload the file again" in page
    program = physics()
    assert program.annual_intake is None and program.tuition_cny_per_year == 38000


def test_confirm_is_refused_when_a_row_now_matches_a_record_added_after_the_preview(staff_client, tmp_path):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row("Ocean Robotics")])
    preview = admin_preview(staff_client, path)
    write_csv(tmp_path / "meanwhile" / "programs.csv", PROGRAM_HEADER, [program_row("Ocean Robotics", intake="10")])
    confirm(staff_client, admin_preview(staff_client, tmp_path / "meanwhile" / "programs.csv"))

    page = confirm(staff_client, preview).content.decode()
    assert "was added by staff on" in page and "Nothing was imported" in page
    assert Program.objects.get(name="Ocean Robotics").annual_intake == 10


def test_a_forged_confirmation_is_refused(staff_client, tmp_path):
    preview = admin_preview(staff_client, physics_update(tmp_path, source=ARTICLE))
    forged = signing.dumps({"file": "other", "versions": {}}, salt="core.admin_import.versions")
    for versions in ("", "not signed", forged):
        response = confirm(staff_client, preview, versions=versions)
        assert "does not match the preview it came from" in response.content.decode()
    assert physics().annual_intake is None


def test_confirm_goes_through_when_nothing_changed_since_the_preview(staff_client, tmp_path):
    preview = admin_preview(staff_client, physics_update(tmp_path, source=ARTICLE))
    page = confirm(staff_client, preview).content.decode()
    assert "Import finished: 0 new, 1 changed" in page
    assert physics().annual_intake == 45


def test_an_editors_row_with_a_new_parent_is_one_proposed_change(editor_client, tmp_path):
    from catalog.models import Institution
    from tests.factories import InstitutionFactory, SourceFactory

    school = InstitutionFactory(name="School of Physics", kind="school", parent=Institution.objects.get(abbreviation="CQU"),
                                publication_state=PublicationState.PUBLISHED)
    school.sources.add(SourceFactory())
    path = write_csv(tmp_path / "institutions.csv", ["slug", "name", "kind", "country", "city", "parent"],
                     [[school.slug, school.name, "school", "CN", "Yubei", "CQUPT"]])
    with path.open("rb") as handle:
        preview = editor_client.post(reverse("admin:catalog_institution_import"),
                                     {"format": "0", "resource": "0", "import_file": handle})
    page = preview.content.decode()
    assert "<b>city</b>: Chongqing → Yubei" in page and "<b>parent</b>: Chongqing University → " in page
    form = preview.context["confirm_form"]
    editor_client.post(reverse("admin:catalog_institution_process_import"),
                       {name: form.initial.get(name, "") for name in form.fields})

    school.refresh_from_db()
    assert school.city == "Chongqing" and school.parent.abbreviation == "CQU"
    change = PendingChange.objects.for_record(school).get()
    assert {d.field for d in review.differences(change)} == {"city", "parent"}
