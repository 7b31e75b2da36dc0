"""Hostile input gets a clear answer: NUL bytes, over-deep JSON, numbers too large for their field, oversized
uploads and over-repeated query parameters each give a 4xx page or a row/column message, never a 500."""
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerships.models import Program
from tests.core.test_import import PROGRAM_HEADER, program_row, run_import, snapshot, write_csv

pytestmark = pytest.mark.django_db

PUBLIC_PREFIXES = ["/", "/programs/", "/institutes/", "/institutions/", "/agreements/", "/disciplines/cn-grad/",
                   "/programs/cqu-nsu-physics/", "/regions/", "/sources/", "/countries/", "/data/", "/api/programs/",
                   "/api/institutions/", "/figures/export.csv?", "/programs/export.csv?"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def admin_upload(client, name: str, content: bytes, **fields):
    upload = SimpleUploadedFile(name, content)
    fmt = "1" if name.endswith(".json") else "0"
    return client.post(reverse("admin:partnerships_program_import"),
                       {"format": fmt, "resource": "0", "import_file": upload, **fields})


def page_text(response) -> str:
    return response.content.decode()


# NUL in the address or the query ----------------------------------------------------------------


@pytest.mark.parametrize("address", ["/disciplines/cn-grad/%00/", "/programs/%00/", "/institutions/a%00b/",
                                     "/countries/%00/", "/sources/%00/"])
def test_a_nul_in_the_path_is_a_bad_request_with_a_page_saying_so(client, address):
    response = client.get(address)
    assert response.status_code == 400
    assert "NUL character" in page_text(response)


@pytest.mark.parametrize("query", ["q=a%00b", "city=%00", "country=R%00U", "disc%00ipline=x"])
def test_a_nul_in_the_query_is_a_bad_request(client, query):
    for address in ("/programs/", "/programs/export.csv"):
        response = client.get(f"{address}?{query}")
        assert response.status_code == 400, address
        assert "Null characters are not allowed." in page_text(response)
    response = client.get(f"/api/programs/?{query}")
    assert response.status_code == 400
    assert list(response.json().values()) == [["Null characters are not allowed."]]


def test_the_api_answers_a_nul_in_the_path_in_json(client):
    response = client.get("/api/programs/%00/")
    assert response.status_code == 400
    assert response.json() == {"detail": "The address contains a NUL character, which no page of the registry has."}


# Too many values for one parameter --------------------------------------------------------------


def test_more_than_fifty_values_for_one_parameter_are_refused(client):
    response = client.get("/programs/", {"discipline": [f"cn-grad:08{n:02d}" for n in range(51)]})
    assert response.status_code == 400
    assert "Too many values for “discipline”: at most 50" in page_text(response)
    response = client.get("/api/programs/", {"discipline": ["cn-grad:0812"] * 51})
    assert response.status_code == 400
    assert response.json() == {"discipline": ["Too many values for “discipline”: at most 50 may be given at once."]}


def test_fifty_values_are_still_answered(client):
    response = client.get("/programs/", {"country": ["RU"] * 50})
    assert response.status_code == 200


def test_a_repeated_value_is_checked_once(client):
    with CaptureQueriesContext(connection) as once:
        assert client.get("/programs/", {"discipline": "cn-grad:0812"}).status_code == 200
    cache.clear()  # both computed: the cached facet counts of the first would serve the second (core.cache)
    with CaptureQueriesContext(connection) as repeated:
        assert client.get("/programs/", {"discipline": ["cn-grad:0812"] * 50}).status_code == 200
    assert len(repeated) == len(once)


# Fuzzing the public addresses -------------------------------------------------------------------

path_parts = st.one_of(
    st.sampled_from(["%00", "%", "%zz", "%2F", "%C3%28", "..", "a.b", "\u8fdc\u4e1c", "%E8%BF%9C", "\t", "cn-grad",
                     "0812", "export.csv", "%FF", "?", "#", "99999999999999999999999"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8),
)
query_parts = st.lists(st.tuples(st.sampled_from(["q", "country", "discipline", "city", "page", "sort", "x\x00"]),
                                 st.text(max_size=6)), max_size=4)


def never_a_server_error(response) -> None:
    assert response.status_code < 500


@given(prefix=st.sampled_from(PUBLIC_PREFIXES), parts=st.lists(path_parts, max_size=3))
@FUZZ
def test_random_paths_never_give_a_server_error(client, prefix, parts):
    response = client.get(prefix + "/".join(parts))
    never_a_server_error(response)


@given(prefix=st.sampled_from(["/programs/", "/institutions/", "/api/programs/", "/agreements/export.csv"]),
       query=query_parts)
@FUZZ
def test_random_queries_never_give_a_server_error(client, prefix, query):
    data = {}
    for name, value in query:
        data.setdefault(name, []).append(value)
    response = client.get(prefix, data)
    never_a_server_error(response)


# Import files: the command ----------------------------------------------------------------------


def test_a_nul_in_a_cell_is_a_row_and_column_problem(tmp_path):
    before = snapshot()
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row(name="Robo\x00tics")])
    ok, _, stderr = run_import(path)
    assert not ok
    assert "programs.csv row 2: name: contains a NUL character" in stderr
    assert snapshot() == before


