"""Queries per page stay the same whatever the data size, the page depth and the page size
(bench/load.py measures the time at 100,000 programs; here only the counts are asserted)."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import dataset
from catalog.models import Institution
from partnerships.models import Figure, Program
from tests.factories import ForeignInstitutionFactory, ProgramFactory
from tests.pages import page_text, result_titles

pytestmark = pytest.mark.django_db

LISTINGS = [
    "/programs/",
    "/programs/?country=RU",
    "/programs/?country=RU&level=bachelor&status=enrolling&discipline=cn-ug:0809&city=Chongqing",
    "/programs/?sort=-approved",
    "/institutes/",
    "/institutes/?level=bachelor&country=RU",
    "/institutions/?country=RU",
    "/agreements/",
]
PAGES = ["/", "/countries/ru/", "/disciplines/cn-ug/0809/", "/disciplines/cn-grad/08/"]


def queries(client, path: str) -> int:
    """Queries of one uncached request (cached pages and facets would make none)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200, path
    return len(captured)


def bench_data(scale: float = 0.0006) -> dataset.Names:
    """The load benchmark's generated records (60 programs at this scale) beside the seed facts."""
    return dataset.build(scale, progress=lambda line: None)


@pytest.mark.parametrize("path", LISTINGS + PAGES)
def test_constant_whatever_the_data_size(client, path):
    before = queries(client, path)
    bench_data()
    assert queries(client, path) == before


@pytest.mark.parametrize("path", ["/programs/", "/institutions/", "/programs/?country=RU"])
def test_constant_whatever_the_page_size_and_depth(client, settings, path):
    bench_data()
    separator = "&" if "?" in path else "?"
    counted = set()
    for size, page in ((2, 1), (2, 5), (2, 9), (25, 1), (60, 1)):
        settings.REGISTRY_PAGE_SIZE = size
        counted.add(queries(client, f"{path}{separator}page={page}"))
    assert len(counted) == 1


def test_a_program_page_with_300_figures_as_one_with_one(client):
    names = bench_data()
    busy = Program.objects.get(slug=names.program_slug)
    quiet = Program.objects.published().exclude(pk=busy.pk).filter(slug__startswith="bench-program-").first()
    assert Figure.objects.filter(program=busy).count() == 300
    assert queries(client, busy.get_absolute_url()) == queries(client, quiet.get_absolute_url())
    assert "Students admitted" in page_text(client.get(busy.get_absolute_url()))


def test_an_institution_page_with_more_programs_makes_no_more_queries(client):
    names = bench_data()
    busy = Institution.objects.get(slug=names.host_slug)
    assert busy.hosted_programs.count() == dataset.PROGRAMS_OF_BUSY_HOST
    before = queries(client, busy.get_absolute_url())
    ProgramFactory.create_batch(10, host=busy, partners=[ForeignInstitutionFactory()])
    assert queries(client, busy.get_absolute_url()) == before


class TestPagesAreBounded:
    def test_country_page_shows_a_page_and_links_to_the_rest(self, client, settings):
        settings.REGISTRY_PAGE_SIZE = 3
        bench_data()
        response = client.get("/countries/ru/")
        text = page_text(response)
        total = Program.objects.published().partnered_with_countries(["RU"]).count()
        assert f"Programs ({total})" in text
        assert f"See all {total} in the listing" in text
        assert 'href="/programs/?country=RU"' in response.content.decode()

    def test_discipline_page_shows_a_page_and_links_to_the_rest(self, client, settings):
        settings.REGISTRY_PAGE_SIZE = 2
        bench_data()
        total = Program.objects.published().in_disciplines([("cn-ug", "0809")]).count()
        assert total > 2
        response = client.get("/disciplines/cn-ug/0809/")
        assert f"See all {total} in the listing" in page_text(response)
        assert 'href="/programs/?discipline=cn-ug%3A0809"' in response.content.decode()

    def test_a_short_list_has_no_link(self, client):
        assert "See all" not in page_text(client.get("/countries/nz/"))

    def test_listing_depth_is_bounded_with_a_message(self, client, settings, monkeypatch):
        monkeypatch.setattr("core.listing.MAX_PAGES", 3)
        settings.REGISTRY_PAGE_SIZE = 2
        bench_data()
        response = client.get("/programs/?page=7")
        text = page_text(response)
        assert "Only the first 3 pages of results are shown" in text
        assert "Page 3 of 3" in text
        total = Program.objects.published().count()
        assert f"{total:,} results" in text or f"{total} results" in text
        assert len(result_titles(response)) == 2

    def test_ties_keep_one_order_across_pages(self, client, settings):
        settings.REGISTRY_PAGE_SIZE = 4
        bench_data()
        seen = []
        for page in range(1, 5):
            seen += result_titles(client.get(f"/programs/?sort=level&page={page}"))
        ordered = list(Program.objects.published().order_by("level", "name", "host__name", "pk")
                       .values_list("name", flat=True)[:16])
        assert seen == ordered
