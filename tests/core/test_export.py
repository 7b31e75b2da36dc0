"""export_registry and the /data/ page: the import formats, published records only, and an exact round trip."""
import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.choices import PublicationState
from core.fileformat import kinds
from partnerships.models import Program
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def export(directory, *args):
    call_command("export_registry", str(directory), *args, stdout=io.StringIO())
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_export_registry_writes_one_csv_and_one_json_per_kind(tmp_path):
    files = export(tmp_path)
    assert set(files) == {f"{kind}.{extension}" for kind in kinds.names for extension in ("csv", "json")}
    for kind in kinds:
        rows = list(csv.DictReader(io.StringIO(files[f"{kind.name}.csv"].decode("utf-8"))))
        objects = json.loads(files[f"{kind.name}.json"])
        assert list(rows[0]) == kind.headers and list(objects[0]) == kind.headers
        assert len(rows) == len(objects)
    programs = {row["slug"]: row for row in csv.DictReader(io.StringIO(files["programs.csv"].decode()))}
    iot = programs["cqupt-fefu-internet-of-things-engineering-bachelor"]
    assert iot["disciplines"] == "cn-ug:080905" and iot["host"] == "Chongqing University of Posts and Telecommunications"
    assert programs["cqu-nsu-physics"]["approval_date"] == "2025-05"
    figures = json.loads(files["figures.json"])
    assert {"subject_type": "region", "subject": "chongqing", "metric": "stem_share", "value": "68.3"}.items() <= \
        next(f for f in figures if f["metric"] == "stem_share").items()
    institute = next(i for i in json.loads(files["joint_institutes.json"]) if i["slug"] == "cqupt-fefu-joint-institute")
    assert institute["partners"] == ["Far Eastern Federal University"] and len(institute["source_title"]) >= 2
    assert "6 November 2025" in institute["launch_note"]
    assert institute["abbreviation"] and institute["description"] and institute["enrollment_target_note"]
    activity = json.loads(files["activities.json"])[0]
    assert activity["organizer"] == "Central South University" and len(activity["hosts"]) == 3
    assert len(activity["agreements"]) == 2 and activity["start_date"] == "2019-12-07"
    names = {(n["institution"], n["name"]): n for n in json.loads(files["institution_names.json"])}
    assert any(n["kind"] == "former" for n in names.values())


def test_export_is_deterministic(tmp_path):
    assert export(tmp_path / "a") == export(tmp_path / "b")


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
    for kind in kinds.names:
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
