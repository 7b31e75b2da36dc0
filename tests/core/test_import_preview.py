"""What an import shows before and after it writes: changed cells old → new, records created on the side,
changed citations, readable errors, and the history entries it leaves (who and why)."""
import pytest
from django.urls import reverse

from catalog.models import Source
from core import history
from core.seeding import SEED_REASON
from partnerships.models import Program
from tests.core.test_import import PROGRAM_HEADER, program_row, run_import, write_csv

pytestmark = pytest.mark.django_db

ARTICLE = "Chongqing Expands International Education Partnerships"
TYPO = "Chongqing Expands Internationl Education Partnerships"  # one letter missing
UPDATE_HEADER = ["slug", "name", "level", "host", "annual_intake", "source_title"]


def physics_update(tmp_path, *, intake="45", source=TYPO, name="programs.csv"):
    return write_csv(tmp_path / name, UPDATE_HEADER,
                     [["cqu-nsu-physics", "Physics", "bachelor", "Chongqing University", intake, source]])


def admin_preview(client, path, **fields):
    with path.open("rb") as handle:
        return client.post(reverse("admin:partnerships_program_import"),
                           {"format": "0", "resource": "0", "import_file": handle, **fields})


def confirm(client, preview, **overrides):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(reverse("admin:partnerships_program_process_import"), {**data, **overrides}, follow=True)


# The command ------------------------------------------------------------------------------------


def test_dry_run_lists_changed_cells_side_effects_and_the_changed_citation(tmp_path):
    program = Program.objects.get(slug="cqu-nsu-physics")
    sources = Source.objects.count()

    ok, stdout, stderr = run_import(physics_update(tmp_path), dry_run=True)

    assert ok, stderr
    assert "programs: 0 created, 1 changed, 0 unchanged" in stdout
    assert "programs.csv row 2: “Physics" in stdout
    assert "annual_intake: (empty) → 45" in stdout
    assert f"source_title: {ARTICLE} → {TYPO}" in stdout
    assert f"would also create source “{TYPO}” (programs.csv row 2)" in stdout
    assert f"programs.csv row 2: citation changes from “{ARTICLE}” to “{TYPO}”" in stdout
    assert "Dry run" in stdout
    # Nothing was written.
    assert Source.objects.count() == sources
    program.refresh_from_db()
    assert program.annual_intake is None and [s.title for s in program.sources.all()] == [ARTICLE]


def test_a_real_run_prints_the_same_changes(tmp_path):
    ok, stdout, stderr = run_import(physics_update(tmp_path))
    assert ok, stderr
    assert "annual_intake: (empty) → 45" in stdout
    assert f"also created source “{TYPO}” (programs.csv row 2)" in stdout
    assert f"citation changes from “{ARTICLE}” to “{TYPO}”" in stdout
    assert Program.objects.get(slug="cqu-nsu-physics").sources.get().title == TYPO


def test_a_publishing_run_says_a_draft_becomes_published(tmp_path):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row("Draft Optics")])
    assert run_import(path)[0]
    ok, stdout, _ = run_import(path, publish=True, dry_run=True)
    assert ok
    assert "programs.csv row 2: “" in stdout and "publication_state: Draft → Published" in stdout
    assert "would also create" not in stdout  # the source exists since the first run


def test_unchanged_rows_list_no_changes(tmp_path):
    ok, stdout, _ = run_import(physics_update(tmp_path, intake="", source=ARTICLE), dry_run=True)
    assert ok
    assert "0 changed, 1 unchanged" in stdout
    assert "Changes to existing records" not in stdout and "Warnings" not in stdout


# History ----------------------------------------------------------------------------------------


