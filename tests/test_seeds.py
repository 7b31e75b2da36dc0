"""load_seeds brings in every fact of the four articles, each cited, and a second run changes nothing."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from catalog.models import Discipline, Institution, Region, Source
from partnerships.choices import ApprovalStatus, DegreeModel, Metric, ProgramLevel, Qualifier, Unit
from partnerships.models import Activity, Agreement, Figure, JointInstitute, Program

pytestmark = pytest.mark.django_db


def figure(subject, metric):
    return Figure.objects.about(subject).get(metric=metric)


def institution(abbreviation_or_name):
    return Institution.objects.search(abbreviation_or_name).get()


def test_four_sources_each_from_its_seed_file(settings):
    files = set(Source.objects.values_list("seed_file", flat=True))
    assert files == {path.name for path in settings.SEEDS_DIR.glob("*.txt")}


def test_ucas_chongqing_school():
    school = Institution.objects.get(slug="ucas-chongqing-school")
    assert school.parent.abbreviation == "UCAS"
    aliases = set(school.aliases.values_list("name", flat=True))
    assert "Chongqing University of Science and Technology of China" in aliases
    assert "National University of Science and Technology of China" in aliases
    degrees = figure(school, Metric.DEGREES_AWARDED)
    assert (degrees.value, degrees.qualifier, degrees.period_end) == (320, Qualifier.EXACT, 2023)
    students = figure(school, Metric.GRADUATE_STUDENTS)
    assert (students.value, students.display_value) == (684, "more than 684")
    share = figure(school, Metric.DOCTORAL_SHARE)
    assert (share.value, share.unit, share.qualifier) == (Decimal("37.2"), Unit.PERCENT, Qualifier.ABOUT)
    assert figure(school, Metric.DOCTORAL_DISCIPLINES).value == 4
    assert figure(school, Metric.MASTER_DISCIPLINES).value == 5
    assert figure(school, Metric.PROFESSIONAL_DEGREE_CATEGORIES).value == 3
    assert {d.code for d in school.disciplines.all()} == {"0854", "0856", "0857"}


def test_the_six_may_2025_approvals():
    approved = [
        *JointInstitute.objects.filter(approval_date=date(2025, 5, 1)),
        *Program.objects.filter(approval_date=date(2025, 5, 1)),
    ]
    assert len(approved) == 6
    partner_countries = set()
    for record in approved:
        partners = record.partners if isinstance(record, JointInstitute) else record.partners.all()
        partner_countries |= {partner.country.code for partner in partners}
    assert partner_countries == {"RU", "NZ", "DE"}
    otago = Program.objects.get(partners__name="University of Otago")
    assert (otago.name, otago.level, otago.host.name) == ("Pharmacy", ProgramLevel.BACHELOR, "Southwest University")
    iot = Program.objects.get(level=ProgramLevel.VOCATIONAL)
    assert iot.partners.get().name == "Ulyanovsk State Technical University"
    assert iot.disciplines.get().key == "cn-voc:510102"


def test_berlin_partner_recorded_under_its_real_name_with_article_alias():
    hmkw = institution("HMKW")
    assert hmkw.country.code == "DE"
    assert hmkw.aliases.filter(
        name="Berlin University of Applied Sciences for Media, Communication, and Economics"
    ).exists()


def test_chongqing_totals():
    chongqing = Region.objects.get(slug="chongqing")
    expected = {
        Metric.COOPERATIVE_TOTAL: Decimal(75),
        Metric.JOINT_INSTITUTES: Decimal(9),
        Metric.JOINT_PROGRAMS: Decimal(66),
        Metric.DISCIPLINES_COVERED: Decimal(101),
        Metric.STEM_SHARE: Decimal("68.3"),
    }
    for metric, value in expected.items():
        assert figure(chongqing, metric).value == value
    assert figure(chongqing, Metric.STEM_SHARE).unit == Unit.PERCENT
    assert figure(chongqing, Metric.CHINA_RUSSIA_COOPERATIVE).value == 6
    exchanged = figure(chongqing, Metric.STUDENTS_EXCHANGED_PER_YEAR)
    assert (exchanged.value, exchanged.qualifier) == (1000, Qualifier.NEARLY)


def test_csu_delegation_visit_and_its_mous():
    visit = Activity.objects.get()
    assert visit.organizer.abbreviation == "CSU"
    assert (visit.start_date, visit.end_date) == (date(2019, 12, 7), date(2019, 12, 14))
    assert {host.name for host in visit.hosts.all()} == {
        "Pohang University of Science and Technology", "Kyushu University", "Kyoto University",
    }
    assert set(visit.agreements.values_list("slug", flat=True)) == {"csu-postech-mou-2019", "csu-kyushu-mou-2019"}
    for agreement in Agreement.objects.all():
        assert agreement.signed_on is None  # the article gives only the visit's dates


def test_csu_2019_figures():
    csu = institution("CSU")
    expected = {
        Metric.STUDENTS_FUNDED_OVERSEAS_VISITS: 300,
        Metric.STUDENTS_VISITED_ABROAD: 251,
        Metric.CONFERENCE_FUNDING_APPLICANTS: 141,
        Metric.CONFERENCE_ATTENDEES: 100,
    }
    for metric, value in expected.items():
        found = figure(csu, metric)
        assert (found.value, found.period_start, found.period_end) == (value, 2019, 2019)
    assert figure(csu, Metric.COUNTRIES_VISITED).display_value == "more than 10"


def test_cqupt_fefu_joint_institute():
    institute = JointInstitute.objects.with_related().get(slug="cqupt-fefu-joint-institute")
    assert [host.abbreviation for host in institute.hosts] == ["CQUPT"]
    assert [partner.abbreviation for partner in institute.partners] == ["FEFU"]
    assert institute.launched_on == date(2025, 11, 4)
    assert "inferred" in institute.launch_note
    assert {source.seed_file for source in institute.sources.all()} == {
        "001_f8c0f7f53588e77f.txt", "003_02e2c5d903585359.txt",
    }
    assert (institute.degree_model, institute.dean, institute.enrollment_target) == (DegreeModel.DUAL, "Wang Yang", 1650)
    assert institute.approval_status == ApprovalStatus.ENROLLING
    assert institute.approval_number == ""  # the articles give none
    programs = institute.programs.all()
    assert programs.filter(level=ProgramLevel.BACHELOR).count() == 3
    assert programs.filter(level="").count() == 3  # graduate programs; the level is not stated
    assert figure(institute, Metric.ENROLLMENT_TARGET).value == 1650
    iot = programs.get(name="Internet of Things Engineering")
    assert figure(iot, Metric.STUDENTS_ADMITTED).value == 100


def test_every_record_is_published_and_cited():
    for model in (Institution, JointInstitute, Program, Agreement, Activity):
        assert model.objects.exists()
        assert not model.objects.drafts().exists()
        assert not model.objects.filter(sources=None).exists(), model
    assert not Figure.objects.drafts().exists()


def test_disciplines_reference_data_has_the_catalogues():
    assert Discipline.objects.get(catalogue="cn-grad", code="0812").name == "Computer Science and Technology"
    assert Discipline.objects.get(catalogue="isced", code="0812").is_stem
    assert Discipline.objects.filter(catalogue="cn-grad", rank="category").count() == 14
    assert Discipline.objects.get(catalogue="cn-ug", code="080905").parent.code == "0809"


def test_load_seeds_twice_changes_nothing():
    def snapshot():
        return {
            model.__name__: sorted(model.objects.values_list("pk", "updated_at"))
            for model in (Institution, JointInstitute, Program, Agreement, Activity, Figure)
        } | {
            "history": [model.history.count() for model in (Institution, JointInstitute, Program, Figure)],
            "disciplines": Discipline.objects.count(),
        }

    before = snapshot()
    call_command("load_seeds", stdout=open("/dev/null", "w"))
    assert snapshot() == before
