"""A program run by a joint institute holds its approval through the institute: its page says so, and
the ``status`` filter, its facet counts and the API count it as approved (issue 10)."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.filters import JointInstituteFilter, ProgramFilter
from partnerships.models import JointInstitute, Program
from tests.factories import JointInstituteFactory, ProgramFactory
from tests.filtersets import counts, facet, filtered, names
from tests.pages import page_text, result_titles

pytestmark = pytest.mark.django_db

CQUPT_FEFU_PROGRAMS = {
    "cqupt-fefu-computer-science-and-technology-bachelor", "cqupt-fefu-digital-media-technology-bachelor",
    "cqupt-fefu-internet-of-things-engineering-bachelor", "cqupt-fefu-information-and-communication-engineering-graduate",
    "cqupt-fefu-computer-science-and-technology-graduate", "cqupt-fefu-control-science-and-engineering-graduate",
}


def slugs(filterset) -> set[str]:
    return {program.slug for program in filterset.qs}


def test_all_ten_seed_programs_are_approved():
    approved = slugs(filtered(ProgramFilter, "status=approved"))
    assert len(approved) == 10 and CQUPT_FEFU_PROGRAMS <= approved


def test_enrolling_still_means_its_own_status():
    assert slugs(filtered(ProgramFilter, "status=enrolling")) == {"cqupt-fefu-internet-of-things-engineering-bachelor"}


def test_facet_counts_match_the_filter():
    assert counts(facet(filtered(ProgramFilter, ""), "status")) == {
        "approved": 10, "enrolling": 1, "stopped_enrolling": 0, "closed": 0, "terminated": 0,
    }
    # Counted within the other filters of the selection.
    assert counts(facet(filtered(ProgramFilter, "level=master"), "status"))["approved"] == 3


def test_status_counts_are_one_aggregate_query_without_distinct():
    with CaptureQueriesContext(connection) as queries:
        Program.objects.published().status_counts()
    assert len(queries) == 1
    assert "DISTINCT" not in queries[0]["sql"].upper()


def test_institutes_status_filter_reads_the_same_way():
    # CQUPT–FEFU is enrolling, the conservatory approved: both hold their approval.
    assert len(filtered(JointInstituteFilter, "status=approved").qs) == 2
    assert names(filtered(JointInstituteFilter, "status=enrolling")) == {
        "Chongqing University of Posts and Telecommunications – Far Eastern Federal University Joint Institute"
    }


def test_program_page_says_approved_through_its_joint_institute(client):
    response = client.get("/programs/cqupt-fefu-computer-science-and-technology-bachelor/")
    text = page_text(response)
    assert "Status Approved" in text
    assert "Approved May 2025, through its joint institute: CQUPT–FEFU Joint Institute" in text
    assert "Approving authority Ministry of Education of the People's Republic of China" in text
    assert 'href="/institutes/cqupt-fefu-joint-institute/">CQUPT–FEFU Joint Institute</a>' in response.content.decode()


def test_own_status_kept_with_the_institutes_date(client):
    text = page_text(client.get("/programs/cqupt-fefu-internet-of-things-engineering-bachelor/"))
    assert "Status Enrolling" in text
    assert "Approved May 2025, through its joint institute" in text


def test_listing_shows_the_effective_approval(client):
    response = client.get("/programs/?status=approved&q=Digital Media Technology")
    assert result_titles(response) == ["Digital Media Technology"]
    assert "Approved May 2025, through its joint institute" in page_text(response)


def test_api_filter_shares_it(client):
    data = client.get("/api/programs/", {"status": "approved", "page_size": 100}).json()
    assert CQUPT_FEFU_PROGRAMS <= {item["slug"] for item in data["results"]}
    assert data["count"] == 10


def test_a_draft_institute_lends_no_approval(client):
    institute = JointInstituteFactory(approval_status="approved", approval_date=date(2024, 6, 1),
                                      approval_date_precision="month", publication_state="draft")
    program = ProgramFactory(joint_institute=institute, name="Program of a Draft Institute")
    assert "Program of a Draft Institute" not in names(filtered(ProgramFilter, "status=approved"))
    text = page_text(client.get(program.get_absolute_url()))
    assert "Status not stated by the sources" in text and "June 2024" not in text


def test_own_approval_wins_over_the_institutes(client):
    institute = JointInstitute.objects.get(slug="cqupt-fefu-joint-institute")
    program = ProgramFactory(joint_institute=institute, approval_status="approved",
                             approval_date=date(2024, 9, 1), approval_date_precision="month")
    text = page_text(client.get(program.get_absolute_url()))
    assert "Approved September 2024" in text
    assert "through its joint institute" not in text


@pytest.mark.parametrize("institute_status, program_status", [("closed", "closed"), ("terminated", "terminated")])
def test_a_closed_institutes_programs_are_closed(institute_status, program_status):
    institute = JointInstituteFactory(approval_status=institute_status)
    program = ProgramFactory(joint_institute=institute)
    assert Program.objects.with_effective_approval().get(pk=program.pk).effective_approval_status == program_status
    assert program.name not in names(filtered(ProgramFilter, "status=approved"))
    assert program.name in names(filtered(ProgramFilter, f"status={program_status}"))


def test_a_program_without_an_institute_or_approval_is_not_approved():
    program = ProgramFactory()
    annotated = Program.objects.with_effective_approval().get(pk=program.pk)
    assert annotated.effective_approval_status == "" and annotated.approval_from_institute is False
    assert program.name not in names(filtered(ProgramFilter, "status=approved"))


def test_api_record_carries_the_effective_approval(client):
    data = client.get("/api/programs/cqupt-fefu-computer-science-and-technology-bachelor/").json()
    assert data["approval_status"] == ""  # its own record states none
    assert data["effective_approval"] == {
        "status": "approved", "date": "2025-05-01", "date_precision": "month",
        "approving_authority": "Ministry of Education of the People's Republic of China",
        "through_joint_institute": True,
    }
