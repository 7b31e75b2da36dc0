"""The rules an editor meets in the form: a discipline's catalogue must suit the program's level (in the admin
and in imports), and a date is typed at the precision its source gives, in one field."""
import csv
import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalog.models import Discipline, Institution, Source
from core.choices import DatePrecision
from partnerships.models import Agreement, JointInstitute, Program
from tests import factories
from tests.pages import admin_url, page_text

pytestmark = pytest.mark.django_db


def discipline(key: str) -> Discipline:
    catalogue, code = key.split(":")
    return Discipline.objects.get(catalogue=catalogue, code=code)


def admin_form_data(response) -> dict:
    """What the admin page's form posts when nothing is touched: each field's shown value, and each inline's
    management form with its existing rows (so fields other parts of the admin add are posted too)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {field.html_name: field.value() for field in management}
        data[f"{formset.prefix}-TOTAL_FORMS"] = formset.initial_form_count()
        forms += formset.initial_forms
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = [str(item) for item in value] if isinstance(value, (list, tuple)) else str(value)
    return data


class Fragment:
    """A piece of a page, read as page_text() reads a response."""

    def __init__(self, html: str):
        self.content = html.encode()


def field_row(response, field: str) -> str:
    """The text of one field's row on an admin form (its label, input, help and errors)."""
    html = response.content.decode()
    return page_text(Fragment(html.split(f"field-{field}", 1)[1].split('class="form-row', 1)[0]))


def add_program(client, *, level="bachelor", disciplines=(), approval_date="", name="Robotics Engineering"):
    page = client.get(admin_url(Program, "add"))
    data = admin_form_data(page) | {
        "name": name, "slug": "robotics-engineering", "level": level,
        "host": Institution.objects.get(abbreviation="CQU").pk,
        "disciplines": [discipline(key).pk for key in disciplines],
        "sources": [Source.objects.first().pk], "publication_state": "draft", "approval_date": approval_date,
    }
    return client.post(admin_url(Program, "add"), data)


# A discipline's catalogue suits the program's level ------------------------------------------------


def test_a_bachelor_program_with_a_graduate_catalogue_discipline_is_refused(staff_client):
    before = Program.objects.count()
    response = add_program(staff_client, level="bachelor", disciplines=["cn-grad:0812"])
    assert response.status_code == 200
    row = field_row(response, "disciplines")
    assert "Not for a “Bachelor” program: cn-grad:0812 Computer Science and Technology" in row
    assert "Choose disciplines from the China undergraduate catalogue or ISCED-F 2013." in row
    assert Program.objects.count() == before
    assert not Program.objects.filter(name="Robotics Engineering").exists()


@pytest.mark.parametrize(("level", "key"), [
    ("bachelor", "cn-ug:080901"),
    ("bachelor", "isced:0613"),
    ("master", "cn-grad:0812"),
    ("doctorate", "isced:0613"),
    ("graduate", "cn-grad:0812"),
    ("vocational", "cn-voc:510102"),
    ("", "cn-grad:0812"),  # the source does not state the level: any catalogue will do
])
def test_a_discipline_from_a_catalogue_that_suits_the_level_is_accepted(staff_client, level, key):
    response = add_program(staff_client, level=level, disciplines=[key])
    assert response.status_code == 302, field_row(response, "disciplines")
    program = Program.objects.get(name="Robotics Engineering")
    assert [d.key for d in program.disciplines.all()] == [key]


@pytest.mark.parametrize(("level", "key", "fitting"), [
    ("master", "cn-ug:080901", "China graduate catalogue (2022) or ISCED-F 2013"),
    ("doctorate", "cn-voc:510102", "China graduate catalogue (2022) or ISCED-F 2013"),
    ("vocational", "cn-ug:080901", "China higher vocational catalogue (2021) or ISCED-F 2013"),
])
def test_other_levels_name_the_catalogue_that_fits(staff_client, level, key, fitting):
    response = add_program(staff_client, level=level, disciplines=[key])
    assert response.status_code == 200
    row = field_row(response, "disciplines")
    assert key in row and f"Choose disciplines from the {fitting}." in row
    assert not Program.objects.filter(name="Robotics Engineering").exists()


