"""The program, joint institute and agreement listings: every query parameter, alone and combined, as a reader sees them."""
import re

import pytest

from tests.pages import page_text, result_titles

pytestmark = pytest.mark.django_db


FEFU_INSTITUTE = "Chongqing University of Posts and Telecommunications – Far Eastern Federal University Joint Institute"


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
        assert "Russia (1 result)" in text  # the count, as a screen reader hears it
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
    @pytest.mark.parametrize("text", ["FEFU", "远东", "Far Eastern"])
    def test_institutes_found_by_partner_name(self, client, text):
        assert result_titles(client.get("/institutes/", {"q": text})) == [FEFU_INSTITUTE]

    def test_institutes_by_country_discipline_level(self, client):
        assert len(result_titles(client.get("/institutes/?country=ru"))) == 2
        assert result_titles(client.get("/institutes/?discipline=cn-ug:080905&level=bachelor")) == [FEFU_INSTITUTE]

    def test_agreements(self, client):
        titles = result_titles(client.get("/agreements/?country=JP&kind=mou&status=signed"))
        assert titles == ["Central South University – Kyushu University memorandum of understanding"]
