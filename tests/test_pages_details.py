"""Detail, country, discipline, region and source pages: everything the registry knows, published only."""
from datetime import date

import pytest

from partnerships.models import Program
from tests.factories import (
    ActivityFactory,
    FigureFactory,
    ForeignInstitutionFactory,
    InstitutionFactory,
    ProgramFactory,
    SourceFactory,
)
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def text_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return page_text(response)


def test_program_shows_partners_figures_and_sources(client):
    text = text_of(client, "/programs/cqupt-fefu-internet-of-things-engineering-bachelor/")
    assert "Far Eastern Federal University FEFU Russia" in text
    assert ("Students admitted 100 2025 The program's first intake, admitted in 2025. "
            "New China-Russia Educational Collaboration Opens in Chongqing") in text
    sources = text.split(" Sources ", 1)[1]
    assert "China-Russia Educational Partnership Launches in Chongqing" in sources
    assert "New China-Russia Educational Collaboration Opens in Chongqing" in sources
    assert "cn-ug:080905" in text


def test_program_approval_month(client):
    assert "Approved May 2025" in text_of(client, "/programs/swu-otago-pharmacy/")


def test_year_precision(client):
    program = ProgramFactory(approval_date=date(2024, 1, 1), approval_date_precision="year")
    assert "Approved 2024" in text_of(client, program.get_absolute_url())


def test_institute_shows_every_field(client):
    text = text_of(client, "/institutes/cqupt-fefu-joint-institute/")
    for expected in ["Dean Wang Yang", "1,650 students over the next four years", "Approved May 2025",
                     "Dual degree", "Enrollment target 1,650", "Internet of Things Engineering",
                     "Chongqing University of Posts and Telecommunications CQUPT China"]:
        assert expected in text


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


def test_agreement_and_activity(client):
    text = text_of(client, "/agreements/csu-postech-mou-2019/")
    assert "metallurgy and machinery" in text and "Pohang University of Science and Technology" in text
    assert "Activities it came from" in text
    activity = text_of(client, "/activities/csu-delegation-korea-japan-2019/")
    assert "Zhu Xuehong" in activity and "Kyoto University" in activity


def test_related_lists_hide_drafts(client):
    fefu = ForeignInstitutionFactory(name="Draft Partner University", publication_state="draft")
    program = Program.objects.get(slug="swu-otago-pharmacy")
    program.partner_links.create(institution=fefu)
    ProgramFactory(name="Draft Pharmacy Sequel", host=program.host, publication_state="draft")
    ActivityFactory(title="Draft Visit", organizer=program.host, publication_state="draft")
    assert "Draft Partner University" not in text_of(client, program.get_absolute_url())
    host_page = text_of(client, program.host.get_absolute_url())
    assert "Draft Pharmacy Sequel" not in host_page and "Draft Visit" not in host_page


@pytest.mark.parametrize("path", [
    "/programs/no-such-program/", "/institutions/no-such/", "/countries/ZZ/", "/disciplines/cn-grad/9999/",
])
def test_unknown_records_are_404(client, path):
    assert client.get(path).status_code == 404


def test_draft_detail_is_404(client):
    draft = ProgramFactory(publication_state="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(InstitutionFactory(publication_state="draft").get_absolute_url()).status_code == 404


def test_country_page(client):
    text = text_of(client, "/countries/ru/")
    assert "Russia" in text and "Physics" in text
    assert "Chongqing Tchaikovsky Conservatory of Music" in text
    assert "Pharmacy" not in text
    assert "Kyushu University" in text_of(client, "/countries/JP/")


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