def test_the_command_records_who_and_why_for_created_and_changed_records(tmp_path, publisher):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row("Ocean Robotics")])
    ok, _, stderr = run_import(path, physics_update(tmp_path / "update"), reason="Provincial list of June 2025",
                               user="publisher")
    assert ok, stderr

    created = Program.objects.get(name="Ocean Robotics")
    (entry,) = history.entries(created)
    assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
        "+", publisher, "Provincial list of June 2025")
    assert entry.snapshot["fields"]["name"] == "Ocean Robotics" and entry.snapshot["fields"]["sources"]

    changed = Program.objects.get(slug="cqu-nsu-physics")
    latest, earlier = list(history.entries(changed)[:2])
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~", publisher, "Provincial list of June 2025")
    assert earlier.history_change_reason == SEED_REASON  # one entry for the import, the seeds' before it
    assert latest.snapshot["fields"]["annual_intake"] == 45
    assert latest.snapshot["fields"]["sources"] == [Source.objects.get(title=TYPO).pk]  # links included

    (source_entry,) = history.entries(Source.objects.get(title=TYPO))
    assert (source_entry.history_type, source_entry.history_change_reason) == ("+", "Provincial list of June 2025")


def test_an_unknown_user_is_refused_before_anything_is_imported(tmp_path):
    ok, _, stderr = run_import(physics_update(tmp_path), user="nobody")
    assert not ok and "There is no user named 'nobody'" in stderr
    assert Program.objects.get(slug="cqu-nsu-physics").annual_intake is None


def test_seed_records_are_recorded_with_the_seeds_reason():
    entries = history.entries(Program.objects.get(slug="cqu-nsu-physics"))
    assert [(entry.history_type, entry.history_change_reason) for entry in entries] == [("+", SEED_REASON)]


# The admin --------------------------------------------------------------------------------------


def test_admin_preview_flags_a_typo_in_the_source_title(staff_client, tmp_path):
    preview = admin_preview(staff_client, physics_update(tmp_path))
    page = preview.content.decode()
    assert "Confirm import" in page
    assert "What would change in existing records" in page
    assert "Row 2: “Physics" in page
    assert "<b>annual_intake</b>: (empty) → 45" in page
    assert f"<b>source_title</b>: {ARTICLE} → {TYPO}" in page
    assert f"Would also create source “{TYPO}” (row 2)" in page
    assert f"Row 2: citation changes from “{ARTICLE}” to “{TYPO}”" in page
    # The warnings come before the table.
    assert page.index("Would also create") < page.index('class="import-preview"')
    assert not Source.objects.filter(title=TYPO).exists()


def test_admin_errors_are_listed_by_row_and_column_with_the_files_cells(staff_client, tmp_path):
    header = [*PROGRAM_HEADER, "tuition_cny_per_year"]
    path = write_csv(tmp_path / "programs.csv", header, [
        [*program_row("Good Row"), "30000"],
        [*program_row("Costly Row"), "lots"],
        [*program_row("Lost Row", host="Nowhere University"), ""],
    ])
    response = admin_preview(staff_client, path)
    page = response.content.decode()
    assert response.status_code == 200 and "Confirm import" not in page
    assert "Row 3, column tuition_cny_per_year: &#x27;lots&#x27; is not a whole number" in page
    assert "Row 4, column host: unknown institution &#x27;Nowhere University&#x27;" in page
    # The bad rows show what the file held, not placeholders.
    assert "<td>lots</td>" in page and "<td>Costly Row</td>" in page and "<td>Nowhere University</td>" in page
    assert "<td>---</td>" not in page
    assert not Program.objects.filter(name="Good Row").exists()


def test_admin_header_problems_show_the_header(staff_client, tmp_path):
    path = write_csv(tmp_path / "programs.csv", [*PROGRAM_HEADER, "colour"], [[*program_row(), "red"]])
    page = admin_preview(staff_client, path).content.decode()
    assert "Row 1, column colour: unknown column for programs" in page
    assert "<td>colour</td>" in page


