"""The corrected seed facts (partnerships/seeds/) as people see them: on the pages and in the JSON API.

Each test reads what a visitor or an API client gets, not the files or the models.
"""
import html as html_lib
import re
from datetime import date

import pytest
from django.utils.formats import date_format
from django.utils.html import strip_tags

from tests.pages import page_text, result_titles

pytestmark = pytest.mark.django_db

ARTICLE_000 = "/sources/ucas-chongqing-graduate-education/"
ARTICLE_001_URL = "https://www.ichongqing.info/2025/06/01/chongqing-expands-international-education-partnerships"
ARTICLE_002_URL = "https://en.csu.edu.cn/info/1083/2209.htm"
ARTICLE_003 = "/sources/china-russia-educational-partnership-launches-in-chongqing/"
REPORT_TITLE = "New China-Russia Educational Collaboration Opens in Chongqing"
REPORT_URL = "https://www.ichongqing.info/2025/11/06/new-china-russia-educational-collaboration-opens-in-chongqing/amp"
MU_PROFILE_URL = "https://www.hmkw.de/en/university/profile"

CIGIT = "/institutions/cas-chongqing-institute-of-green-and-intelligent-technology/"
UCAS_CHONGQING = "/institutions/ucas-chongqing-school/"
MU = "/institutions/media-university-of-applied-sciences/"
INSTITUTE = "/institutes/cqupt-fefu-joint-institute/"
MASTERS = [
    "cqupt-fefu-information-and-communication-engineering-graduate",
    "cqupt-fefu-computer-science-and-technology-graduate",
    "cqupt-fefu-control-science-and-engineering-graduate",
]
BACHELORS = [
    "cqupt-fefu-computer-science-and-technology-bachelor",
    "cqupt-fefu-digital-media-technology-bachelor",
    "cqupt-fefu-internet-of-things-engineering-bachelor",
]
IOT = "cqupt-fefu-internet-of-things-engineering-bachelor"
MU_FORMER_NAMES = [
    "HMKW Hochschule für Medien, Kommunikation und Wirtschaft",
    "HMKW University of Applied Sciences for Media, Communication and Business",
]
ARTICLE_001_WORDING = "Berlin University of Applied Sciences for Media, Communication, and Economics"


def get_page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


def text_of(client, path) -> str:
    return page_text(get_page(client, path))


def json_of(client, path, params=None) -> dict:
    response = client.get(path, params or {})
    assert response.status_code == 200, path
    return response.json()


def figure_row(response, metric_label: str) -> tuple[str, str]:
    """The (visible text, markup) of the row of the figures table that gives ``metric_label``."""
    rows = re.findall(r'<tr id="figure-\d+">(.*?)</tr>', response.content.decode(), flags=re.S)
    for markup in rows:
        text = re.sub(r"\s+", " ", html_lib.unescape(strip_tags(re.sub(r"</t[hd]>", " ", markup)))).strip()
        if text.startswith(f"{metric_label} "):
            return text, markup
    raise AssertionError(f"no '{metric_label}' figure on the page")


def sources_section(response) -> str:
    """The markup of the page's Sources section."""
    markup = response.content.decode()
    start = markup.index('id="sources-heading"')
    return markup[start:markup.index("</section>", start)]


def source_urls(record: dict) -> set[str]:
    return {source["url"] for source in record["sources"]}


# Correction 1: the discipline counts of article 000 are CIGIT's, and the article is CIGIT's page.

@pytest.mark.parametrize(("metric", "value"), [
    ("Doctoral-level disciplines", "4"),
    ("Master-level disciplines", "5"),
    ("Professional degree categories", "3"),
])
def test_cigit_page_gives_its_discipline_counts_citing_article_000(client, metric, value):
    text, markup = figure_row(get_page(client, CIGIT), metric)
    assert text.startswith(f"{metric} {value} ")
    assert f'href="{ARTICLE_000}"' in markup


