"""import_registry and the admin import: every problem reported by row and column, all-or-nothing, idempotent."""
import csv
import io
import json
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Institution, Source
from core.choices import DatePrecision, PublicationState
from core.fileformat import kinds
from core.fileformat.cells import parse_date
from core.fileformat.columns import format_date
from core.fileformat.writing import export_rows
from partnerships.models import Figure, JointInstitute, Program

pytestmark = pytest.mark.django_db

PROGRAM_HEADER = ["name", "level", "disciplines", "host", "partners", "annual_intake", "approval_date",
                  "source_title", "source_url"]
INSTITUTION_HEADER = ["name", "abbreviation", "kind", "country", "city", "website", "parent"]


def write_csv(path, header, rows, *, bom=False):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_import(*paths, **options):
    """(succeeded, stdout, stderr) of import_registry."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_registry", *map(str, paths), stdout=out, stderr=err, **options)
    except CommandError as error:
        err.write(str(error))
        return False, out.getvalue(), err.getvalue()
    return True, out.getvalue(), err.getvalue()


def program_row(name="Robotics", *, host="Chongqing University", level="bachelor", intake="60",
                approval="2025-05", disciplines="cn-ug:080901", partners="Far Eastern Federal University"):
    return [name, level, disciplines, host, partners, intake, approval, "Provincial approvals 2025",
            "https://example.org/approvals-2025"]


def snapshot():
    return {model.__name__: model.objects.count() for model in (Institution, Program, Figure, Source, JointInstitute)}


def reported(stderr):
    """{(file, row, column)} of the errors printed as 'FILE row N, column C: reason'."""
    return set(re.findall(r"^(\S+) row (\d+), column (\w+):", stderr, flags=re.MULTILINE))


def test_every_problem_is_reported_with_row_and_column_in_one_run(tmp_path):
    institutions = write_csv(tmp_path / "institutions.csv", INSTITUTION_HEADER, [
        ["Good New University", "GNU", "university", "CN", "Chongqing", "https://gnu.example.org", ""],
        ["Bad Country University", "", "university", "XX", "", "", ""],
        ["Bad Website University", "", "university", "RU", "", "ftp://files.example.org", ""],
        ["", "", "university", "RU", "", "", ""],
        ["Odd Kind University", "", "castle", "DE", "", "", ""],
    ])
    programs = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [
        program_row(host="Good New University"),
        program_row(host="Good New University"),
        program_row("Unknown Discipline", disciplines="cn-ug:999999"),
        program_row("Bad Date", approval="2025-5-40"),
        program_row("Negative Intake", intake="-3"),
        program_row("Wordy Intake", intake="many"),
        program_row("Nowhere Program", host="Nowhere University"),
        program_row("Unknown Level", level="phd"),
        program_row("", host="Chongqing University"),
        program_row("Huge Intake", intake="99999999999999999999"),
    ])
    figures = write_csv(tmp_path / "figures.csv", kinds["figures"].headers, [
        ["region", "chongqing", "stem_share", "120", "percent", "exact", "2025", "2025", "", "Test source", ""],
        ["region", "chongqing", "joint_programs", "-4", "count", "exact", "99999", "2025", "", "Test source", ""],
    ])
    agreements = write_csv(tmp_path / "agreements.csv", ["title", "kind", "status", "colour", "source_title"], [])
    before = snapshot()

    ok, _, stderr = run_import(programs, figures, institutions, agreements)

    assert not ok
    assert "nothing was imported" in stderr
    assert snapshot() == before
    expected = {
        ("institutions.csv", "3", "country"), ("institutions.csv", "4", "website"),
        ("institutions.csv", "5", "name"), ("institutions.csv", "6", "kind"),
        ("programs.csv", "3", "name"), ("programs.csv", "4", "disciplines"), ("programs.csv", "5", "approval_date"),
        ("programs.csv", "6", "annual_intake"), ("programs.csv", "7", "annual_intake"), ("programs.csv", "8", "host"),
        ("programs.csv", "9", "level"), ("programs.csv", "10", "name"), ("programs.csv", "11", "annual_intake"),
        ("figures.csv", "2", "value"), ("figures.csv", "3", "period_start"), ("agreements.csv", "1", "colour"),
    }
    assert expected <= reported(stderr)
    assert "duplicate: row 2" in stderr
    assert "unknown country code 'XX'" in stderr
    assert "unknown discipline 'cn-ug:999999'" in stderr
    assert "unknown institution 'Nowhere University'" in stderr
    assert "A percentage cannot be more than 100." in stderr
    assert "missing required value" in stderr
    assert "Traceback" not in stderr


def test_file_level_problems_are_reported_without_a_traceback(tmp_path):
    (tmp_path / "programs.json").write_text('[{"name": "x",}]', encoding="utf-8")
    (tmp_path / "institutions.json").write_text('{"name": "not a list"}', encoding="utf-8")
    (tmp_path / "agreements.csv").write_bytes("title,kind\n\xff\xfe".encode("latin-1"))
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    ok, _, stderr = run_import(*(tmp_path / name for name in ("programs.json", "institutions.json",
                                                               "agreements.csv", "notes.csv", "missing.csv")))
    assert not ok
    assert "programs.json: not valid JSON (line 1" in stderr
    assert "institutions.json: the JSON file must hold a list of objects" in stderr
    assert "agreements.csv: the file is not UTF-8 text" in stderr
    assert "notes.csv: cannot tell what the file holds" in stderr
    assert "missing.csv: cannot open the file" in stderr
    assert "Traceback" not in stderr


def test_csv_with_byte_order_mark_imports(tmp_path):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row()], bom=True)
    ok, stdout, stderr = run_import(path)
    assert ok, stderr
    program = Program.objects.get(name="Robotics")
    assert program.host.name == "Chongqing University"
    assert program.approval_date == date(2025, 5, 1) and program.approval_date_precision == DatePrecision.MONTH
    assert [d.key for d in program.disciplines.all()] == ["cn-ug:080901"]
    assert program.publication_state == PublicationState.DRAFT
    assert "programs: 1 created" in stdout


def test_json_with_numbers_and_lists_imports(tmp_path):
    path = tmp_path / "programs.json"
    path.write_text(json.dumps([{
        "name": "Marine Biology", "level": "Master", "disciplines": ["cn-grad:0812"], "host": "CQU",
        "partners": ["Far Eastern Federal University", "Novosibirsk State University"], "annual_intake": 40,
        "duration_years": 2.5, "approval_date": "2025", "source_title": ["Provincial approvals 2025"],
        "source_url": ["https://example.org/approvals-2025"], "joint_institute": None,
    }], ensure_ascii=False), encoding="utf-8")
    ok, _, stderr = run_import(path, publish=True)
    assert ok, stderr
    program = Program.objects.get(name="Marine Biology")
    assert program.level == "master" and program.annual_intake == 40 and str(program.duration_years) == "2.5"
    assert program.approval_date_precision == DatePrecision.YEAR
    assert sorted(p.abbreviation for p in program.partners.all()) == ["FEFU", "NSU"]
    assert program.publication_state == PublicationState.PUBLISHED


def test_files_are_imported_in_dependency_order(tmp_path):
    programs = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER,
                         [program_row(host="New Host University", partners="Partner Hochschule")])
    institutions = write_csv(tmp_path / "institutions.csv", INSTITUTION_HEADER, [
        ["New Host University", "NHU", "university", "CN", "Chongqing", "", ""],
        ["Partner Hochschule", "", "applied_sciences", "DE", "", "", ""],
        ["NHU School of Robotics", "", "school", "CN", "Chongqing", "", "NHU"],
    ])
    names = write_csv(tmp_path / "institution_names.csv", ["institution", "name", "kind", "used_until"], [
        ["Partner Hochschule", "Partner University of Applied Sciences", "", ""],
        ["Partner Hochschule", "Partner Fachhochschule", "former", "2019"],
    ])
    ok, stdout, stderr = run_import(programs, names, institutions)
    assert ok, stderr
    assert stdout.index("institutions:") < stdout.index("programs:")
    program = Program.objects.get(name="Robotics", host__name="New Host University")
    assert [p.name for p in program.partners.all()] == ["Partner Hochschule"]
    assert Institution.objects.get(name="NHU School of Robotics").parent.name == "New Host University"
    assert list(Institution.objects.get(abbreviation="NHU").aliases.all()) == []
    partner = Institution.objects.get(name="Partner Hochschule")
    assert set(partner.aliases.values_list("name", "kind", "used_until")) == {
        ("Partner University of Applied Sciences", "alias", None), ("Partner Fachhochschule", "former", 2019)}
    # A program file may name an institution by a name given in the same run.
    assert run_import(write_csv(tmp_path / "more" / "programs.csv", PROGRAM_HEADER,
                                [program_row("Optics", host="NHU", partners="Partner Fachhochschule")]))[0]


def test_unknown_institution_in_a_program_row_is_an_error_not_a_guess(tmp_path):
    ok, _, stderr = run_import(write_csv(tmp_path / "programs.csv", PROGRAM_HEADER,
                                         [program_row(host="Chongqing Univ")]))
    assert not ok
    assert "programs.csv row 2, column host: unknown institution 'Chongqing Univ'" in stderr


def test_ambiguous_institution_is_an_error(tmp_path):
    Institution.objects.create(name="Twin University", slug="twin-cn", kind="university", country="CN")
    Institution.objects.create(name="Twin University", slug="twin-ru", kind="university", country="RU")
    ok, _, stderr = run_import(write_csv(tmp_path / "programs.csv", PROGRAM_HEADER,
                                         [program_row(host="Twin University")]))
    assert not ok
    assert "ambiguous institution 'Twin University'" in stderr


def test_institutions_match_by_name_native_name_abbreviation_or_alias_ignoring_case_and_spaces(tmp_path):
    rows = [
        program_row("By Abbreviation", host="cqupt", partners="fefu"),
        program_row("By Native Name", host="重庆邮电大学", partners="新西伯利亚国立大学"),
        program_row("By Alias", host="  chongqing   UNIVERSITY ", partners="moscow state TCHAIKOVSKY conservatory"),
    ]
    ok, _, stderr = run_import(write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, rows))
    assert ok, stderr
    hosts = dict(Program.objects.filter(name__startswith="By ").values_list("name", "host__abbreviation"))
    assert hosts == {"By Abbreviation": "CQUPT", "By Native Name": "CQUPT", "By Alias": "CQU"}
    partner = Program.objects.get(name="By Alias").partners.get()
    assert partner.slug == "tchaikovsky-moscow-state-conservatory"
    assert Institution.objects.matching_name(" cqupt ").get().abbreviation == "CQUPT"


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row(), program_row("Mechatronics")])
    assert run_import(path)[0]
    program = Program.objects.get(name="Robotics")
    stamp, history = program.updated_at, program.history.count()
    counts = snapshot()

    ok, stdout, _ = run_import(path)

    assert ok
    assert "programs: 0 created, 0 changed, 2 unchanged" in stdout
    assert snapshot() == counts
    program.refresh_from_db()
    assert (program.updated_at, program.history.count()) == (stamp, history)


def test_a_changed_row_updates_only_its_columns(tmp_path):
    program = Program.objects.get(slug="cqu-nsu-physics")
    description, sources = program.description, set(program.sources.all())
    path = write_csv(tmp_path / "programs.csv", ["slug", "name", "level", "host", "annual_intake", "source_title"],
                     [["cqu-nsu-physics", "Physics", "bachelor", "Chongqing University", "45",
                       "Chongqing Expands International Education Partnerships"]])
    ok, stdout, stderr = run_import(path)
    assert ok, stderr
    assert "programs: 0 created, 1 changed, 0 unchanged" in stdout
    program.refresh_from_db()
    assert program.annual_intake == 45
    assert program.description == description and set(program.sources.all()) == sources
    assert program.publication_state == PublicationState.PUBLISHED


def test_dry_run_reports_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row(), program_row("Mechatronics")])
    before = snapshot()
    ok, stdout, _ = run_import(path, dry_run=True)
    assert ok
    assert "programs: 2 created" in stdout and "sources: 1 created" in stdout and "Dry run" in stdout
    assert snapshot() == before


def test_publish_option(tmp_path):
    assert run_import(write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row()]), publish=True)[0]
    assert Program.objects.get(name="Robotics").publication_state == PublicationState.PUBLISHED


def test_an_oddly_named_file_is_known_by_its_header(tmp_path):
    path = write_csv(tmp_path / "chongqing-2025.csv", PROGRAM_HEADER, [program_row()])
    ok, stdout, stderr = run_import(path)
    assert ok, stderr
    assert "programs: 1 created" in stdout


def test_kind_option_decides_over_the_header(tmp_path):
    path = write_csv(tmp_path / "chongqing-2025.csv", PROGRAM_HEADER, [program_row()])
    ok, _, stderr = run_import(path, kind="agreements")
    assert not ok
    assert "chongqing-2025.csv row 1, column name: unknown column for agreements" in stderr


def test_an_unknown_header_gets_the_kinds_and_their_required_columns(tmp_path):
    path = write_csv(tmp_path / "mystery.csv", ["colour", "size"], [["red", "large"]])
    ok, _, stderr = run_import(path)
    assert not ok
    assert "cannot tell what the file holds" in stderr
    assert "programs (name, host, source_title)" in stderr and "institutions (name, kind, country)" in stderr


@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from(DatePrecision.values))
def test_dates_read_back_as_written(value, precision):
    parsed, parsed_precision = parse_date(format_date(value, precision))
    assert parsed_precision == precision
    assert format_date(parsed, parsed_precision) == format_date(value, precision)


@pytest.mark.parametrize("text", ["2025-13", "2025-02-30", "25", "2025/05", "May 2025", "2025-5"])
def test_malformed_dates_are_refused(text):
    with pytest.raises(ValueError, match="not a date"):
        parse_date(text)


NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="|"),
                min_size=1, max_size=60).map(lambda text: " ".join(text.split())).filter(bool)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES)
def test_institution_names_survive_export_and_import(tmp_path, name):
    path = write_csv(tmp_path / "institutions.csv", INSTITUTION_HEADER, [[name, "", "university", "NZ", "", "", ""]])
    with transaction.atomic():
        ok, _, stderr = run_import(path)
        assert ok, stderr
        institution = Institution.objects.get(country="NZ", name=name)
        assert next(export_rows(kinds["institutions"], Institution.objects.filter(pk=institution.pk)))["name"] == name
        assert run_import(path)[1].startswith("institutions: 0 created, 0 changed, 1 unchanged")
        transaction.set_rollback(True)


# The admin -------------------------------------------------------------------------------------


def admin_import(client, path, *, publish=False):
    with path.open("rb") as handle:
        return client.post(reverse("admin:partnerships_program_import"),
                           {"format": "0", "resource": "0", "import_file": handle, **({"publish": "on"} if publish else {})})


def test_admin_import_previews_then_imports_on_confirmation(staff_client, tmp_path):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row(), program_row("Mechatronics")])
    preview = admin_import(staff_client, path, publish=True)
    assert preview.status_code == 200
    assert "Confirm import" in preview.content.decode() and "Mechatronics" in preview.content.decode()
    assert not Program.objects.filter(name="Mechatronics").exists()

    form = preview.context["confirm_form"]
    confirmed = staff_client.post(reverse("admin:partnerships_program_process_import"),
                                  {name: form.initial.get(name, "") for name in form.fields})
    assert confirmed.status_code == 302
    program = Program.objects.get(name="Mechatronics")
    assert program.publication_state == PublicationState.PUBLISHED


def test_admin_import_of_a_bad_file_shows_the_errors_and_writes_nothing(staff_client, tmp_path):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER,
                     [program_row(), program_row("Bad", intake="-1", host="Nowhere University")])
    before = snapshot()
    response = admin_import(staff_client, path)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Confirm import" not in page
    assert "unknown institution" in page and "Nowhere University" in page and "must be at least 0" in page
    assert snapshot() == before


def test_admin_import_without_change_permission_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user(username="viewer", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:partnerships_program_import")).status_code == 403


def test_admin_imports_json_into_the_institution_admin(staff_client, tmp_path):
    path = tmp_path / "institutions.json"
    path.write_text(json.dumps([{"name": "Lincoln University", "kind": "University", "country": "nz",
                                 "native_name": "Te Whare Wānaka o Aoraki"}]), encoding="utf-8")
    with path.open("rb") as handle:
        preview = staff_client.post(reverse("admin:catalog_institution_import"),
                                    {"format": "1", "resource": "0", "import_file": handle})
    assert "Confirm import" in preview.content.decode(), preview.content.decode()[-3000:]
    form = preview.context["confirm_form"]
    staff_client.post(reverse("admin:catalog_institution_process_import"),
                      {name: form.initial.get(name, "") for name in form.fields})
    institution = Institution.objects.get(name="Lincoln University")
    assert institution.country.code == "NZ" and institution.publication_state == PublicationState.DRAFT
    assert institution.native_name == "Te Whare Wānaka o Aoraki"


def test_publishing_a_program_that_names_a_draft_institution_is_refused(tmp_path):
    from tests.factories import ForeignInstitutionFactory

    ForeignInstitutionFactory(name="Draft Partner University", publication_state=PublicationState.DRAFT)
    programs = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER,
                         [program_row("Robotics", partners="Draft Partner University")])
    before = snapshot()
    succeeded, _out, err = run_import(programs, publish=True)
    assert not succeeded
    assert ("programs.csv", "2", "partners") in reported(err)
    assert "is a draft in the registry" in err
    assert snapshot() == before
    # As drafts for review, the same rows are fine.
    assert run_import(programs)[0]


def test_publishing_institutions_and_their_programs_together_works(tmp_path):
    institutions = write_csv(tmp_path / "institutions.csv", [*INSTITUTION_HEADER, "source_title"], [
        ["Fresh Partner University", "", "university", "NZ", "", "", "", "Provincial approvals 2025"],
    ])
    programs = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER,
                         [program_row("Marine Science", partners="Fresh Partner University")])
    succeeded, _out, err = run_import(institutions, programs, publish=True)
    assert succeeded, err
    program = Program.objects.get(name="Marine Science")
    assert program.is_published and program.partners.get().is_published


def test_a_published_record_needs_a_source(tmp_path):
    institutions = write_csv(tmp_path / "institutions.csv", [*INSTITUTION_HEADER, "source_title"], [
        ["Unsourced University", "", "university", "NZ", "", "", "", ""],
        ["Sourced University", "", "university", "NZ", "", "", "", "Provincial approvals 2025"],
    ])
    before = snapshot()
    succeeded, _out, err = run_import(institutions, publish=True)
    assert not succeeded
    assert "institutions.csv row 2, column source_title: a published record cites at least one source" in err
    assert ("institutions.csv", "3", "source_title") not in reported(err)
    assert snapshot() == before
    # A draft may wait for its source; emptying a published record's sources is refused all the same.
    assert run_import(institutions)[0]
    cqu = Institution.objects.get(abbreviation="CQU")
    cleared = write_csv(tmp_path / "again" / "institutions.csv", ["slug", "name", "kind", "country", "source_title"],
                        [[cqu.slug, cqu.name, cqu.kind, cqu.country.code, ""]])
    succeeded, _out, err = run_import(cleared)
    assert not succeeded and "row 2, column source_title: a published record cites at least one source" in err
