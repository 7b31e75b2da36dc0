"""The home page: the registry at a glance, computed from published records."""
import pytest

from tests.factories import ProgramFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_counts_from_the_records(client):
    text = page_text(client.get("/"))
    for expected in ["2 joint institutes", "10 programs", "2 agreements", "19 institutions",
                     "5 partner countries", "10 disciplines"]:
        assert expected in text


def test_stem_share(client):
    # All but Digital Media Arts are science or engineering programs.
    assert "90.0% of programs (9 of 10) are in science, technology, engineering, agriculture or medicine" in page_text(
        client.get("/")
    )


def test_charts_show_their_numbers_as_text(client):
    response = client.get("/")
    text = page_text(response)
    assert "Programs with a partner from each country Country Programs Bar Russia 8" in text
    assert "Programs at each level of study Level Programs Bar Vocational diploma 1 Bachelor 6 Master 3" in text
    assert "Level not stated" not in text  # every program's level is known
    html = response.content.decode()
    assert html.count("<svg class=\"bar\"") == 6  # three countries, three levels
    assert 'href="/programs/?country=RU"' in html


def test_region_totals_beside_registry_holdings(client):
    text = page_text(client.get("/"))
    assert "How complete is the registry for Chongqing?" in text
    assert "Cooperative institutions (joint institutes) 9 2" in text
    assert "Cooperative programs 66 4" in text
    assert "Total 75 6" in text


def test_latest_approvals_with_month_precision(client):
    text = page_text(client.get("/"))
    assert "Pharmacy — SWU, program, approved May 2025" in text


def test_drafts_do_not_count(client):
    ProgramFactory(publication_state="draft")
    assert "10 programs" in page_text(client.get("/"))


def test_landmarks_one_h1_and_skip_link(client):
    html = client.get("/").content.decode()
    assert html.count("<h1") == 1
    for landmark in ["<header", "<nav", '<main id="main"', "<footer", 'href="#main"']:
        assert landmark in html


def test_every_page_links_open_data_and_the_api_docs(client):
    html = client.get("/programs/").content.decode()
    assert 'href="/data/"' in html
    assert 'href="/api/docs/"' in html
