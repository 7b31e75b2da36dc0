"""The Chinese interface: every message translated, the switcher, the first visit's redirect,
dates, numbers and names in both languages."""
import ast
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils import translation

from core.templatetags.registry import precise_date
from tests.pages import page_text

ROOT = Path(settings.BASE_DIR)
PO_FILE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def po_entries() -> dict[tuple[str | None, str], tuple[str, bool]]:
    """(msgctxt, msgid) → (msgstr, fuzzy) from the committed .po file."""
    entries = {}
    for block in PO_FILE.read_text(encoding="utf-8").split("\n\n"):
        fields, current, fuzzy = {}, None, False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?) (".*")$', line):
                current = match.group(1).replace("[0]", "")
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            entries[(fields.get("msgctxt"), fields["msgid"])] = (fields.get("msgstr", ""), fuzzy)
    return entries


# {% translate "…" %} / {% trans '…' %}, with an optional context "…".
TRANSLATE = re.compile(r"""^(?:translate|trans)\s+(?P<q>["'])(?P<id>.*?)(?P=q)(?:\s+context\s+(?P<cq>["'])(?P<ctx>.*?)(?P=cq))?""")
# _("…") inside a filter argument: {{ x|default:_("not stated") }}
UNDERSCORE = re.compile(r"""_\((["'])(.*?)\1\)""")


def template_messages() -> set[tuple[str | None, str]]:
    """Every msgid the templates mark, read with Django's own template lexer."""
    messages = set()
    for path in (ROOT / "templates").rglob("*.html"):
        tokens = Lexer(path.read_text(encoding="utf-8")).tokenize()
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.token_type in (TokenType.BLOCK, TokenType.VAR):
                for _quote, text in UNDERSCORE.findall(token.contents):
                    messages.add((None, text))
            if token.token_type == TokenType.BLOCK:
                if match := TRANSLATE.match(token.contents):
                    messages.add((match.group("ctx"), match.group("id")))
                elif token.contents.startswith(("blocktranslate", "blocktrans")):
                    singular, plural, target = [], [], None
                    target = singular
                    index += 1
                    while not tokens[index].contents.startswith(("endblocktranslate", "endblocktrans")):
                        part = tokens[index]
                        if part.token_type == TokenType.BLOCK and part.contents == "plural":
                            target = plural
                        elif part.token_type == TokenType.VAR:
                            target.append(f"%({part.contents.split('|')[0].strip()})s")
                        else:
                            target.append(part.contents.replace("%", "%%"))
                        index += 1
                    text = "".join(singular)
                    if "trimmed" in token.contents.split():
                        text = " ".join(line.strip() for line in text.splitlines()).strip()
                    context = re.search(r"""context\s+(["'])(.*?)\1""", token.contents)
                    messages.add((context.group(2) if context else None, text))
            index += 1
    return messages


def test_every_template_message_has_a_chinese_translation():
    entries = po_entries()
    untranslated = sorted(
        f"{msgid!r}" for context, msgid in template_messages()
        if not entries.get((context, msgid), ("", False))[0] or entries[(context, msgid)][1]
    )
    assert not untranslated, "Not translated in locale/zh_Hans (run makemessages, then translate):\n" + "\n".join(untranslated)


