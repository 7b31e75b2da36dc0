"""The listing and CSV views every listing shares (core.listing): bad input, page numbers, CSV downloads,
drafts, escaping and query counts, across the listings."""
import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.listing import requested_page
from tests.factories import (
    DisciplineFactory,
    ForeignInstitutionFactory,
    InstitutionFactory,
    JointInstituteFactory,
    ProgramFactory,
)
from tests.pages import page_text, result_titles

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # a byte-order mark, for Excel (issue 10)
    return list(csv.DictReader(io.StringIO(body[1:])))


class TestBadInput:
    @pytest.mark.parametrize("query, message", [
        ("country=XX", "Unknown country code: XX"),
        ("discipline=foo", "“foo” is not a discipline"),
        ("discipline=cn-grad:99", "No discipline cn-grad:99"),
        ("sort=bogus", "Select a valid choice"),
    ])
    def test_unknown_values_give_a_message(self, client, query, message):
        response = client.get(f"/programs/?{query}")
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
        assert message in page_text(response)
        assert result_titles(response) == []

    @pytest.mark.parametrize("page, message", [
        ("abc", "“abc” is not a page number, so the first page is shown."),
        ("0", "is not a page number"),
        ("999999", "There is no page 999999; the last page (1) is shown."),
        ("9" * 5000, "There is no page"),
    ])
    def test_bad_page_numbers(self, client, page, message):
        response = client.get("/institutions/", {"page": page})
        assert response.status_code == 200
        assert message in page_text(response)
        assert len(result_titles(response)) == 19

    @pytest.mark.parametrize("path", ["/programs/", "/institutes/", "/institutions/", "/agreements/"])
    def test_every_listing_survives_bad_input(self, client, path):
        response = client.get(f"{path}?country=XX&discipline=foo&level=phd&page=abc&sort=x&kind=y&status=z")
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()

    def test_csv_with_a_bad_value_explains_itself(self, client):
        response = client.get("/programs/export.csv?country=XX")
        assert response.status_code == 400
        assert "Unknown country code: XX" in response.content.decode()


@pytest.mark.parametrize("raw, number", [
    ("1", 1), (" 2 ", 2), ("007", 7), ("0", 0), ("-1", 0), ("1.5", 0), ("abc", 0), ("", 0), ("+2", 0),
    ("9" * 5000, 2**63 - 1),
])
def test_requested_page(raw, number):
    assert requested_page(raw) == number


class TestCsv:
    def test_exactly_the_filtered_rows_on_all_pages(self, client, settings):
        settings.REGISTRY_PAGE_SIZE = 2
        rows = csv_rows(client.get("/programs/export.csv?country=RU"))
        assert len(rows) == 8
        assert {row["name"] for row in rows} >= {"Physics", "Internet of Things Engineering"}
        assert "Pharmacy" not in {row["name"] for row in rows}

    def test_header_filename_and_utf8(self, client):
        response = client.get("/institutions/export.csv?country=CN&q=邮电")
        assert response["Content-Disposition"].startswith('attachment; filename="institutions_country-CN_q_20')
        rows = csv_rows(response)
        assert [row["native_name"] for row in rows] == ["重庆邮电大学"]

    @pytest.mark.parametrize("path, count, filename", [
        ("/institutes/export.csv?level=bachelor", 1, "joint_institutes_level-bachelor_20"),
        ("/agreements/export.csv", 2, "agreements_20"),
        ("/programs/export.csv?discipline=cn-grad:08", 3, "programs_discipline-cn-grad-08_20"),
        ("/figures/export.csv?year=2019", 6, "figures_year-2019_20"),  # CSU's five, and UCAS's "up to 2023"
    ])
    def test_each_kind(self, client, path, count, filename):
        response = client.get(path)
        assert f'filename="{filename}' in response["Content-Disposition"]
        assert len(csv_rows(response)) == count

    def test_drafts_are_not_exported(self, client):
        ProgramFactory(name="Unpublished Program", publication_state="draft",
                       partners=[ForeignInstitutionFactory(country="NZ")])
        assert [row["name"] for row in csv_rows(client.get("/programs/export.csv?country=NZ"))] == ["Pharmacy"]


class TestDraftsAndEscaping:
    def test_drafts_never_listed(self, client):
        ProgramFactory(name="Unpublished Program", publication_state="draft")
        JointInstituteFactory(name="Unpublished Institute", publication_state="draft")
        InstitutionFactory(name="Unpublished University", publication_state="draft", country="JP")
        for path in ["/programs/", "/programs/?country=RU", "/institutes/", "/institutions/?country=JP", "/"]:
            text = page_text(client.get(path))
            assert "Unpublished" not in text, path

    def test_draft_partner_hidden_on_a_published_program(self, client):
        ProgramFactory(name="Open Program", partners=[ForeignInstitutionFactory(name="Hidden Partner",
                                                                                  publication_state="draft")])
        assert "Hidden Partner" not in page_text(client.get("/programs/?q=Open Program"))

    def test_names_are_escaped(self, client):
        evil = "<script>alert(1)</script>"
        partner = ForeignInstitutionFactory(name=evil, native_name=evil, abbreviation="<b>X</b>")
        program = ProgramFactory(name=evil, partners=[partner])
        for path in ["/programs/", "/institutions/", program.get_absolute_url(), partner.get_absolute_url()]:
            html = client.get(path).content.decode()
            assert evil not in html, path
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


class TestQueryCount:
    @pytest.fixture
    def many_programs(self):
        disciplines = DisciplineFactory.create_batch(3)
        for _ in range(30):
            ProgramFactory(partners=[ForeignInstitutionFactory(), ForeignInstitutionFactory(country="NZ")],
                           disciplines=disciplines)

    @pytest.mark.parametrize("path", [
        "/programs/?country=RU&country=NZ&level=bachelor&q=Program&city=Chongqing&discipline=isced:9",
        "/programs/", "/institutes/", "/institutions/?discipline=isced:9", "/agreements/",
    ])
    def test_constant_whatever_the_page_size(self, client, settings, many_programs, path,
                                             django_assert_max_num_queries):
        counted = []
        for page_size in (2, 50):
            settings.REGISTRY_PAGE_SIZE = page_size
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            counted.append(len(queries))
        assert counted[0] == counted[1]
        with django_assert_max_num_queries(16):
            client.get(path)
