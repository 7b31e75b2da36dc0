"""The read-only JSON API: filters mirror the listing pages, on the facts of the four source articles."""
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Discipline
from core.choices import PublicationState
from partnerships.models import Figure, JointInstitute, Program
from tests.factories import (
    AgreementFactory,
    FigureFactory,
    ForeignInstitutionFactory,
    InstitutionFactory,
    JointInstituteFactory,
    ProgramFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationState.DRAFT
CQUPT_FEFU_PROGRAMS = {
    "cqupt-fefu-computer-science-and-technology-bachelor",
    "cqupt-fefu-digital-media-technology-bachelor",
    "cqupt-fefu-internet-of-things-engineering-bachelor",
    "cqupt-fefu-information-and-communication-engineering-graduate",
    "cqupt-fefu-computer-science-and-technology-graduate",
    "cqupt-fefu-control-science-and-engineering-graduate",
}
CQUPT_FEFU_INSTITUTE = "cqupt-fefu-joint-institute"


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The anonymous rate limit counts in the cache; every test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


def get_json(client, path, params=None, status=200):
    response = client.get(path, params or {})
    assert response.status_code == status, response.content
    return response.json()


def slugs(client, path, params=None):
    """Slugs of every result, following the pages."""
    found, params = [], {**(params or {}), "page_size": 100}
    data = get_json(client, path, params)
    found += [item["slug"] for item in data["results"]]
    while data["next"]:
        data = get_json(client, data["next"])
        found += [item["slug"] for item in data["results"]]
    return found


# Filters, as on the listing pages


def test_programs_by_partner_country_ru(client):
    found = set(slugs(client, "/api/programs/", {"country": "RU"}))
    assert CQUPT_FEFU_PROGRAMS <= found
    assert "cqu-nsu-physics" in found
    assert "swu-otago-pharmacy" not in found


def test_programs_by_partner_country_is_case_insensitive(client):
    assert slugs(client, "/api/programs/", {"country": "nz"}) == ["swu-otago-pharmacy"]


def test_programs_by_several_countries(client):
    found = set(slugs(client, "/api/programs/", {"country": ["nz", "DE"]}))
    assert found == {"swu-otago-pharmacy", "cqcmc-hmkw-digital-media-arts"}


def test_institutions_by_own_country(client):
    assert set(slugs(client, "/api/institutions/", {"country": "JP"})) == {"kyushu-university", "kyoto-university"}


@pytest.mark.parametrize("text", ["FEFU", "远东", "Far Eastern"])
def test_institutes_text_search(client, text):
    assert CQUPT_FEFU_INSTITUTE in slugs(client, "/api/institutes/", {"q": text})


def test_discipline_prefix_finds_descendants(client):
    data = get_json(client, "/api/programs/", {"discipline": "cn-grad:08", "page_size": 100})
    keys = {discipline["key"] for program in data["results"] for discipline in program["disciplines"]}
    assert keys == {"cn-grad:0810", "cn-grad:0811", "cn-grad:0812"}
    assert data["count"] == 3


def test_discipline_exact_code(client):
    assert slugs(client, "/api/programs/", {"discipline": "cn-grad:0812"}) == [
        "cqupt-fefu-computer-science-and-technology-graduate"
    ]


def test_institutes_by_discipline_and_level(client):
    assert slugs(client, "/api/institutes/", {"discipline": "cn-ug:080905"}) == [CQUPT_FEFU_INSTITUTE]
    assert slugs(client, "/api/institutes/", {"level": "vocational"}) == []


def test_programs_by_level_city_and_status(client):
    assert slugs(client, "/api/programs/", {"level": "vocational"}) == ["cqievc-ulstu-iot-application-technology"]
    enrolling = slugs(client, "/api/programs/", {"status": "enrolling", "city": "chongqing"})
    assert enrolling == ["cqupt-fefu-internet-of-things-engineering-bachelor"]


def test_agreements_by_partner_country(client):
    assert slugs(client, "/api/agreements/", {"country": "kr"}) == ["csu-postech-mou-2019"]


def test_sort_and_pagination(client):
    data = get_json(client, "/api/institutions/", {"sort": "-name", "page_size": 2})
    names = [item["name"] for item in data["results"]]
    assert names == sorted(names, reverse=True) and len(names) == 2
    assert data["count"] > 2 and "page=2" in data["next"]


def test_figures_filtered_by_metric_and_year(client):
    data = get_json(client, "/api/figures/", {"metric": "students_admitted", "year": 2025})
    assert data["count"] == 1
    figure = data["results"][0]
    assert figure["subject"]["type"] == "program"
    assert figure["subject"]["slug"] == "cqupt-fefu-internet-of-things-engineering-bachelor"
    assert figure["display_value"] == "100"
    source = figure["source"]  # iChongqing's report of 6 November 2025, which gives the year
    assert (source["title"], source["publisher"], source["published_on"], source["url"]) == (
        "New China-Russia Educational Collaboration Opens in Chongqing", "iChongqing", "2025-11-06",
        "https://www.ichongqing.info/2025/11/06/new-china-russia-educational-collaboration-opens-in-chongqing/amp",
    )


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/api/programs/", {"country": "XX"}, "Unknown country code: XX"),
        ("/api/institutions/", {"country": "russia"}, "Unknown country code: RUSSIA"),
        ("/api/programs/", {"discipline": "computing"}, "is not a discipline"),
        ("/api/programs/", {"discipline": "cn-grad:9999"}, "No discipline cn-grad:9999"),
        ("/api/programs/", {"level": "phd"}, "phd is not one of the available choices"),
        ("/api/institutes/", {"sort": "dean"}, "dean is not one of the available choices"),
        ("/api/figures/", {"year": "soon"}, "Enter a number"),
        ("/api/programs/", {"city": "Chong\x00qing"}, "Null characters are not allowed"),
        ("/api/institutions/", {"city": ["Chongqing", "\x00"]}, "Null characters are not allowed"),
    ],
)
def test_invalid_parameters_give_400_with_a_message(client, path, params, message):
    errors = get_json(client, path, params, status=400)
    assert message in " ".join(" ".join(messages) for messages in errors.values())


