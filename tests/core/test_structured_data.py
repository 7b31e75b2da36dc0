"""schema.org JSON-LD on detail pages: it parses, has the expected type, states only known facts, never
names a draft and cannot close its script block (issue 10)."""
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template

from core.structured_data import iso_date, iso_duration
from tests.factories import ForeignInstitutionFactory, InstitutionFactory, JointInstituteFactory, ProgramFactory

pytestmark = pytest.mark.django_db

BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(client, path) -> dict:
    response = client.get(path)
    assert response.status_code == 200
    blocks = BLOCK.findall(response.content.decode())
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def test_seeded_program(client):
    data = json_ld(client, "/programs/cqupt-fefu-information-and-communication-engineering-graduate/")
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EducationalOccupationalProgram"
    assert data["name"] == "Information and Communication Engineering"
    assert data["url"] == "http://testserver/programs/cqupt-fefu-information-and-communication-engineering-graduate/"
    assert data["timeToComplete"] == "P3Y"
    assert data["educationalCredentialAwarded"] == "Master – Dual degree (one from each institution)"
    assert [provider["name"] for provider in data["provider"]] == [
        "Chongqing University of Posts and Telecommunications", "Far Eastern Federal University",
        "Chongqing University of Posts and Telecommunications – Far Eastern Federal University Joint Institute",
    ]
    # What the sources do not state is left out, not guessed.
    for unknown in ("offers", "maximumEnrollment", "alternateName", "identifier"):
        assert unknown not in data


def test_program_with_every_fact(client):
    program = ProgramFactory(native_name="物联网工程", duration_years=Decimal("1.5"), annual_intake=120,
                             tuition_cny_per_year=60000, approval_number="MOE50RU2A20251234N")
    data = json_ld(client, program.get_absolute_url())
    assert data["alternateName"] == "物联网工程"
    assert data["timeToComplete"] == "P1Y6M"
    assert data["maximumEnrollment"] == 120
    assert data["offers"] == {"@type": "Offer", "category": "Tuition per year", "price": 60000, "priceCurrency": "CNY"}
    assert data["identifier"]["value"] == "MOE50RU2A20251234N"


def test_institute(client):
    data = json_ld(client, "/institutes/cqupt-fefu-joint-institute/")
    assert data["@type"] == "CollegeOrUniversity"
    assert data["alternateName"] == ["CQUPT–FEFU Joint Institute"]
    assert data["foundingDate"] == "2025-11-04"
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "CN", "addressLocality": "Chongqing"}
    assert {org["name"] for org in data["parentOrganization"]} == {
        "Chongqing University of Posts and Telecommunications", "Far Eastern Federal University",
    }


def test_institution(client):
    data = json_ld(client, "/institutions/chongqing-university-of-posts-and-telecommunications/")
    assert data["@type"] == "CollegeOrUniversity"
    assert data["name"] == "Chongqing University of Posts and Telecommunications"
    assert {"重庆邮电大学", "CQUPT"} <= set(data["alternateName"])
    assert data["address"]["addressCountry"] == "CN"


def test_research_institute(client):
    data = json_ld(client, "/institutions/cas-chongqing-institute-of-green-and-intelligent-technology/")
    assert data["@type"] == "ResearchOrganization"


def test_no_draft_is_named(client):
    draft_partner = ForeignInstitutionFactory(name="Draft Partner University", publication_state="draft")
    draft_institute = JointInstituteFactory(name="Draft Joint Institute", publication_state="draft")
    program = ProgramFactory(partners=[draft_partner], joint_institute=draft_institute)
    institute = JointInstituteFactory(partners=[draft_partner])
    child = InstitutionFactory(parent=InstitutionFactory(name="Draft Parent University", publication_state="draft"))
    for path in (program.get_absolute_url(), institute.get_absolute_url(), child.get_absolute_url()):
        text = json.dumps(json_ld(client, path))
        assert "Draft" not in text, path


def test_no_block_on_a_draft_page(client):
    assert client.get(ProgramFactory(publication_state="draft").get_absolute_url()).status_code == 404


def test_text_cannot_close_the_script(client):
    program = ProgramFactory(description='Ends here </script><script>alert("x")</script> & <!-- more')
    markup = client.get(program.get_absolute_url()).content.decode()
    block = BLOCK.search(markup).group(1)
    assert "</" not in block and "<!--" not in block
    assert json.loads(block)["description"] == program.description


def test_tag_writes_nothing_for_no_data():
    assert Template("{% load registry %}{% json_ld data %}").render(Context({"data": {}})) == ""


@pytest.mark.parametrize("years, expected", [(Decimal("4"), "P4Y"), (Decimal("0.5"), "P6M"),
                                             (Decimal("2.5"), "P2Y6M"), (Decimal("10"), "P10Y"), (None, "")])
def test_iso_duration(years, expected):
    assert iso_duration(years) == expected


@pytest.mark.parametrize("precision, expected", [("year", "2025"), ("month", "2025-05"), ("day", "2025-05-14")])
def test_iso_date_keeps_its_precision(precision, expected):
    assert iso_date(date(2025, 5, 14), precision) == expected