def test_cigit_teaches_the_three_professional_degree_categories(client):
    text = text_of(client, CIGIT)
    for discipline in ["Electronic Information 电子信息 cn-grad:0854", "Materials and Chemical Engineering 材料与化工 cn-grad:0856",
                       "Resources and Environment 资源与环境 cn-grad:0857"]:
        assert discipline in text
    assert result_titles(client.get("/institutions/?discipline=cn-grad:0854")) == [
        "Chongqing Institute of Green and Intelligent Technology, Chinese Academy of Sciences"
    ]


def test_ucas_chongqing_school_keeps_only_its_own_figures(client):
    response = get_page(client, UCAS_CHONGQING)
    text = page_text(response)
    assert "more than 684" in text and "about 37.2%" in text and "up to 2023" in text
    for metric in ["Doctoral-level disciplines", "Master-level disciplines", "Professional degree categories"]:
        assert metric not in text
    assert "Disciplines taught" not in text


def test_api_gives_the_discipline_counts_to_cigit_not_the_school(client):
    cigit = json_of(client, "/api/institutions/cas-chongqing-institute-of-green-and-intelligent-technology/")
    by_metric = {figure["metric"]: figure for figure in cigit["figures"]}
    assert {metric: by_metric[metric]["display_value"] for metric in
            ["doctoral_disciplines", "master_disciplines", "professional_degree_categories"]} == {
        "doctoral_disciplines": "4", "master_disciplines": "5", "professional_degree_categories": "3",
    }
    assert by_metric["doctoral_disciplines"]["source"]["seed_file"] == "000_28f07956d7b2c4f0.txt"
    assert {"cn-grad:0854", "cn-grad:0856", "cn-grad:0857"} <= {d["key"] for d in cigit["disciplines"]}
    school = json_of(client, "/api/institutions/ucas-chongqing-school/")
    assert not {"doctoral_disciplines", "master_disciplines", "professional_degree_categories"} & {
        figure["metric"] for figure in school["figures"]
    }
    assert school["disciplines"] == []


def test_article_000_is_published_by_cigit(client):
    text = text_of(client, ARTICLE_000)
    assert text.split("Publisher ", 1)[1].startswith("Chongqing Institute of Green and Intelligent Technology")
    assert "(CIGIT): Doctoral-level disciplines 4" in text


# Corrections 2 and 3: iChongqing's report of 6 November 2025, and the master's programs.

@pytest.mark.parametrize("slug", MASTERS)
def test_cqupt_fefu_graduate_programs_are_three_year_masters_citing_the_report(client, slug):
    response = get_page(client, f"/programs/{slug}/")
    text = page_text(response)
    assert '<span class="tag">Master</span>' in response.content.decode()
    assert "Level not stated" not in text
    assert "Duration 3 years" in text
    assert "Degrees Dual degree" in text
    sources = sources_section(response)
    assert f'href="{REPORT_URL}"' in sources and REPORT_TITLE in sources
    assert f'href="{ARTICLE_003}"' in sources

    program = json_of(client, f"/api/programs/{slug}/")
    assert (program["level"], program["duration_years"], program["degree_model"]) == ("master", "3.0", "dual")
    report = next(source for source in program["sources"] if source["url"] == REPORT_URL)
    assert (report["title"], report["publisher"], report["published_on"]) == (REPORT_TITLE, "iChongqing", "2025-11-06")


@pytest.mark.parametrize("slug", BACHELORS)
def test_cqupt_fefu_undergraduate_programs_last_four_years(client, slug):
    response = get_page(client, f"/programs/{slug}/")
    assert '<span class="tag">Bachelor</span>' in response.content.decode()
    assert "Duration 4 years" in page_text(response)
    assert f'href="{REPORT_URL}"' in sources_section(response)
    program = json_of(client, f"/api/programs/{slug}/")
    assert (program["level"], program["duration_years"], program["degree_model"]) == ("bachelor", "4.0", "dual")


def test_master_filter_finds_the_three_programs_and_graduate_none(client):
    titles = result_titles(client.get("/programs/", {"level": "master", "country": "RU"}))
    assert sorted(titles) == [
        "Computer Science and Technology",
        "Control Science and Engineering",
        "Information and Communication Engineering",
    ]
    assert json_of(client, "/api/programs/", {"level": "master"})["count"] == 3
    assert json_of(client, "/api/programs/", {"level": "graduate"})["count"] == 0