def test_page_out_of_range_is_404_not_500(client):
    assert get_json(client, "/api/programs/", {"page": 9999}, status=404)["detail"]
    assert get_json(client, "/api/programs/", {"page": "abc"}, status=404)["detail"]


# Published records only


def test_drafts_are_hidden_from_lists_and_details(client):
    russian = ForeignInstitutionFactory(country="RU")
    draft_program = ProgramFactory(publication_state=DRAFT, partners=[russian])
    draft_institute = JointInstituteFactory(publication_state=DRAFT, name="Draft Far Eastern Institute")
    draft_institution = InstitutionFactory(publication_state=DRAFT, country="JP")
    draft_agreement = AgreementFactory(publication_state=DRAFT, parties=[InstitutionFactory(), russian])
    hidden_figures = [
        FigureFactory(publication_state=DRAFT),
        FigureFactory(institution=None, program=draft_program),  # published, but about a draft
    ]

    assert draft_program.slug not in slugs(client, "/api/programs/", {"country": "RU"})
    assert draft_institute.slug not in slugs(client, "/api/institutes/", {"q": "Far Eastern"})
    assert draft_institution.slug not in slugs(client, "/api/institutions/", {"country": "JP"})
    assert draft_agreement.slug not in slugs(client, "/api/agreements/")
    figure_ids = {item["id"] for item in get_json(client, "/api/figures/", {"page_size": 100})["results"]}
    assert figure_ids.isdisjoint(figure.pk for figure in hidden_figures)

    for path in [
        f"/api/programs/{draft_program.slug}/",
        f"/api/institutes/{draft_institute.slug}/",
        f"/api/institutions/{draft_institution.slug}/",
        f"/api/agreements/{draft_agreement.slug}/",
        *(f"/api/figures/{figure.pk}/" for figure in hidden_figures),
    ]:
        assert client.get(path).status_code == 404, path


def test_nested_drafts_are_hidden_on_details(client):
    institute = JointInstitute.objects.get(slug=CQUPT_FEFU_INSTITUTE)
    ProgramFactory(joint_institute=institute, publication_state=DRAFT, name="Draft programme")
    FigureFactory(institution=None, joint_institute=institute, publication_state=DRAFT)

    data = get_json(client, f"/api/institutes/{CQUPT_FEFU_INSTITUTE}/")
    assert {program["slug"] for program in data["programs"]} == CQUPT_FEFU_PROGRAMS
    assert [figure["metric"] for figure in data["figures"]] == ["enrollment_target"]


# Details by slug, with nested records and links