def test_changing_the_level_away_from_the_disciplines_is_refused(staff_client):
    program = Program.objects.get(slug="cqu-nsu-physics")  # bachelor, cn-ug:070201
    url = admin_url(Program, "change", program.pk)
    data = admin_form_data(staff_client.get(url)) | {"level": "master"}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Not for a “Master” program: cn-ug:070201 Physics (China undergraduate catalogue)" in field_row(
        response, "disciplines")
    program.refresh_from_db()
    assert program.level == "bachelor"


# The same rule in imports -----------------------------------------------------------------------

PROGRAM_HEADER = ["name", "level", "disciplines", "host", "source_title"]


def import_rows(tmp_path, header, rows, *, name="programs.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_registry", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, out.getvalue()


def test_an_import_row_with_a_discipline_unsuited_to_its_level_is_an_error_on_the_disciplines_column(tmp_path):
    before = Program.objects.count()
    succeeded, output = import_rows(tmp_path, PROGRAM_HEADER, [
        ["Robotics Engineering", "bachelor", "cn-ug:080901", "Chongqing University", "Provincial approvals"],
        ["Data Science", "bachelor", "cn-grad:0812|isced:0613", "Chongqing University", "Provincial approvals"],
    ])
    assert not succeeded
    assert "programs.csv row 3, column disciplines: Not for a “Bachelor” program: cn-grad:0812" in output
    assert "Choose disciplines from the China undergraduate catalogue or ISCED-F 2013." in output
    assert "row 2," not in output
    assert Program.objects.count() == before


PHYSICS = ["cqu-nsu-physics", "Physics", "Chongqing University", "Chongqing Expands International Education Partnerships"]


def test_an_update_row_without_a_level_is_judged_by_the_records_level(tmp_path):
    succeeded, output = import_rows(tmp_path, ["slug", "name", "host", "source_title", "disciplines"],
                                    [[*PHYSICS, "cn-grad:0812"]])
    assert not succeeded
    assert "programs.csv row 2, column disciplines: Not for a “Bachelor” program: cn-grad:0812" in output
    assert [d.key for d in Program.objects.get(slug="cqu-nsu-physics").disciplines.all()] == ["cn-ug:070201"]


def test_an_update_row_without_disciplines_is_judged_by_the_records_disciplines(tmp_path):
    path = tmp_path / "programs.json"
    path.write_text(json.dumps([dict(zip(["slug", "name", "host", "source_title"], PHYSICS), level="doctorate")]),
                    encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_registry", str(path), stdout=io.StringIO(), stderr=err)
    assert "programs.json row 1, column level: Not for a “Doctorate” program: cn-ug:070201 Physics" in err.getvalue()
    assert Program.objects.get(slug="cqu-nsu-physics").level == "bachelor"


def test_an_update_row_that_fits_the_record_imports(tmp_path):
    succeeded, output = import_rows(tmp_path, ["slug", "name", "host", "source_title", "disciplines"],
                                    [[*PHYSICS, "cn-ug:070201|isced:0613"]])
    assert succeeded, output
    assert {d.key for d in Program.objects.get(slug="cqu-nsu-physics").disciplines.all()} == {
        "cn-ug:070201", "isced:0613"}


def test_the_admin_import_shows_the_rule_and_writes_nothing(staff_client, tmp_path):
    path = tmp_path / "programs.csv"
    path.write_text("name,level,disciplines,host,source_title\n"
                    "Data Science,master,cn-ug:080901,Chongqing University,Provincial approvals\n", encoding="utf-8")
    with path.open("rb") as handle:
        response = staff_client.post(reverse("admin:partnerships_program_import"),
                                     {"format": "0", "resource": "0", "import_file": handle})
    text = page_text(response)
    assert response.status_code == 200
    assert "Not for a “Master” program: cn-ug:080901 Computer Science and Technology" in text
    assert "Confirm import" not in text
    assert not Program.objects.filter(name="Data Science").exists()


# One field for a date at its source's precision -------------------------------------------------


@pytest.mark.parametrize(("typed", "stored", "precision"), [
    ("2025", date(2025, 1, 1), DatePrecision.YEAR),
    ("2025-05", date(2025, 5, 1), DatePrecision.MONTH),
    (" 2025-05-14 ", date(2025, 5, 14), DatePrecision.DAY),
])
def test_an_approval_date_is_stored_at_the_precision_typed(staff_client, typed, stored, precision):
    response = add_program(staff_client, approval_date=typed)
    assert response.status_code == 302
    program = Program.objects.get(name="Robotics Engineering")
    assert (program.approval_date, program.approval_date_precision) == (stored, precision)


@pytest.mark.parametrize("typed", ["2025-13", "May 2025", "2025-5", "2025-02-30", "25"])
def test_a_date_that_is_not_one_of_the_three_forms_is_refused_with_the_forms_accepted(staff_client, typed):
    response = add_program(staff_client, approval_date=typed)
    assert response.status_code == 200
    row = field_row(response, "approval_date")
    assert f"“{typed}” is not a date." in row
    assert "2025 (a year), 2025-05 (a month) or 2025-05-14 (a day)" in row
    assert not Program.objects.filter(name="Robotics Engineering").exists()


def test_the_form_has_no_separate_precision_menu(staff_client):
    html = staff_client.get(admin_url(Program, "add")).content.decode()
    assert 'name="approval_date"' in html
    assert "approval_date_precision" not in html


def test_an_existing_date_shows_at_its_precision_and_clears_with_its_precision(staff_client):
    program = factories.ProgramFactory(approval_date=date(2024, 1, 1), approval_date_precision=DatePrecision.YEAR,
                                       publication_state="draft")
    program.sources.add(Source.objects.first())
    url = admin_url(Program, "change", program.pk)
    page = staff_client.get(url)
    assert 'name="approval_date" value="2024"' in page.content.decode()

    response = staff_client.post(url, admin_form_data(page) | {"approval_date": ""})
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.approval_date, program.approval_date_precision) == (None, "")


def test_an_untouched_date_stays_at_its_precision(staff_client):
    program = factories.ProgramFactory(approval_date=date(2024, 5, 1), approval_date_precision=DatePrecision.MONTH,
                                       publication_state="draft")
    program.sources.add(Source.objects.first())
    url = admin_url(Program, "change", program.pk)
    response = staff_client.post(url, admin_form_data(staff_client.get(url)) | {"annual_intake": "40"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.approval_date, program.approval_date_precision, program.annual_intake) == (
        date(2024, 5, 1), DatePrecision.MONTH, 40)


def test_a_joint_institutes_launch_and_approval_dates_are_typed_at_their_precision(staff_client):
    institute = JointInstitute.objects.get(name__icontains="Joint Institute")
    url = admin_url(JointInstitute, "change", institute.pk)
    page = staff_client.get(url)
    assert "launched_on_precision" not in page.content.decode()
    response = staff_client.post(url, admin_form_data(page) | {"launched_on": "2019-09", "approval_date": "2018"})
    assert response.status_code == 302, field_row(response, "launched_on")
    institute.refresh_from_db()
    assert (institute.launched_on, institute.launched_on_precision) == (date(2019, 9, 1), DatePrecision.MONTH)
    assert (institute.approval_date, institute.approval_date_precision) == (date(2018, 1, 1), DatePrecision.YEAR)
    assert 'name="launched_on" value="2019-09"' in staff_client.get(url).content.decode()


def test_an_agreements_signing_date_is_one_field_too(staff_client):
    agreement = factories.AgreementFactory(signed_on=date(2020, 1, 1), signed_on_precision=DatePrecision.YEAR)
    html = staff_client.get(admin_url(Agreement, "change", agreement.pk)).content.decode()
    assert 'name="signed_on" value="2020"' in html and "signed_on_precision" not in html


def test_a_read_only_page_and_the_list_show_a_date_as_stated(client, viewer):
    program = Program.objects.get(slug="cqu-nsu-physics")  # approved in May 2025, as the article says
    assert (program.approval_date, program.approval_date_precision) == (date(2025, 5, 1), DatePrecision.MONTH)
    client.force_login(viewer)
    response = client.get(admin_url(Program, "change", program.pk))
    assert response.status_code == 200
    assert "Approval date: 2025-05 Valid from" in page_text(response)
    assert "May 1, 2025" not in page_text(response)
    listing = page_text(client.get(admin_url(JointInstitute, "changelist")))
    assert "Approval date" in listing and "Approved 2025-05" in listing
    assert "May 1, 2025" not in listing