def test_iot_program_first_100_students_admitted_in_2025_citing_the_report(client):
    response = get_page(client, f"/programs/{IOT}/")
    text, markup = figure_row(response, "Students admitted")
    assert text.startswith("Students admitted 100 2025 ")
    assert f'href="{REPORT_URL}"' in markup
    assert "Enrollment years from 2025" in page_text(response)

    figures = json_of(client, "/api/figures/", {"metric": "students_admitted", "year": 2025})["results"]
    assert [(f["subject"]["slug"], f["display_value"], f["source"]["url"]) for f in figures] == [
        (IOT, "100", REPORT_URL)
    ]


def test_institute_launched_4_november_2025_citing_the_report_and_both_articles(client):
    response = get_page(client, INSTITUTE)
    text = page_text(response)
    assert "Launched 4 November 2025" in text  # at day precision, as the report states it
    assert "inferred" not in text  # the report dates the launch; the year is no longer only inferred
    assert "Degrees Dual degree" in text
    sources = sources_section(response)
    for link in [REPORT_URL, ARTICLE_001_URL, ARTICLE_003]:
        assert f'href="{link}"' in sources

    institute = json_of(client, "/api/institutes/cqupt-fefu-joint-institute/")
    assert (institute["launched_on"], institute["launched_on_precision"]) == ("2025-11-04", "day")
    assert {REPORT_URL, ARTICLE_001_URL} <= source_urls(institute)
    assert "003_02e2c5d903585359.txt" in {source["seed_file"] for source in institute["sources"]}


def test_report_source_page_lists_what_it_supports(client):
    text = text_of(client, "/sources/new-china-russia-educational-collaboration-opens-in-chongqing/")
    assert "Publisher iChongqing" in text
    assert f"Published {date_format(date(2025, 11, 6), 'DATE_FORMAT')}" in text
    assert f"Address {REPORT_URL}" in text
    assert "Records citing this source Joint institutes Chongqing University of Posts and Telecommunications – Far " \
           "Eastern Federal University Joint Institute" in text
    assert "Internet of Things Engineering: Students admitted 100 (2025)" in text


# Correction 4: the German partner under its current name.

def test_media_university_page_shows_current_name_city_and_former_names(client):
    response = get_page(client, MU)
    text = page_text(response)
    assert "<h1>Media University of Applied Sciences" in response.content.decode()
    assert "Media University of Applied Sciences MU" in text
    assert "University of applied sciences" in text
    assert "Country Germany" in text and "City Berlin" in text
    former = re.search(r"Former names (.*?) Also known as (.*?) Last updated", text)
    assert former, text
    assert all(name in former[1] for name in MU_FORMER_NAMES) and ARTICLE_001_WORDING not in former[1]
    assert f"{ARTICLE_001_WORDING} — as in Chongqing Expands International Education Partnerships" in former[2]
    assert "Communication and Management" not in text
    sources = sources_section(response)
    assert f'href="{MU_PROFILE_URL}"' in sources and f'href="{ARTICLE_001_URL}"' in sources


def test_media_university_in_the_api(client):
    mu = json_of(client, "/api/institutions/media-university-of-applied-sciences/")
    assert (mu["name"], mu["abbreviation"], mu["kind"], mu["country"], mu["city"]) == (
        "Media University of Applied Sciences", "MU", "applied_sciences", "DE", "Berlin",
    )
    assert {*MU_FORMER_NAMES, ARTICLE_001_WORDING} <= set(mu["aliases"])
    assert {MU_PROFILE_URL, ARTICLE_001_URL} <= source_urls(mu)


@pytest.mark.parametrize("query", ["HMKW", ARTICLE_001_WORDING, "Media University"])
def test_media_university_found_by_its_names(client, query):
    assert result_titles(client.get("/institutions/", {"q": query})) == ["Media University of Applied Sciences"]


def test_no_record_uses_the_name_it_never_had(client):
    assert result_titles(client.get("/institutions/", {"q": "Communication and Management"})) == []
    assert json_of(client, "/api/institutions/", {"q": "Communication and Management"})["count"] == 0