def test_program_detail(client):
    slug = "cqupt-fefu-internet-of-things-engineering-bachelor"
    data = get_json(client, f"/api/programs/{slug}/")
    assert data["url"] == f"http://testserver/api/programs/{slug}/"
    assert data["page_url"] == f"http://testserver{Program.objects.get(slug=slug).get_absolute_url()}"
    assert data["host"]["abbreviation"] == "CQUPT"
    host_slug = "chongqing-university-of-posts-and-telecommunications"
    assert data["host"]["url"] == f"http://testserver/api/institutions/{host_slug}/"
    [partner] = data["partners"]
    assert (partner["slug"], partner["country"], partner["country_name"]) == (
        "far-eastern-federal-university", "RU", "Russia",
    )
    assert partner["page_url"].endswith("/institutions/far-eastern-federal-university/")
    assert data["disciplines"] == [
        {"key": "cn-ug:080905", "catalogue": "cn-ug", "code": "080905",
         "name": Discipline.objects.get(catalogue="cn-ug", code="080905").name,
         "native_name": Discipline.objects.get(catalogue="cn-ug", code="080905").native_name,
         "is_stem": Discipline.objects.get(catalogue="cn-ug", code="080905").is_stem}
    ]
    assert data["joint_institute"]["slug"] == CQUPT_FEFU_INSTITUTE
    assert data["approval_status"] == "enrolling" and data["enrollment_start_year"] == 2025
    assert [source["title"] for source in data["sources"]] == [
        "China-Russia Educational Partnership Launches in Chongqing",
        "New China-Russia Educational Collaboration Opens in Chongqing",
    ]
    for source in data["sources"]:
        assert set(source) == {"title", "publisher", "published_on", "url", "seed_file", "page_url"}
    [figure] = data["figures"]
    assert (figure["metric"], figure["display_value"], figure["period_label"]) == ("students_admitted", "100", "2025")
    assert figure["url"] == f"http://testserver/api/figures/{figure['id']}/"


def test_institute_detail(client):
    data = get_json(client, f"/api/institutes/{CQUPT_FEFU_INSTITUTE}/")
    assert [host["abbreviation"] for host in data["hosts"]] == ["CQUPT"]
    assert [partner["country"] for partner in data["partners"]] == ["RU"]
    assert data["enrollment_target"] == 1650 and data["dean"] == "Wang Yang"
    assert data["launched_on"] == "2025-11-04" and data["approval_date_precision"] == "month"
    assert [source["title"] for source in data["sources"]] == [
        "China-Russia Educational Partnership Launches in Chongqing",
        "Chongqing Expands International Education Partnerships",
        "New China-Russia Educational Collaboration Opens in Chongqing",
    ]


def test_institution_detail(client):
    data = get_json(client, "/api/institutions/ucas-chongqing-school/")
    assert data["parent"]["slug"] == "university-of-chinese-academy-of-sciences"
    assert "Chongqing University of Science and Technology of China" in data["aliases"]
    assert data["disciplines"] == []  # the categories taught are CIGIT's (below)
    by_metric = {figure["metric"]: figure for figure in data["figures"]}
    assert set(by_metric) == {"degrees_awarded", "graduate_students", "doctoral_share"}
    assert by_metric["degrees_awarded"]["period_label"] == "up to 2023"
    assert by_metric["doctoral_share"]["display_value"] == "about 37.2%"
    assert by_metric["doctoral_share"]["value"] == "37.20"

    cigit = get_json(client, "/api/institutions/cas-chongqing-institute-of-green-and-intelligent-technology/")
    assert [discipline["key"] for discipline in cigit["disciplines"]] == [
        "cn-grad:0854", "cn-grad:0856", "cn-grad:0857",
    ]
    assert {figure["metric"]: figure["display_value"] for figure in cigit["figures"]} == {
        "doctoral_disciplines": "4", "master_disciplines": "5", "professional_degree_categories": "3",
    }


def test_agreement_detail(client):
    data = get_json(client, "/api/agreements/csu-kyushu-mou-2019/")
    assert {party["country"] for party in data["parties"]} == {"CN", "JP"}
    assert [activity["slug"] for activity in data["activities"]] == ["csu-delegation-korea-japan-2019"]


def test_figure_detail_by_id(client):
    figure = Figure.objects.get(metric="enrollment_target", joint_institute__slug=CQUPT_FEFU_INSTITUTE)
    data = get_json(client, f"/api/figures/{figure.pk}/")
    assert data["subject"] == {
        "type": "joint_institute", "name": figure.joint_institute.name, "slug": CQUPT_FEFU_INSTITUTE,
        "page_url": f"http://testserver{figure.joint_institute.get_absolute_url()}",
    }
    assert data["page_url"].endswith(f"#figure-{figure.pk}")