def test_admin_import_records_the_user_and_the_reason(staff_client, tmp_path):
    rows = [program_row("Ocean Robotics")]
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, rows)
    preview = admin_preview(staff_client, path, reason="Ministry list, June 2025")
    assert "Confirm import" in preview.content.decode()
    done = confirm(staff_client, preview)
    assert "Import finished: 1 new, 0 changed, 0 proposed for review, 0 unchanged programs." in done.content.decode()
    (entry,) = history.entries(Program.objects.get(name="Ocean Robotics"))
    assert entry.history_type == "+" and entry.history_user.username == "staff"
    assert entry.history_change_reason == "Ministry list, June 2025"

    update = admin_preview(staff_client, physics_update(tmp_path / "update"), reason="Intake from the 2025 list")
    done = confirm(staff_client, update)
    page = done.content.decode()
    assert f"Also created source “{TYPO}” (row 2)" in page
    assert f"Row 2: citation changes from “{ARTICLE}” to “{TYPO}”" in page
    entry = history.entries(Program.objects.get(slug="cqu-nsu-physics")).first()
    assert (entry.history_type, entry.history_user.username, entry.history_change_reason) == (
        "~", "staff", "Intake from the 2025 list")
    assert history.entries(Source.objects.get(title=TYPO)).get().history_user.username == "staff"


def test_a_record_whose_parent_comes_later_in_the_file_gets_one_entry(tmp_path):
    from catalog.models import Institution
    from tests.core.test_import import INSTITUTION_HEADER

    path = write_csv(tmp_path / "institutions.csv", INSTITUTION_HEADER, [
        ["School of Ocean Robotics", "", "school", "CN", "Chongqing", "", "Harbour University"],
        ["Harbour University", "HBU", "university", "CN", "Chongqing", "", ""],
    ])
    ok, _, stderr = run_import(path, reason="New universities")
    assert ok, stderr
    school = Institution.objects.get(name="School of Ocean Robotics")
    (entry,) = history.entries(school)
    assert entry.history_type == "+" and entry.history_change_reason == "New universities"
    assert entry.snapshot["fields"]["parent"] == Institution.objects.get(abbreviation="HBU").pk

    # Given a new parent later, a record changes once, whole.
    moved = write_csv(tmp_path / "moved" / "institutions.csv", [*INSTITUTION_HEADER, "slug"], [
        ["School of Ocean Robotics", "", "school", "CN", "Yubei", "", "Lake University", school.slug],
        ["Lake University", "", "university", "CN", "Chongqing", "", "", ""],
    ])
    ok, stdout, stderr = run_import(moved, reason="Moved")
    assert ok, stderr
    assert "institutions: 1 created, 1 changed, 0 unchanged" in stdout
    assert "city: Chongqing → Yubei" in stdout and "parent: Harbour University → Lake University" in stdout
    latest, first = history.entries(school)
    assert (latest.history_type, latest.history_change_reason, first.history_type) == ("~", "Moved", "+")
    assert latest.snapshot["fields"]["city"] == "Yubei"
    assert latest.snapshot["fields"]["parent"] == Institution.objects.get(name="Lake University").pk


def test_new_names_are_a_change_to_their_institution(tmp_path):
    from catalog.models import Institution

    names = write_csv(tmp_path / "institution_names.csv", ["institution", "name", "kind", "used_until"], [
        ["CQU", "Chongqing Imperial University", "former", "1949"],
        ["CQU", "Chongqing Univ.", "", ""],
    ])
    ok, _, stderr = run_import(names, reason="Former names")
    assert ok, stderr
    cqu = Institution.objects.get(abbreviation="CQU")
    latest = history.entries(cqu).first()
    assert (latest.history_type, latest.history_change_reason) == ("~", "Former names")
    assert {alias["fields"]["name"] for alias in latest.snapshot["parts"]["aliases"]} >= {
        "Chongqing Imperial University", "Chongqing Univ."}
    assert history.entries(cqu).filter(history_change_reason="Former names").count() == 1


def test_an_imported_records_entry_holds_the_whole_record(tmp_path):
    from core import snapshots

    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [
        program_row("Ocean Robotics", partners="Far Eastern Federal University|Novosibirsk State University")])
    assert run_import(path)[0]
    program = Program.objects.get(name="Ocean Robotics")
    entry = history.entries(program).get()
    assert entry.snapshot == snapshots.take(program)
    assert len(entry.snapshot["parts"]["partner_links"]) == 2 and entry.snapshot["fields"]["disciplines"]