def test_digital_media_arts_partner_is_media_university(client):
    text = text_of(client, "/programs/cqcmc-hmkw-digital-media-arts/")
    assert "Foreign partners Media University of Applied Sciences MU Germany" in text


# Correction 5: the public addresses of articles 001 and 002.

@pytest.mark.parametrize(("path", "url"), [
    ("/sources/chongqing-expands-international-education-partnerships/", ARTICLE_001_URL),
    ("/sources/csu-promotes-interschool-cooperation/", ARTICLE_002_URL),
])
def test_source_pages_link_the_articles_addresses(client, path, url):
    response = get_page(client, path)
    assert f"Address {url}" in page_text(response)
    assert f'href="{url}"' in response.content.decode()


def test_records_link_article_002_directly(client):
    response = get_page(client, "/agreements/csu-kyushu-mou-2019/")
    assert f'href="{ARTICLE_002_URL}"' in response.content.decode()


# Correction 6: the institutions' cities.

@pytest.mark.parametrize(("slug", "city"), [
    ("central-south-university", "Changsha"),
    ("pohang-university-of-science-and-technology", "Pohang"),
    ("kyushu-university", "Fukuoka"),
    ("kyoto-university", "Kyoto"),
    ("far-eastern-federal-university", "Vladivostok"),
    ("novosibirsk-state-university", "Novosibirsk"),
    ("ulyanovsk-state-technical-university", "Ulyanovsk"),
    ("tchaikovsky-moscow-state-conservatory", "Moscow"),
    ("university-of-otago", "Dunedin"),
    ("university-of-chinese-academy-of-sciences", "Beijing"),
    ("ucas-chongqing-school", "Chongqing"),
    ("cas-chongqing-institute-of-green-and-intelligent-technology", "Chongqing"),
    ("chongqing-university-of-posts-and-telecommunications", "Chongqing"),
    ("chongqing-university", "Chongqing"),
    ("chongqing-normal-university", "Chongqing"),
    ("southwest-university", "Chongqing"),
    ("chongqing-college-of-mobile-communication", "Chongqing"),
    ("chongqing-intelligent-engineering-vocational-college", "Chongqing"),
    ("media-university-of-applied-sciences", "Berlin"),
])
def test_institution_city(client, slug, city):
    response = get_page(client, f"/institutions/{slug}/")
    assert f"City {city}" in page_text(response)
    assert sources_section(response)  # a city needs no source of its own; the record keeps its sources


def test_institutions_listed_by_city(client):
    assert result_titles(client.get("/institutions/", {"city": "Changsha"})) == ["Central South University"]
    assert result_titles(client.get("/institutions/", {"city": "Vladivostok"})) == ["Far Eastern Federal University"]


# Correction 7: the articles' wordings and Chinese names stay searchable aliases.

@pytest.mark.parametrize(("query", "institution"), [
    ("Chongqing University of Science and Technology of China",
     "University of Chinese Academy of Sciences, Chongqing School"),
    ("National University of Science and Technology of China",
     "University of Chinese Academy of Sciences, Chongqing School"),
    ("Chinese Academy of Sciences Chongqing Green and Intelligent Technology Research Institute",
     "Chongqing Institute of Green and Intelligent Technology, Chinese Academy of Sciences"),
    ("Moscow State Tchaikovsky Conservatory", "Tchaikovsky Moscow State Conservatory"),
    ("远东联邦大学", "Far Eastern Federal University"),
    ("新西伯利亚国立大学", "Novosibirsk State University"),
    ("莫斯科国立柴可夫斯基音乐学院", "Tchaikovsky Moscow State Conservatory"),
    ("奥塔哥大学", "University of Otago"),
])
def test_article_wordings_and_chinese_names_find_the_institution(client, query, institution):
    assert result_titles(client.get("/institutions/", {"q": query})) == [institution]
    slug = json_of(client, "/api/institutions/", {"q": query})["results"][0]["slug"]
    assert query in json_of(client, f"/api/institutions/{slug}/")["aliases"]
