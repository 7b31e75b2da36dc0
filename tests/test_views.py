"""Listing pages and CSV downloads: every query parameter, alone and combined, as a reader sees them."""
import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    DisciplineFactory,
    ForeignInstitutionFactory,
    InstitutionFactory,
    JointInstituteFactory,
    ProgramFactory,
)
from tests.pages import page_text, result_titles

pytestmark = pytest.mark.django_db

FEFU_INSTITUTE = "Chongqing University of Posts and Telecommunications – Far Eastern Federal University Joint Institute"


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


class TestProgramListing:
    def test_russian_partners(self, client):
        titles = result_titles(client.get("/programs/?country=RU"))
        assert "Physics" in titles
        assert {"Internet of Things Engineering", "Control Science and Engineering"} <= set(titles)
        assert "Pharmacy" not in titles
        assert len(titles) == 8

    def test_new_zealand_in_lower_case(self, client):
        response = client.get("/programs/?country=nz")
        assert result_titles(response) == ["Pharmacy"]
        assert "1 result" in page_text(response)

    def test_graduate_engineering_category(self, client):
        titles = result_titles(client.get("/programs/?discipline=cn-grad:08"))
        assert sorted(titles) == [
            "Computer Science and Technology", "Control Science and Engineering",
            "Information and Communication Engineering",
        ]

    @pytest.mark.parametrize("query, expected", [
        ("level=vocational", ["IoT Application Technology"]),
        ("status=enrolling", ["Internet of Things Engineering"]),
        ("q=Otago", ["Pharmacy"]),
        ("q=新西伯利亚", ["Physics"]),
        ("country=RU&level=vocational", ["IoT Application Technology"]),
        ("country=DE&country=NZ&sort=name", ["Digital Media Arts", "Pharmacy"]),
        ("country=RU&discipline=isced:061", []),
        ("city=Chongqing&status=approved&level=bachelor&sort=-name", ["Physics", "Pharmacy", "Digital Media Arts"]),
    ])
    def test_parameters_alone_and_combined(self, client, query, expected):
        assert result_titles(client.get(f"/programs/?{query}")) == expected

    def test_facet_counts_are_shown(self, client):
        text = page_text(client.get("/programs/?level=vocational"))
        assert "Russia (1 results)" in text  # the count, as a screen reader hears it
        assert "New Zealand (0 results)" not in text  # countries without results in the selection are left out
        assert "Bachelor (6 results)" in text  # the level facet ignores the level filter itself

    def test_the_url_holds_the_whole_selection(self, client, settings):
        settings.REGISTRY_PAGE_SIZE = 3
        html = client.get("/programs/?country=RU&level=bachelor&q=&sort=name").content.decode()
        assert re.search(r'name="country" value="RU"[^>]*checked', html)
        assert re.search(r'name="level" value="bachelor"[^>]*checked', html)
        assert re.search(r'<option value="name" selected>', html)
        assert 'href="?country=RU&amp;level=bachelor&amp;q=&amp;sort=name&amp;page=2"' in html
        assert 'href="/programs/export.csv?country=RU&amp;level=bachelor&amp;q=&amp;sort=name"' in html


class TestOtherListings:
    def test_institutions_in_japan(self, client):
        assert sorted(result_titles(client.get("/institutions/?country=JP"))) == ["Kyoto University", "Kyushu University"]

    @pytest.mark.parametrize("text", ["FEFU", "远东", "Far Eastern"])
    def test_institutes_found_by_partner_name(self, client, text):
        assert result_titles(client.get("/institutes/", {"q": text})) == [FEFU_INSTITUTE]

    def test_institutes_by_country_discipline_level(self, client):
        assert len(result_titles(client.get("/institutes/?country=ru"))) == 2
        assert result_titles(client.get("/institutes/?discipline=cn-ug:080905&level=bachelor")) == [FEFU_INSTITUTE]

    def test_institutions_by_kind_and_discipline(self, client):
        assert result_titles(client.get("/institutions/?kind=conservatory")) == ["Tchaikovsky Moscow State Conservatory"]
        titles = result_titles(client.get("/institutions/?discipline=cn-grad:0854"))
        assert titles == ["Chongqing Institute of Green and Intelligent Technology, Chinese Academy of Sciences"]

    def test_agreements(self, client):
        titles = result_titles(client.get("/agreements/?country=JP&kind=mou&status=signed"))
        assert titles == ["Central South University – Kyushu University memorandum of understanding"]


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


class TestCsv:
    def test_exactly_the_filtered_rows_on_all_pages(self, client, settings):
        settings.REGISTRY_PAGE_SIZE = 2
        rows = csv_rows(client.get("/programs/export.csv?country=RU"))
        assert len(rows) == 8
        assert {row["name"] for row in rows} >= {"Physics", "Internet of Things Engineering"}
        assert "Pharmacy" not in {row["name"] for row in rows}

    def test_header_filename_and_utf8(self, client):
        response = client.get("/institutions/export.csv?country=CN&q=邮电")
        assert response["Content-Disposition"] == 'attachment; filename="institutions.csv"'
        rows = csv_rows(response)
        assert [row["native_name"] for row in rows] == ["重庆邮电大学"]

    @pytest.mark.parametrize("path, count, filename", [
        ("/institutes/export.csv?level=bachelor", 1, "joint_institutes.csv"),
        ("/agreements/export.csv", 2, "agreements.csv"),
        ("/programs/export.csv?discipline=cn-grad:08", 3, "programs.csv"),
        ("/figures/export.csv?year=2019", 6, "figures.csv"),  # CSU's five, and UCAS's "up to 2023"
    ])
    def test_each_kind(self, client, path, count, filename):
        response = client.get(path)
        assert filename in response["Content-Disposition"]
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

    def test_discipline_options_are_limited(self, client):
        many = DisciplineFactory.create_batch(40)
        for discipline in many:
            ProgramFactory(disciplines=[discipline])
        html = client.get("/programs/").content.decode()
        assert html.count('type="checkbox" name="discipline"') == 25