def test_every_python_message_has_a_chinese_translation():
    """gettext calls in the apps' Python code: a literal first argument must be in the .po, translated."""
    call = re.compile(r"""\b(?:_|gettext|gettext_lazy|ngettext|ngettext_lazy)\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)[,)]""")
    entries = po_entries()
    missing = []
    for app in ("api", "catalog", "config", "core", "partnerships"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for match in call.finditer(path.read_text(encoding="utf-8")):
                msgid = ast.literal_eval("(" + match.group(1) + ")")
                translated, fuzzy = entries.get((None, msgid), ("", False))
                if not translated or fuzzy:
                    missing.append(f"{path.relative_to(ROOT)}: {msgid!r}")
    assert not missing, "\n".join(missing)


def test_the_po_file_has_no_fuzzy_entries_and_one_plural_form():
    text = PO_FILE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    assert "Plural-Forms: nplurals=1; plural=0;" in text
    assert "msgstr[1]" not in text


# Pages ------------------------------------------------------------------------------------------

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.8"}


@pytest.mark.django_db
@pytest.mark.parametrize("path, heading", [
    ("/zh-hans/", "中外合作办学，有据可查，一搜即得"),
    ("/zh-hans/programs/", "中外合作办学项目"),
    ("/zh-hans/institutes/", "中外合作办学机构"),
    ("/zh-hans/institutions/", "院校"),
    ("/zh-hans/agreements/", "合作协议"),
    ("/zh-hans/data/", "开放数据"),
])
def test_chinese_pages_read_in_chinese(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert f"<h1>{heading}</h1>" in html
    text = page_text(response)
    for english in ["Skip to main content", "Open data", "Programs", "Search", "Filter", "Download CSV",
                    "Every record cites", "Staff sign-in", "not stated", "results"]:
        assert english not in text, f"{english!r} untranslated on {path}"


@pytest.mark.django_db
def test_chinese_admin_reads_in_chinese(staff_client):
    response = staff_client.get("/zh-hans/admin/")
    text = page_text(response)
    assert "中外合作办学登记库管理" in text and "维护登记库记录的准确性" in text
    assert "中外合作办学项目" in text  # the partnerships app's models


@pytest.mark.django_db
def test_switcher_links_to_the_same_page_in_the_other_language(client):
    html = client.get("/programs/?country=RU").content.decode()
    assert 'href="/language/zh-hans/?next=%2Fzh-hans%2Fprograms%2F%3Fcountry%3DRU"' in html
    html = client.get("/zh-hans/programs/?country=RU").content.decode()
    assert 'href="/language/en/?next=%2Fprograms%2F%3Fcountry%3DRU"' in html
    assert ">English</a>" in html


@pytest.mark.django_db
def test_admin_has_the_switcher(staff_client):
    html = staff_client.get("/admin/").content.decode()
    assert 'href="/language/zh-hans/?next=%2Fzh-hans%2Fadmin%2F"' in html
    assert "style=" not in html.split('class="language-switcher"')[1].split("</nav>")[0]


@pytest.mark.django_db
def test_choosing_a_language_sets_the_cookie_and_goes_to_the_page(client):
    response = client.get("/language/zh-hans/", {"next": "/programs/?country=RU"})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/programs/?country=RU"
    assert response.cookies["django_language"].value == "zh-hans"
    response = client.get("/language/en/", {"next": "/zh-hans/programs/"})
    assert response["Location"] == "/programs/"
    assert response.cookies["django_language"].value == "en"


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_choosing_a_language_never_leaves_the_site(client, next_url):
    response = client.get("/language/zh-hans/", {"next": next_url})
    assert response["Location"] == "/zh-hans/"


@pytest.mark.django_db
def test_first_visit_from_a_chinese_browser_goes_to_the_chinese_page(client):
    response = client.get("/programs/", {"country": "RU"}, **ZH)
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/programs/?country=RU"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    assert client.get("/zh-hans/programs/", **ZH).status_code == 200  # once: the Chinese page stays


@pytest.mark.django_db
def test_a_chosen_language_wins_over_the_browser(client):
    client.cookies["django_language"] = "en"
    response = client.get("/programs/", **ZH)
    assert response.status_code == 200
    assert "Cookie" in response["Vary"]
    client.cookies["django_language"] = "zh-hans"
    assert client.get("/programs/")["Location"] == "/zh-hans/programs/"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/programs/", "/data/programs.csv", "/programs/export.csv", "/healthz"])
def test_files_and_the_api_are_never_redirected(client, path):
    assert client.get(path, **ZH).status_code == 200


@pytest.mark.django_db
def test_english_browsers_and_posts_are_not_redirected(client):
    assert client.get("/programs/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").status_code == 200
    assert client.get("/programs/").status_code == 200


# Dates, numbers, plurals, names ----------------------------------------------------------------

@pytest.mark.parametrize("language, expected", [
    ("en", ["2025", "May 2025", "14 May 2025"]),
    ("zh-hans", ["2025年", "2025年5月", "2025年5月14日"]),
])
def test_dates_read_at_their_precision_in_both_languages(language, expected):
    day = date(2025, 5, 14)
    with translation.override(language):
        assert [precise_date(day, precision) for precision in ("year", "month", "day")] == expected


@pytest.mark.django_db
def test_numbers_and_dates_on_the_institute_page(client):
    english = page_text(client.get("/institutes/cqupt-fefu-joint-institute/"))
    chinese = page_text(client.get("/zh-hans/institutes/cqupt-fefu-joint-institute/"))
    assert "Enrollment target 1,650" in english
    assert "招生计划 1,650" in chinese
    assert "2025年11月4日" in chinese  # launched on, at day precision
    assert "4 November 2025" in english


@pytest.mark.django_db
def test_plurals_in_chinese(client):
    text = page_text(client.get("/zh-hans/programs/"))
    assert re.search(r"\d+ 条结果", text)
    assert "results" not in text


@pytest.mark.django_db
def test_names_are_chinese_first_in_chinese_and_english_first_in_english(client):
    chinese = client.get("/zh-hans/programs/cqupt-fefu-internet-of-things-engineering-bachelor/").content.decode()
    english = client.get("/programs/cqupt-fefu-internet-of-things-engineering-bachelor/").content.decode()
    # A foreign partner's Chinese alias, and a Chinese host's own name.
    assert re.search(r'>远东联邦大学</a> <span class="name-other" lang="en">Far Eastern Federal University', chinese)
    assert re.search(r'>Far Eastern Federal University</a> <span class="name-other" lang="zh-Hans">远东联邦大学', english)
    assert ">重庆邮电大学</a>" in chinese
    listing = client.get("/zh-hans/institutions/").content.decode()
    assert re.search(r'<h3 class="record__title"><a [^>]*>重庆邮电大学</a> <span class="name-other" lang="en">', listing)


@pytest.mark.django_db
def test_facets_and_region_names_are_chinese_in_chinese(client):
    text = page_text(client.get("/zh-hans/institutes/"))
    assert "物联网工程 cn-ug:080905" in text  # the catalogue's official Chinese name
    assert "名称（倒序）" in text  # the sort options
    assert "登记库对重庆的收录有多完整？" in page_text(client.get("/zh-hans/"))
    assert "Internet of Things Engineering cn-ug:080905" in page_text(client.get("/institutes/"))


@pytest.mark.django_db
def test_api_docs_in_chinese(client):
    assert 'href="/api/docs/?lang=zh-hans"' in client.get("/zh-hans/").content.decode()
    schema = client.get("/api/schema/", {"lang": "zh-hans", "format": "json"}).json()
    assert schema["info"]["title"] == "中外合作办学登记库 API"
    assert "中外合作办学项目" in schema["paths"]["/api/programs/"]["get"]["summary"]
    assert client.get("/api/schema/", {"format": "json"}).json()["info"]["title"] == "Joint Education Registry API"


@pytest.mark.django_db
def test_bad_request_page_speaks_the_address_language(client):
    response = client.get("/zh-hans/programs/", {"country": ["RU"] * 60})
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
    assert "Bad request" in client.get("/programs/", {"country": ["RU"] * 60}).content.decode()


@pytest.mark.django_db
def test_the_404_page_is_translated_and_switches_language(client):
    response = client.get("/zh-hans/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "登记库中没有此页面" in html
    assert 'href="/language/en/?next=%2Fno-such-page%2F"' in html