def test_a_cell_over_the_csv_limit_is_a_row_problem_not_a_traceback(tmp_path):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER,
                     [program_row(), program_row(name="x" * 200_000), program_row(name="Later")])
    ok, _, stderr = run_import(path)
    assert not ok
    assert "programs.csv row 3: the file is not well-formed CSV here (field larger than field limit" in stderr


def test_bytes_that_are_not_utf8_late_in_a_file_are_a_row_problem(tmp_path):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row(name=f"P{n}") for n in range(300)])
    path.write_bytes(path.read_bytes() + b"\xff\xfe,bad\n")
    ok, _, stderr = run_import(path)
    assert not ok
    assert "the file is not UTF-8 text from here on: save it as UTF-8" in stderr


def test_json_nested_100000_deep_is_a_file_problem(tmp_path):
    path = tmp_path / "programs.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    ok, _, stderr = run_import(path)
    assert not ok
    assert "programs.json: the JSON nests deeper than the format allows" in stderr


def test_json_lists_in_cells_are_still_read(tmp_path):
    before = snapshot()
    row = dict(zip(PROGRAM_HEADER, program_row()))
    row["partners"] = ["Far Eastern Federal University"]
    path = tmp_path / "programs.json"
    path.write_text(json.dumps([row]), encoding="utf-8")
    ok, stdout, stderr = run_import(path, dry_run=True)
    assert ok, stderr
    assert "programs: 1 created" in stdout
    assert snapshot() == before


@pytest.mark.parametrize("intake", ["9" * 5000, "2147483648", "1e999999999", "-1"])
def test_an_integer_too_large_for_its_field_is_a_row_and_column_problem(tmp_path, intake):
    before = snapshot()
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row(intake=intake)])
    ok, _, stderr = run_import(path)
    assert not ok
    assert "programs.csv row 2, column annual_intake:" in stderr
    assert "Traceback" not in stderr
    assert snapshot() == before


def test_the_largest_stored_integer_is_accepted(tmp_path):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row(intake="2147483647")])
    ok, _, stderr = run_import(path)
    assert ok, stderr
    assert Program.objects.get(name="Robotics").annual_intake == 2147483647


def test_a_5000_digit_integer_in_json_is_a_row_and_column_problem(tmp_path):
    row = dict(zip(PROGRAM_HEADER, program_row()))
    path = tmp_path / "programs.json"
    path.write_text(json.dumps([row]).replace('"annual_intake": "60"', '"annual_intake": ' + "9" * 5000),
                    encoding="utf-8")
    ok, _, stderr = run_import(path)
    assert not ok
    assert "programs.json row 1, column annual_intake: '999999999999999999999999999999…' is too large" in stderr


