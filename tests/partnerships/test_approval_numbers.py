"""Approval numbers (circular 教外综〔2004〕73号): decoded part by part, checked on every form and import row
against the record, and looked up on the public "Check an approval number" page."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.models import Institution, Source
from core.choices import DatePrecision, PublicationState
from partnerships import approval
from partnerships.models import JointInstitute, Program
from tests import factories
from tests.core.test_import import reported, run_import, write_csv
from tests.pages import admin_url, page_text
from tests.partnerships.test_form_rules import admin_form_data

pytestmark = pytest.mark.django_db

VALID = "MOE50RU2A20241234N"


def parts(number: str) -> dict[str, tuple[str, str]]:
    return {part.key: (part.value, part.meaning) for part in approval.decode(number).parts}


# The decoder ---------------------------------------------------------------------------------------


def test_a_valid_number_reads_part_by_part():
    decoded = approval.decode(VALID)
    assert decoded.is_valid and decoded.errors == []
    assert [part.label for part in decoded.parts] == [
        "approving authority", "province code", "country code", "level digit", "degree or non-degree letter",
        "approval year", "serial number", "closing letter"]
    read = parts(VALID)
    assert read["authority"] == ("MOE", "Ministry of Education")
    assert read["province"] == ("50", "Chongqing (重庆市)")
    assert read["country"] == ("RU", "Russia (RU)")
    assert read["year"] == ("2024", "2024")
    assert read["serial"][0] == "1234"


def test_what_the_sources_do_not_define_is_shown_raw_without_a_meaning():
    read = parts(VALID)
    assert read["level"] == ("2", "")
    assert read["closing"] == ("N", "")
    assert "not stated by our sources" in read["education"][1]
    provincial = parts("PDE32GB2A20101085N")
    assert provincial["authority"][0] == "PDE"
    assert "our sources do not list these codes" in provincial["authority"][1]


@pytest.mark.parametrize("pasted", [
    "moe50ru2a20241234n", " MOE 50 RU 2 A 2024 1234 N ", "MOE-50-RU-2A-2024-1234-N", "ＭＯＥ５０ＲＵ２Ａ２０２４１２３４Ｎ",
])
def test_spaces_hyphens_lower_case_and_full_width_characters_are_forgiven(pasted):
    decoded = approval.decode(pasted)
    assert decoded.is_valid
    assert decoded.normalised == VALID


@pytest.mark.parametrize(("number", "message"), [
    ("MOE50XX2A20241234N", "The country code 'XX' is not a country"),
    ("MOE99RU2A20241234N", "The province code '99' is not a GB/T 2260 province-level code"),
    ("MOE5ARU2A20241234N", "The province code '5A' should be two digits"),
    ("M0E50RU2A20241234N", "The approving authority 'M0E' should be three letters"),
    ("MOE50RU2A2O241234N", "The approval year '2O24' should be four digits"),
    ("MOE50RU2A20991234N", "The approval year '2099' cannot be right"),
    ("MOE50RUXA20241234N", "The level digit 'X' should be one digit"),
    ("MOE50RU2A20241234", "has 17 characters; an approval number has 18"),
    ("MOE50RU2A20241234", "The number ends before the closing letter"),
    ("MOE50RU2A20241234NN", "'N' follows the closing letter"),
    ("", "Give an approval number"),
])
def test_a_wrong_part_is_named_with_what_the_pattern_expects(number, message):
    decoded = approval.decode(number)
    assert not decoded.is_valid and decoded.parts == []
    assert any(message in error for error in decoded.errors), decoded.errors
    if number:
        assert "An approval number has 18 characters: three letters (the approving authority)" in decoded.errors[-1]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_decodes_without_raising_and_is_either_valid_or_explained(text):
    decoded = approval.decode(text)
    assert decoded.is_valid == (decoded.errors == [])
    assert decoded.parts if decoded.is_valid else all(isinstance(e, str) and e for e in decoded.errors)


letters = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=1)
digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@settings(max_examples=200, deadline=None)
@given(authority=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
       province=st.sampled_from(sorted(approval.PROVINCES)), country=st.sampled_from(["RU", "DE", "GB", "NZ", "US"]),
       level=digits, education=letters, year=st.integers(1990, date.today().year),
       serial=st.integers(0, 9999), closing=letters)
def test_any_number_built_from_valid_parts_decodes_to_those_parts(authority, province, country, level, education,
                                                                  year, serial, closing):
    number = f"{authority}{province}{country}{level}{education}{year}{serial:04d}{closing}"
    decoded = approval.decode(number)
    assert decoded.is_valid, decoded.errors
    assert "".join(part.value for part in decoded.parts) == number


@pytest.mark.parametrize("name", ["Chongqing", "重庆市", "重庆", "Chongqing Municipality", "chongqing"])
def test_a_region_is_matched_to_its_province_code_by_name(name):
    assert approval.province_code(name) == "50"


def test_other_provinces_and_unknown_names():
    assert approval.province_code("Guangxi Zhuang Autonomous Region") == "45"
    assert approval.province_code("Sichuan Province") == "51"
    assert approval.province_code("Bavaria") is None
    assert approval.province_code("") is None


# On the record: the model's clean(), the admin and the importer ----------------------------------------------

def fefu():
    return Institution.objects.get(abbreviation="FEFU")


def test_the_province_must_match_the_hosts_region():
    program = factories.ProgramFactory.build(host=Institution.objects.get(abbreviation="CQU"),
                                             approval_number="MOE51RU2A20241234N")
    with pytest.raises(ValidationError) as error:
        program.full_clean(exclude=["slug"])
    message = " ".join(error.value.message_dict["approval_number"])
    assert "The province code '51' (Sichuan (四川省))" in message
    assert "does not match the record's region: Chongqing (50)" in message


def test_the_year_must_match_the_approval_dates_year():
    program = factories.ProgramFactory.build(host=Institution.objects.get(abbreviation="CQU"),
                                             approval_number=VALID, approval_date=date(2025, 5, 1),
                                             approval_date_precision=DatePrecision.MONTH)
    with pytest.raises(ValidationError) as error:
        program.full_clean(exclude=["slug"])
    assert ("The approval year '2024' in the approval number does not match the approval date's year, 2025."
            in error.value.message_dict["approval_number"])


def test_a_number_that_agrees_with_its_record_is_accepted():
    program = factories.ProgramFactory.build(host=Institution.objects.get(abbreviation="CQU"),
                                             approval_number=VALID, approval_date=date(2024, 1, 1),
                                             approval_date_precision=DatePrecision.YEAR)
    program.full_clean(exclude=["slug"])


def add_program_in_admin(client, *, number: str, partner: Institution):
    page = client.get(admin_url(Program, "add"))
    data = admin_form_data(page) | {
        "name": "Robotics Engineering", "slug": "robotics-engineering", "level": "bachelor",
        "host": Institution.objects.get(abbreviation="CQU").pk, "sources": [Source.objects.first().pk],
        "publication_state": "draft", "approval_number": number,
        "partner_links-TOTAL_FORMS": "1", "partner_links-0-institution": str(partner.pk),
    }
    return client.post(admin_url(Program, "add"), data)


def test_the_admin_refuses_a_country_code_that_is_no_partners(staff_client):
    response = add_program_in_admin(staff_client, number="MOE50DE2A20241234N", partner=fefu())
    assert response.status_code == 200
    assert ("The country code 'DE' (Germany) in the approval number is not the country of any partner: "
            "Russia (RU).") in page_text(response)
    assert not Program.objects.filter(name="Robotics Engineering").exists()


def test_the_admin_explains_a_number_that_breaks_the_pattern(staff_client):
    response = add_program_in_admin(staff_client, number="MOE50XX2A20241234N", partner=fefu())
    assert "The country code 'XX' is not a country" in page_text(response)
    assert not Program.objects.filter(name="Robotics Engineering").exists()


def test_the_admin_form_says_what_the_number_looks_like_and_staff_can_search_by_it(staff_client):
    assert "e.g. MOE50RU2A20241234N: authority, province code" in page_text(staff_client.get(admin_url(Program, "add")))
    factories.ProgramFactory(name="Marine Robotics", host=Institution.objects.get(abbreviation="CQU"),
                             partners=[fefu()], approval_number=VALID)
    found = staff_client.get(admin_url(Program, "changelist"), {"q": VALID.lower()})
    assert [str(program) for program in found.context["cl"].result_list] == ["Marine Robotics"]


def test_the_admin_saves_a_number_that_agrees(staff_client):
    response = add_program_in_admin(staff_client, number="moe 50ru2a2024-1234n", partner=fefu())
    assert response.status_code == 302
    assert Program.objects.get(name="Robotics Engineering").approval_number == VALID  # as the Ministry writes it


PROGRAM_HEADER = ["name", "level", "host", "partners", "approval_number", "approval_date", "source_title"]


@pytest.mark.parametrize(("number", "approved", "message"), [
    ("MOE50DE2A20251234N", "2025-05", "The country code 'DE' (Germany) in the approval number is not the country "
                                      "of any partner: Russia (RU)."),
    ("MOE50RU2A20241234N", "2025-05", "The approval year '2024' in the approval number does not match the "
                                      "approval date's year, 2025."),
    ("MOE11RU2A20251234N", "2025-05", "The province code '11' (Beijing (北京市)) in the approval number does not "
                                      "match the record's region: Chongqing (50)."),
    ("MOE50RU2A2025123N", "2025-05", "has 17 characters"),
])
def test_an_import_row_is_refused_naming_the_part_that_disagrees(tmp_path, number, approved, message):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [
        ["Robotics", "bachelor", "Chongqing University", "Far Eastern Federal University", number, approved,
         "Provincial approvals 2025"]])
    succeeded, _out, err = run_import(path)
    assert not succeeded
    assert ("programs.csv", "2", "approval_number") in reported(err)
    assert message in err
    assert not Program.objects.filter(name="Robotics").exists()


def test_an_import_row_whose_number_agrees_is_imported(tmp_path):
    path = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [
        ["Robotics", "bachelor", "Chongqing University", "Far Eastern Federal University", "MOE50RU2A20251234N",
         "2025-05", "Provincial approvals 2025"]])
    succeeded, _out, err = run_import(path)
    assert succeeded, err
    assert Program.objects.get(name="Robotics").approval_number == "MOE50RU2A20251234N"


def test_a_joint_institute_row_is_checked_against_its_hosts_and_partners(tmp_path):
    header = ["name", "hosts", "partners", "approval_number", "source_title"]
    path = write_csv(tmp_path / "joint_institutes.csv", header, [
        ["Robotics Institute", "Chongqing University", "Far Eastern Federal University", "MOE11DE2A20251234N",
         "Provincial approvals 2025"]])
    succeeded, _out, err = run_import(path)
    assert not succeeded
    assert "The country code 'DE' (Germany) in the approval number is not the country of any partner" in err
    assert "The province code '11' (Beijing (北京市)) in the approval number does not match" in err


# The public page and the record's page ----------------------------------------------------------------------


def check(client, number: str):
    return client.get(reverse("partnerships:approval_check"), {"number": number})


def test_the_checker_shows_the_parts_and_the_published_record_holding_the_number(client):
    program = factories.ProgramFactory(name="Marine Robotics", host=Institution.objects.get(abbreviation="CQU"),
                                       partners=[fefu()], approval_number=VALID)
    text = page_text(check(client, "moe 50 ru 2a 2024 1234 n"))
    assert f"What {VALID} says" in text
    assert "Province code 50 — Chongqing (重庆市)" in text
    assert "Country code RU — Russia (RU)" in text
    assert "Level digit 2 — what this value means is not stated by our sources" in text
    assert "Marine Robotics — program" in text
    assert program.get_absolute_url() in check(client, VALID).content.decode()


def test_the_checker_finds_a_joint_institute(client):
    institute = JointInstitute.objects.get(slug="cqupt-fefu-joint-institute")
    institute.approval_number = "MOE50RU2A20251234N"
    institute.save()
    response = check(client, "MOE50RU2A20251234N")
    assert institute.get_absolute_url() in response.content.decode()
    assert "— joint institute" in page_text(response)


def test_the_checker_never_shows_a_draft(client):
    factories.ProgramFactory(name="Secret Draft Program", approval_number=VALID,
                             publication_state=PublicationState.DRAFT)
    text = page_text(check(client, VALID))
    assert "Secret Draft Program" not in text
    assert f"The registry holds no published record with the approval number {VALID}." in text


def test_a_number_the_registry_does_not_hold_is_said_plainly_with_what_that_means(client):
    text = page_text(check(client, "MOE50RU2A20259999N"))
    assert "The registry holds no published record with the approval number MOE50RU2A20259999N." in text
    assert "That does not mean the institution or program is unapproved or does not exist" in text
    assert "the registry is incomplete" in text


def test_an_invalid_number_is_explained(client):
    response = check(client, "MOE50XX2A20241234N")
    assert response.status_code == 200
    text = page_text(response)
    assert "This is not a valid approval number" in text
    assert "The country code 'XX' is not a country" in text


@pytest.mark.parametrize("number", ["\u0000", "x" * 5000, "🙂" * 30, "<script>alert(1)</script>"])
def test_hostile_input_is_a_message_not_an_error(client, number):
    response = check(client, number)
    assert response.status_code in (200, 400)
    assert "<script>alert" not in response.content.decode()


def test_the_empty_page_shows_only_the_form(client):
    response = client.get(reverse("partnerships:approval_check"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Check an approval number" in text and "Records in the registry" not in text


def test_the_checker_is_linked_from_the_home_page_and_the_navigation(client):
    url = reverse("partnerships:approval_check")
    home = client.get(reverse("partnerships:home")).content.decode()
    assert home.count(f'href="{url}"') >= 2  # the navigation and the home page's own link
    assert f'href="{url}"' in client.get(reverse("partnerships:program_list")).content.decode()


def test_a_record_page_shows_its_number_decoded(client):
    program = factories.ProgramFactory(host=Institution.objects.get(abbreviation="CQU"), partners=[fefu()],
                                       approval_number=VALID)
    response = client.get(program.get_absolute_url())
    text = page_text(response)
    assert f"Approval or licence number {VALID}" in text
    assert "What the number says" in text
    assert "Approving authority MOE — Ministry of Education" in text
    assert f"{reverse('partnerships:approval_check')}?number={VALID}" in response.content.decode()


def test_the_admin_checks_a_joint_institutes_number_against_its_member_rows(staff_client):
    institute = JointInstitute.objects.get(slug="cqupt-fefu-joint-institute")
    page = staff_client.get(admin_url(JointInstitute, "change", institute.pk))
    data = admin_form_data(page) | {"approval_number": "MOE51DE2A20251234N"}
    response = staff_client.post(admin_url(JointInstitute, "change", institute.pk), data)
    text = page_text(response)
    assert "The country code 'DE' (Germany) in the approval number is not the country of any partner: Russia (RU)." in text
    assert "The province code '51' (Sichuan (四川省)) in the approval number does not match the record's region" in text
    institute.refresh_from_db()
    assert institute.approval_number == ""
