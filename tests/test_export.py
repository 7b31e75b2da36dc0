"""export_registry and the /data/ page: the import formats, published records only, and an exact round trip."""
import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.choices import PublicationState
from catalog.models import Institution, Region, Source
from partnerships.formats import COLUMNS, IMPORT_ORDER
from partnerships.models import Activity, Agreement, Figure, JointInstitute, Program
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def export(directory, *args):
    call_command("export_registry", str(directory), *args, stdout=io.StringIO())
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def empty_registry():
    """Delete every record (keeping the reference disciplines), children before what they protect."""
    for model in (Figure, Activity, Agreement, Program, JointInstitute):
        model.objects.all().delete()
    Institution.objects.filter(parent__isnull=False).delete()
    for model in (Institution, Region, Source):
        model.objects.all().delete()


def test_export_registry_writes_one_csv_and_one_json_per_kind(tmp_path):
    files = export(tmp_path)
    assert set(files) == {f"{kind}.{extension}" for kind in IMPORT_ORDER for extension in ("csv", "json")}
    for kind in IMPORT_ORDER:
        rows = list(csv.DictReader(io.StringIO(files[f"{kind}.csv"].decode("utf-8"))))
        objects = json.loads(files[f"{kind}.json"])
        assert list(rows[0]) == COLUMNS[kind] and list(objects[0]) == COLUMNS[kind]
        assert len(rows) == len(objects)
    programs = {row["slug"]: row for row in csv.DictReader(io.StringIO(files["programs.csv"].decode()))}
    iot = programs["cqupt-fefu-internet-of-things-engineering-bachelor"]
    assert iot["disciplines"] == "cn-ug:080905" and iot["host"] == "Chongqing University of Posts and Telecommunications"
    assert programs["cqu-nsu-physics"]["approval_date"] == "2025-05"
    figures = json.loads(files["figures.json"])
    assert {"subject_type": "region", "subject": "chongqing", "metric": "stem_share", "value": "68.3"}.items() <= \
        next(f for f in figures if f["metric"] == "stem_share").items()
    institute = json.loads(files["joint_institutes.json"])[1]
    assert institute["partners"] == ["Far Eastern Federal University"] and len(institute["source_title"]) == 2


def test_export_is_deterministic(tmp_path):
    assert export(tmp_path / "a") == export(tmp_path / "b")


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_round_trip_export_import_export_is_identical(tmp_path, extension):
    first = export(tmp_path / "first")
    empty_registry()
    assert not Institution.objects.exists()

    files = [str(tmp_path / "first" / f"{kind}.{extension}") for kind in IMPORT_ORDER]
    call_command("import_registry", *files, stdout=io.StringIO())

    assert export(tmp_path / "second") == first


def test_published_only_export_leaves_drafts_out(tmp_path):
    ProgramFactory(name="Secret Draft Program", publication_state=PublicationState.DRAFT)
    assert b"Secret Draft Program" in export(tmp_path / "all")["programs.csv"]
    assert b"Secret Draft Program" not in export(tmp_path / "public", "--published-only")["programs.csv"]


def test_data_page_lists_every_download_with_date_and_licence(client, settings):
    settings.REGISTRY_DATA_LICENCE = "Test Licence 1.0"
    response = client.get(reverse("opendata:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Test Licence 1.0" in page and "made on" in page
    for kind in IMPORT_ORDER:
        for extension in ("csv", "json"):
            assert reverse("opendata:download", kwargs={"kind": kind, "extension": extension}) in page


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_downloads_contain_only_published_records(client, extension):
    ProgramFactory(name="Secret Draft Program", publication_state=PublicationState.DRAFT)
    response = client.get(reverse("opendata:download", kwargs={"kind": "programs", "extension": extension}))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="programs.{extension}"'
    assert "Secret Draft Program" not in body and "Internet of Things Engineering" in body
    rows = json.loads(body) if extension == "json" else list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == Program.objects.published().count()


def test_sources_file_is_offered(client):
    response = client.get(reverse("opendata:download", kwargs={"kind": "sources", "extension": "csv"}))
    assert b"Chongqing Expands International Education Partnerships" in b"".join(response.streaming_content)


@pytest.mark.parametrize("path", ["/data/nothing.csv", "/data/programs.xml"])
def test_unknown_downloads_are_not_found(client, path):
    assert client.get(path).status_code == 404
