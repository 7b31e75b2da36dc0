"""Program, joint institute, agreement, activity and country pages: everything the registry knows, published only."""
from datetime import date

import pytest

from partnerships.models import Program
from tests.factories import ForeignInstitutionFactory, ProgramFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def text_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return page_text(response)


def test_program_shows_partners_figures_and_sources(client):
    text = text_of(client, "/programs/cqupt-fefu-internet-of-things-engineering-bachelor/")
    assert "Far Eastern Federal University 远东联邦大学 FEFU Russia" in text
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
                     "Chongqing University of Posts and Telecommunications 重庆邮电大学 CQUPT China"]:
        assert expected in text


def test_agreement_and_activity(client):
    text = text_of(client, "/agreements/csu-postech-mou-2019/")
    assert "metallurgy and machinery" in text and "Pohang University of Science and Technology" in text
    assert "Activities it came from" in text
    activity = text_of(client, "/activities/csu-delegation-korea-japan-2019/")
    assert "Zhu Xuehong" in activity and "Kyoto University" in activity


def test_program_page_hides_a_draft_partner(client):
    program = Program.objects.get(slug="swu-otago-pharmacy")
    program.partner_links.create(
        institution=ForeignInstitutionFactory(name="Draft Partner University", publication_state="draft")
    )
    assert "Draft Partner University" not in text_of(client, program.get_absolute_url())


@pytest.mark.parametrize("path", ["/programs/no-such-program/", "/institutes/no-such/", "/agreements/no-such/",
                                  "/activities/no-such/", "/countries/ZZ/"])
def test_unknown_records_are_404(client, path):
    assert client.get(path).status_code == 404


def test_draft_program_is_404(client):
    assert client.get(ProgramFactory(publication_state="draft").get_absolute_url()).status_code == 404


def test_country_page(client):
    text = text_of(client, "/countries/ru/")
    assert "Russia" in text and "Physics" in text
    assert "Chongqing Tchaikovsky Conservatory of Music" in text
    assert "Pharmacy" not in text
    assert "Kyushu University" in text_of(client, "/countries/JP/")
