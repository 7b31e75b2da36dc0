"""Institution, discipline, region and source pages: the record, and the published records of other apps
that their sections add (core.extensions.detail_sections)."""
import pytest

from partnerships.models import Program
from tests.factories import ActivityFactory, FigureFactory, InstitutionFactory, ProgramFactory, SourceFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def text_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return page_text(response)


def test_figures_keep_their_qualifiers_and_link_sources(client):
    response = client.get("/institutions/ucas-chongqing-school/")
    text = page_text(response)
    assert "more than 684" in text and "about 37.2%" in text and "up to 2023" in text
    assert "Chongqing University of Science and Technology of China" in text  # an alias
    assert 'href="/sources/ucas-chongqing-graduate-education/"' in response.content.decode()
    assert "Part of University of Chinese Academy of Sciences" in text


def test_source_with_a_url_is_linked_directly(client):
    source = SourceFactory(url="https://example.org/article")
    figure = FigureFactory(source=source)
    assert 'href="https://example.org/article"' in client.get(figure.institution.get_absolute_url()).content.decode()


def test_chart_when_a_metric_has_several_periods(client):
    institution = InstitutionFactory(name="Growing University")
    for year, value in [(2022, 120), (2023, 150), (2024, 180)]:
        FigureFactory(institution=institution, period_start=year, period_end=year, value=value)
    text = text_of(client, institution.get_absolute_url())
    assert "Graduate students enrolled by period Period Value Bar 2022 120 2023 150 2024 180" in text


def test_institution_lists_its_partnerships(client):
    text = text_of(client, "/institutions/central-south-university/")
    assert "Central South University – Kyushu University memorandum of understanding" in text
    assert "Central South University delegation to South Korea and Japan, December 2019" in text
    assert "Students funded for overseas visits 300 2019" in text
    kyushu = text_of(client, "/institutions/kyushu-university/")
    assert "Central South University delegation to South Korea and Japan" in kyushu
    assert "Programs as foreign partner" not in kyushu


def test_parent_lists_its_members(client):
    assert "University of Chinese Academy of Sciences, Chongqing School" in text_of(
        client, "/institutions/university-of-chinese-academy-of-sciences/"
    )


def test_institution_page_hides_draft_programs_and_activities(client):
    host = Program.objects.get(slug="swu-otago-pharmacy").host
    ProgramFactory(name="Draft Pharmacy Sequel", host=host, publication_state="draft")
    ActivityFactory(title="Draft Visit", organizer=host, publication_state="draft")
    host_page = text_of(client, host.get_absolute_url())
    assert "Draft Pharmacy Sequel" not in host_page and "Draft Visit" not in host_page


@pytest.mark.parametrize("path", ["/institutions/no-such/", "/disciplines/cn-grad/9999/", "/regions/no-such/",
                                  "/sources/no-such/"])
def test_unknown_records_are_404(client, path):
    assert client.get(path).status_code == 404


def test_draft_institution_is_404(client):
    assert client.get(InstitutionFactory(publication_state="draft").get_absolute_url()).status_code == 404


def test_discipline_page_includes_descendants(client):
    text = text_of(client, "/disciplines/cn-grad/08/")
    assert "Control Science and Engineering" in text and "Information and Communication Engineering" in text
    assert "Physics" not in text.split("Programs", 1)[1]
    assert "Computer Science and Technology" in text_of(client, "/disciplines/cn-grad/0812/")


def test_region_page(client):
    text = text_of(client, "/regions/chongqing/")
    assert "Total 75 6" in text
    assert "nearly 1,000" in text
    assert "68.3%" in text


def test_source_page_lists_what_cites_it(client):
    text = text_of(client, "/sources/csu-promotes-interschool-cooperation/")
    assert "Central South University – Pohang University of Science and Technology memorandum of understanding" in text
    assert "Central South University (CSU): Students funded for overseas visits 300 (2019)" in text
