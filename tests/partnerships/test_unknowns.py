"""Detail pages show every fact a family looks for, and say "not stated by the sources" where the
registry holds nothing, so an unknown never looks like a "no" (issue 10)."""
from datetime import date
from decimal import Decimal

import pytest

from tests.factories import InstitutionFactory, JointInstituteFactory, ProgramFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db

UNSTATED = "not stated by the sources"


def text_of(client, record) -> str:
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    return page_text(response)


PROGRAM_ROWS = [
    # (row label, fields that state it, how the page shows it)
    ("Chinese name", {"native_name": "物联网工程"}, "物联网工程"),
    ("Level", {"level": "master"}, "Master"),
    ("City", {"city": "Chongqing"}, "Chongqing"),
    ("Degrees", {"degree_model": "dual"}, "Dual degree (one from each institution)"),
    ("Duration", {"duration_years": Decimal("4")}, "4 years"),
    ("Duration", {"duration_years": Decimal("1")}, "1 year"),
    ("Duration", {"duration_years": Decimal("1.5")}, "1.5 years"),
    ("Annual intake", {"annual_intake": 120}, "120 students a year"),
    ("Tuition per year", {"tuition_cny_per_year": 60000}, "¥60,000"),
    ("Language of instruction", {"language": "English and Chinese"}, "English and Chinese"),
    ("Enrollment years", {"enrollment_start_year": 2025}, "from 2025"),
    ("Enrollment years", {"enrollment_start_year": 2025, "enrollment_end_year": 2028}, "2025–2028"),
    ("Status", {"approval_status": "enrolling"}, "Enrolling"),
    ("Approving authority", {"approving_authority": "Chongqing Municipal Education Commission"},
     "Chongqing Municipal Education Commission"),
    ("Approval or licence number", {"approval_number": "MOE50RU2A20251234N"}, "MOE50RU2A20251234N"),
    ("Approved", {"approval_date": date(2025, 5, 1), "approval_date_precision": "month"}, "May 2025"),
]


@pytest.mark.parametrize("label, fields, shown", PROGRAM_ROWS)
def test_program_row_unstated_then_stated(client, label, fields, shown):
    empty = ProgramFactory(level="", city="")
    assert f"{label} {UNSTATED}" in text_of(client, empty)
    stated = ProgramFactory(**fields)
    text = text_of(client, stated)
    assert f"{label} {shown}" in text
    assert f"{label} {UNSTATED}" not in text


def test_program_without_partners_disciplines_or_host_chinese_name(client):
    program = ProgramFactory(host=InstitutionFactory(name="Nameless Host University"))
    program.partner_links.all().delete()
    text = text_of(client, program)
    assert f"Foreign partners {UNSTATED}" in text
    assert f"Disciplines {UNSTATED}" in text
    assert f"Nameless Host University China (Chinese name: {UNSTATED})" in text


def test_one_phrase_one_marker(client):
    """Every unknown is the same phrase in the same marked span (styled apart from values, not by colour alone)."""
    markup = client.get(ProgramFactory(level="", city="").get_absolute_url()).content.decode()
    assert markup.count(f'<span class="unstated">{UNSTATED}</span>') == markup.count(UNSTATED) >= 10


def test_seeded_program_states_what_its_sources_state(client):
    from partnerships.models import Program

    text = text_of(client, Program.objects.get(slug="cqupt-fefu-information-and-communication-engineering-graduate"))
    for expected in ["Level Master", "Duration 3 years", "Degrees Dual degree", "City Chongqing",
                     f"Tuition per year {UNSTATED}", f"Annual intake {UNSTATED}",
                     f"Language of instruction {UNSTATED}", f"Approval or licence number {UNSTATED}",
                     "Chongqing University of Posts and Telecommunications 重庆邮电大学 CQUPT China"]:
        assert expected in text, expected


INSTITUTE_ROWS = [
    ("Chinese name", {"native_name": "重庆邮电大学远东联邦大学联合学院"}, "重庆邮电大学远东联邦大学联合学院"),
    ("City", {"city": "Chongqing"}, "Chongqing"),
    ("Launched", {"launched_on": date(2025, 11, 4), "launched_on_precision": "year"}, "2025"),
    ("Degrees", {"degree_model": "joint"}, "Joint degree (one degree, both institutions)"),
    ("Dean", {"dean": "Wang Yang"}, "Wang Yang"),
    ("Enrollment target", {"enrollment_target": 1650}, "1,650"),
    ("Website", {"website": "https://example.edu.cn/"}, "https://example.edu.cn/"),
    ("Status", {"approval_status": "approved"}, "Approved"),
    ("Approving authority", {"approving_authority": "Ministry of Education"}, "Ministry of Education"),
    ("Approval or licence number", {"approval_number": "MOE50RU2A20251234N"}, "MOE50RU2A20251234N"),
    ("Approved", {"approval_date": date(2025, 5, 1), "approval_date_precision": "month"}, "May 2025"),
]


@pytest.mark.parametrize("label, fields, shown", INSTITUTE_ROWS)
def test_institute_row_unstated_then_stated(client, label, fields, shown):
    assert f"{label} {UNSTATED}" in text_of(client, JointInstituteFactory(city=""))
    text = text_of(client, JointInstituteFactory(**fields))
    assert f"{label} {shown}" in text
    assert f"{label} {UNSTATED}" not in text


def test_institute_hosts_chinese_names(client):
    known = InstitutionFactory(name="Known Host University", native_name="已知大学")
    unknown = InstitutionFactory(name="Unknown Host University")
    text = text_of(client, JointInstituteFactory(hosts=[known, unknown]))
    assert "Known Host University 已知大学 China" in text
    assert f"Unknown Host University China (Chinese name: {UNSTATED})" in text


@pytest.mark.parametrize("label, fields, shown", [
    ("City", {"city": "Vladivostok"}, "Vladivostok"),
    ("Province or region", {"region": "Primorsky Krai"}, "Primorsky Krai"),
    ("Website", {"website": "https://www.dvfu.ru/"}, "https://www.dvfu.ru/"),
    ("Name in its own language", {"native_name": "Дальневосточный"}, "Дальневосточный"),
])
def test_institution_row_unstated_then_stated(client, label, fields, shown):
    assert f"{label} {UNSTATED}" in text_of(client, InstitutionFactory(city=""))
    assert f"{label} {shown}" in text_of(client, InstitutionFactory(**fields))