@pytest.mark.parametrize(
    "path",
    ["/api/programs/no-such-program/", "/api/figures/999999999/", "/api/figures/abc/", "/api/programs/a.b/",
     "/api/figures/%0A1/", "/api/no-such-endpoint/"],
)
def test_unknown_paths_are_json_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json" and response.json()["detail"]


# The API never writes


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path",
    ["/api/programs/", "/api/programs/cqu-nsu-physics/", "/api/institutes/", "/api/institutions/kyoto-university/",
     "/api/agreements/", "/api/figures/"],
)
def test_writes_are_not_allowed(client, method, path):
    count = Program.objects.count()
    response = getattr(client, method)(path, data={"name": "x"}, content_type="application/json")
    assert response.status_code == 405
    assert "GET" in response["Allow"] and "POST" not in response["Allow"]
    assert Program.objects.count() == count


# Constant number of queries on lists


def add_records(count):
    source = SourceFactory()
    discipline = Discipline.objects.get(catalogue="cn-grad", code="0812")
    for _ in range(count):
        partner = ForeignInstitutionFactory()
        program = ProgramFactory(partners=[partner], disciplines=[discipline])
        program.sources.add(source)
        institute = JointInstituteFactory(partners=[partner])
        institute.sources.add(source)
        ProgramFactory(joint_institute=institute)
        partner.sources.add(source)
        AgreementFactory(parties=[InstitutionFactory(), partner]).sources.add(source)
        FigureFactory(institution=partner, source=source)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        get_json(client, path, {"page_size": 100})
    return len(queries)


@pytest.mark.parametrize(
    "path",
    ["/api/programs/", "/api/institutes/", "/api/institutions/", "/api/agreements/", "/api/figures/"],
)
def test_lists_make_a_constant_number_of_queries(client, django_assert_max_num_queries, path):
    before = count_queries(client, path)
    add_records(5)
    assert count_queries(client, path) == before
    with django_assert_max_num_queries(8):
        get_json(client, path, {"page_size": 100, "country": "RU"} if "figures" not in path else {"page_size": 100})


@pytest.mark.parametrize(
    "path",
    [
        f"/api/programs/{sorted(CQUPT_FEFU_PROGRAMS)[0]}/",
        f"/api/institutes/{CQUPT_FEFU_INSTITUTE}/",
        "/api/institutions/ucas-chongqing-school/",
        "/api/agreements/csu-kyushu-mou-2019/",
    ],
)
def test_details_make_few_queries(client, django_assert_max_num_queries, path):
    with django_assert_max_num_queries(8):
        get_json(client, path)


# Throttling


def test_anonymous_requests_are_throttled(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    for _ in range(3):
        assert client.get("/api/programs/").status_code == 200
    response = client.get("/api/institutions/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "throttled" in response.json()["detail"]


# Index, schema and documentation


def test_api_root_lists_the_endpoints(client):
    data = get_json(client, "/api/")
    assert set(data) == {"programs", "institutes", "institutions", "agreements", "figures"}


def test_schema_documents_the_filters(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    parameters = {parameter["name"]: parameter for parameter in schema["paths"]["/api/programs/"]["get"]["parameters"]}
    assert {"country", "discipline", "level", "status", "city", "q", "sort", "page"} <= set(parameters)
    assert parameters["country"]["schema"]["type"] == "array"
    assert parameters["discipline"]["schema"]["items"]["pattern"]
    institution_parameters = schema["paths"]["/api/institutions/"]["get"]["parameters"]
    assert {"kind", "country"} <= {parameter["name"] for parameter in institution_parameters}
    for path in ["/api/programs/", "/api/programs/{slug}/", "/api/figures/{id}/"]:
        assert set(schema["paths"][path]) == {"get"}


def test_docs_page_uses_only_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    # Its start-up script is a file (the Content-Security-Policy allows no inline script), naming the schema.
    script = client.get("/api/docs/?script")
    assert script.status_code == 200 and "/api/schema/" in script.content.decode()
    external = {host for host in re.findall(r"https?://([^/\"'\s]+)", html) if host != "testserver"}
    assert not external, external
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in assets
    for asset in assets:
        assert finders.find(asset), asset