@pytest.mark.parametrize("years", ["1" * 40, "1e999999999", "123456", "1.123456789"])
def test_a_decimal_beyond_its_field_is_a_row_and_column_problem(tmp_path, years):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER + ["duration_years"],
                     [program_row() + [years]])
    ok, _, stderr = run_import(path)
    assert not ok
    assert "programs.csv row 2, column duration_years:" in stderr


# Random import files ----------------------------------------------------------------------------

cells = st.one_of(
    st.sampled_from(["\x00", "a\x00b", "9" * 5000, "1e999999999", "-1e999999999", "1e-999999999", "2147483648",
                     "NaN", "Infinity", "-0", "", "|", "||", "cn-ug:080901", "Chongqing University"]),
    st.text(max_size=10),
)


@given(values=st.lists(cells, min_size=len(PROGRAM_HEADER), max_size=len(PROGRAM_HEADER)))
@FUZZ
def test_random_csv_files_give_errors_never_exceptions(tmp_path_factory, values):
    path = write_csv(tmp_path_factory.mktemp("fuzz") / "programs.csv", PROGRAM_HEADER, [values])
    ok, stdout, stderr = run_import(path, dry_run=True)
    assert ok or "found; nothing was imported" in stderr


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), cells),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=2)),
    max_leaves=6,
)


@given(items=st.lists(st.dictionaries(st.sampled_from(PROGRAM_HEADER), json_values, max_size=5), max_size=3),
       depth=st.sampled_from([0, 0, 5, 1000]))
@FUZZ
def test_random_json_files_give_errors_never_exceptions(tmp_path_factory, items, depth):
    path = tmp_path_factory.mktemp("fuzz") / "programs.json"
    path.write_text("[" * depth + json.dumps(items) + "]" * depth, encoding="utf-8")
    ok, stdout, stderr = run_import(path, dry_run=True)
    assert ok or "found; nothing was imported" in stderr


# The admin import -------------------------------------------------------------------------------


def test_the_admin_refuses_a_file_over_the_limit_up_front_and_points_to_the_command(staff_client, settings):
    settings.REGISTRY_ADMIN_IMPORT_MAX_BYTES = 1024 * 1024
    before = snapshot()
    response = admin_upload(staff_client, "programs.csv", b"name\n" + b"x" * (2 * 1024 * 1024))
    assert response.status_code == 200
    text = page_text(response)
    assert "The file is 2.0 MB; the admin imports files of up to 1 MB" in text
    assert "python manage.py import_registry FILE" in text
    assert snapshot() == before


def test_the_admin_reports_deep_json_as_the_files_problem(staff_client):
    response = admin_upload(staff_client, "programs.json", b"[" * 100_000 + b"]" * 100_000)
    assert response.status_code == 200
    assert "The file cannot be imported: the JSON nests deeper than the format allows" in page_text(response)


def test_the_admin_reports_a_huge_json_integer_by_row_and_column(staff_client):
    row = dict(zip(PROGRAM_HEADER, program_row()))
    content = json.dumps([row]).replace('"annual_intake": "60"', '"annual_intake": ' + "9" * 5000)
    response = admin_upload(staff_client, "programs.json", content.encode())
    assert response.status_code == 200
    assert "Row 1, column annual_intake: &#x27;999999999999999999999999999999…&#x27; is too large" in \
        page_text(response)


def test_the_admin_reports_a_nul_in_a_cell_by_row(staff_client):
    rows = [PROGRAM_HEADER, program_row(name="Robo\x00tics")]
    content = "\n".join(",".join(row) for row in rows).encode()
    before = snapshot()
    response = admin_upload(staff_client, "programs.csv", content)
    assert response.status_code == 200
    assert "Row 2: name: contains a NUL character" in page_text(response)
    assert snapshot() == before
