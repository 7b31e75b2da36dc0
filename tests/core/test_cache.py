"""Caching that is never stale (core.cache): facet counts, home statistics and whole anonymous pages are
served from the cache until a write commits, and every kind of write is visible on the very next request."""
import datetime
import os
import re
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

import core.cache
from core import history
from core.cache import bump_data_version, data_version, normalised_query
from core.choices import PublicationState
from core.models import PendingChange
from partnerships.models import Program
from tests.core.test_import import run_import, write_csv
from tests.core.test_import_preview import admin_preview, confirm
from tests.core.test_publishing import run_action
from tests.core.test_review import save_form
from tests.factories import ProgramFactory, SourceFactory
from tests.pages import admin_url, page_text, result_titles
from tests.test_outages import free_port, redis_cache

pytestmark = pytest.mark.django_db

LISTING = "/programs/?q=Zyxwv"  # only this test's programs match
FACETS = "/programs/?q=Zyxwv&page=1"  # another page address, the same facet counts (the page number counts nothing)
HOME = "/"


@pytest.fixture(autouse=True)
def registry_cache():
    """Replaces tests/conftest.py's fixture: here a write bumps the data version only when it commits."""
    cache.clear()
    core.cache._state.update(down_until=0.0, bump_pending=False)
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs a block as if its transaction committed (a test's own never does)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def city_counts(response) -> dict[str, int]:
    (city,) = [facet for facet in response.context["facets"] if facet.name == "city"]
    return {option.value: option.count for option in city.options}


def home_program_count(response) -> str:
    return re.search(r'stat__number">([\d,]+)</span> <span class="stat__label">programs<', response.content.decode())[1]


def prime(client):
    """Fill every cache the checks below read: the listing's page and facets, the home page and its statistics."""
    for url in (LISTING, HOME):
        assert client.get(url).status_code == 200
    assert client.get(LISTING).context is None  # served from the cache


def assert_public(client, name: str, city: str):
    """The public sees ``name`` in the listing and the home page's latest approvals, and ``city`` in the facets."""
    assert result_titles(client.get(LISTING)) == [name]
    assert city_counts(client.get(FACETS)) == {city: 1}
    home = client.get(HOME)
    assert name in page_text(home)
    assert home_program_count(home) == str(Program.objects.published().count())


def draft_program(name="Zyxwv Robotics", city="Atlantis") -> Program:
    program = ProgramFactory(name=name, city=city, approval_date=datetime.date(2026, 11, 1), approval_date_precision="month",
                             publication_state=PublicationState.DRAFT)
    program.sources.add(SourceFactory())
    return program


def published_program(name="Zyxwv Robotics", city="Atlantis") -> Program:
    program = draft_program(name, city)
    with history.recorded_change(program):
        program.publication_state = PublicationState.PUBLISHED
        program.save()
    return program


def staff(role, django_user_model) -> Client:
    from tests.conftest import _member_of

    client = Client()
    client.force_login(_member_of(django_user_model, role))
    return client


# Served from the cache ------------------------------------------------------------------------------


def test_a_second_anonymous_request_is_served_from_the_cache_byte_for_byte(client, django_assert_num_queries):
    for url in ("/programs/?country=RU&level=bachelor", "/institutes/", "/institutions/?country=JP", "/agreements/", "/"):
        first = client.get(url)
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == first.status_code == 200
        assert second.content == first.content
        assert dict(second.items()) == dict(first.items())


def test_only_pages_with_the_listings_own_parameters_are_cached(client):
    client.get("/programs/?country=RU&utm_source=newsletter")
    assert client.get("/programs/?country=RU&utm_source=newsletter").context is not None  # computed again
    client.get("/?utm_source=newsletter")
    assert client.get("/?utm_source=newsletter").context is not None
    client.get("/programs/?country=RU&page=2&sort=name")
    assert client.get("/programs/?country=RU&page=2&sort=name").context is None


def test_facet_counts_are_shared_by_every_page_and_order_of_a_selection(client):
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/programs/?city=Chongqing")
    uncached = len(queries)
    assert client.get("/programs/?city=Chongqing").context is None  # the page itself
    with CaptureQueriesContext(connection) as queries:
        other = client.get("/programs/?city=Chongqing&sort=-approved&page=1")
    assert other.context["facets"] == first.context["facets"]
    assert uncached - len(queries) >= len(first.context["facets"])  # no facet was counted again


def test_spellings_of_one_selection_have_the_same_facet_counts_so_they_share_them(client):
    computed = []
    for url in ("/programs/?city=Atlantis&level=bachelor",
                "/programs/?level=bachelor&city=Atlantis&city=Atlantis&country=&q=+&sort=name&page=2"):
        cache.clear()
        computed.append(client.get(url).context["facets"])
    assert computed[0] == computed[1]
    cities = [option.value for facet in computed[1] if facet.name == "city" for option in facet.options]
    assert cities.count("Atlantis") == 1  # typed twice, shown once


def test_english_and_chinese_pages_are_cached_apart(client):
    english, chinese = client.get("/programs/"), client.get("/zh-hans/programs/")
    assert '<html lang="en"' in english.content.decode() and '<html lang="zh-hans"' in chinese.content.decode()
    assert client.get("/programs/").content == english.content
    assert client.get("/zh-hans/programs/").content == chinese.content
    assert client.get(HOME).content != client.get("/zh-hans/").content


def test_a_logged_in_staff_member_is_never_served_the_anonymous_cache(client, committed, django_user_model):
    staff_client = staff("Publisher", django_user_model)
    with committed():
        program = published_program()
    prime(client)
    Program.objects.filter(pk=program.pk).update(name="Zyxwv Quietly Renamed")  # no signal: nothing is bumped
    assert result_titles(client.get(LISTING)) == ["Zyxwv Robotics"]  # anonymous: the cached page
    assert result_titles(staff_client.get(LISTING)) == ["Zyxwv Quietly Renamed"]
    assert client.get(HOME).context is None and staff_client.get(HOME).context is not None  # rendered for staff


def test_query_strings_are_normalised_for_the_data_caches():
    from django.http import QueryDict

    assert normalised_query(QueryDict("level=bachelor&country=RU&country=&country=RU&q=+&page=3"),
                            ignore=("page",)) == normalised_query(QueryDict("country=RU&level=bachelor"))


# Every write is visible on the next request ------------------------------------------------------------


def test_publishing_in_the_changelist_is_visible_at_once(client, committed, django_user_model):
    with committed():
        program = draft_program()
    prime(client)
    assert result_titles(client.get(LISTING)) == []
    with committed():
        run_action(staff("Publisher", django_user_model), Program, "publish", [program])
    assert_public(client, "Zyxwv Robotics", "Atlantis")


def test_publishing_in_the_change_form_is_visible_at_once(client, committed, django_user_model):
    with committed():
        program = draft_program()
    prime(client)
    with committed():
        save_form(staff("Publisher", django_user_model), program, publication_state=PublicationState.PUBLISHED,
                  name="Zyxwv Marine Robotics", city="Lemuria")
    assert_public(client, "Zyxwv Marine Robotics", "Lemuria")


CSV_HEADER = ["name", "level", "disciplines", "host", "partners", "city", "approval_date", "source_title"]
CSV_ROW = ["Zyxwv Robotics", "bachelor", "cn-ug:080901", "Chongqing University", "Far Eastern Federal University",
           "Atlantis", "2026-11", "Provincial approvals 2026"]


def test_an_import_registry_publish_run_is_visible_at_once(client, committed, tmp_path):
    prime(client)
    with committed():
        succeeded, _out, err = run_import(write_csv(tmp_path / "programs.csv", CSV_HEADER, [CSV_ROW]), publish=True)
    assert succeeded, err
    assert_public(client, "Zyxwv Robotics", "Atlantis")


def test_a_confirmed_admin_import_is_visible_at_once(client, committed, tmp_path, django_user_model):
    publisher = staff("Publisher", django_user_model)
    prime(client)
    preview = admin_preview(publisher, write_csv(tmp_path / "programs.csv", CSV_HEADER, [CSV_ROW]), publish="on")
    assert result_titles(client.get(LISTING)) == []  # a preview writes nothing
    with committed():
        assert "Import finished: 1 new" in confirm(publisher, preview).content.decode()
    assert_public(client, "Zyxwv Robotics", "Atlantis")


def test_an_approved_proposed_change_is_visible_at_once(client, committed, django_user_model):
    with committed():
        program = published_program()
    with committed():
        save_form(staff("Editor", django_user_model), program, name="Zyxwv Ocean Robotics", city="Lemuria",
                  change_reason="Renamed in 2026")
    change = PendingChange.objects.get()
    prime(client)
    assert_public(client, "Zyxwv Robotics", "Atlantis")  # the proposal waits
    with committed():
        staff("Publisher", django_user_model).post(admin_url(PendingChange, "approve", change.pk), {"note": "OK"})
    assert_public(client, "Zyxwv Ocean Robotics", "Lemuria")


def test_a_history_revert_is_visible_at_once(client, committed, django_user_model):
    with committed():
        program = published_program()
        first = history.entries(program).first()
        with history.recorded_change(program, reason="Renamed"):
            program.name, program.city = "Zyxwv Ocean Robotics", "Lemuria"
            program.save()
    prime(client)
    assert_public(client, "Zyxwv Ocean Robotics", "Lemuria")
    with committed():
        staff("Publisher", django_user_model).post(
            admin_url(Program, "simple_history", program.pk, first.history_id),
            {"version": Program.objects.get(pk=program.pk).version, "reason": "Wrong name"})
    assert_public(client, "Zyxwv Robotics", "Atlantis")


# The data version --------------------------------------------------------------------------------------


def test_a_transaction_bumps_once_when_it_commits_and_never_when_it_rolls_back(django_capture_on_commit_callbacks):
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        program = ProgramFactory()  # a program, its host, a partner and the link: four writes
        program.disciplines.set([])
        assert data_version() == before  # nothing is committed yet
    assert len(callbacks) == 1 and data_version() == before + 1

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            ProgramFactory()
            raise RuntimeError("rolled back")
    assert callbacks == [] and data_version() == before + 1


def test_a_bulk_insert_bumps_the_version_though_it_sends_no_signal(committed):
    from catalog.models import Source
    from core.services import create_in_bulk

    before = data_version()
    with committed():
        create_in_bulk(records=[Source(title="Zyxwv Gazette", slug="zyxwv-gazette")])
    assert data_version() == before + 1


def test_sync_disciplines_bumps_the_version(committed, tmp_path):
    from catalog.disciplines import DISCIPLINES_CSV

    renamed = DISCIPLINES_CSV.read_text(encoding="utf-8").replace("Computer Science and Technology",
                                                                  "Computing Science and Technology", 1)
    (tmp_path / "disciplines.csv").write_text(renamed, encoding="utf-8")
    before = data_version()
    with committed():
        call_command("sync_disciplines", "--file", str(tmp_path / "disciplines.csv"), stdout=open(os.devnull, "w"))
    assert data_version() > before


def test_a_failing_cache_does_not_break_pages(client, settings):
    expected = {url: page_text(client.get(url)) for url in (LISTING, HOME)}
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{free_port()}/15")  # nothing listens there
    for url in (LISTING, FACETS, HOME, LISTING):
        response = client.get(url)
        assert response.status_code == 200
    assert page_text(client.get(LISTING)) == expected[LISTING]
    assert page_text(client.get(HOME)) == expected[HOME]


def test_a_cached_page_is_served_while_the_database_is_down(client, monkeypatch):
    from django.db import OperationalError

    cached = {url: client.get(url).content for url in (LISTING, HOME)}

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    for url, content in cached.items():
        response = client.get(url)
        assert response.status_code == 200 and response.content == content
    assert client.get("/programs/?q=Uncached").status_code == 503  # what is not cached needs the database


def test_every_worker_sees_a_bump_through_redis(client, settings):
    """One process bumps the version in the real Redis; a fresh process (another worker) reads it, and back."""
    redis = pytest.importorskip("redis")
    prefix = f"registry-test-{uuid.uuid4().hex}"
    location = "redis://127.0.0.1:6379/0"
    settings.CACHES = {"default": {**redis_cache(location)["default"], "KEY_PREFIX": prefix}}
    try:
        cached = client.get("/programs/")
        Program.objects.filter(slug="cqu-nsu-physics").update(name="Quietly Renamed Physics")  # no bump
        assert client.get("/programs/").content == cached.content
        version = data_version()
        script = ("import django; django.setup(); from core.cache import bump_data_version, data_version; "
                  "print(data_version()); bump_data_version()")
        worker = subprocess.run(
            [sys.executable, "-c", script], cwd=django_settings.BASE_DIR, capture_output=True, text=True, timeout=60,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_CACHE_URL": location,
                 "DJANGO_CACHE_KEY_PREFIX": prefix, "DJANGO_SECRET_KEY": django_settings.SECRET_KEY})
        assert worker.returncode == 0, worker.stderr
        assert int(worker.stdout.split()[-1]) == version  # the other process read this one's version
        assert data_version() == version + 1  # and this one reads the other's bump
        assert "Quietly Renamed Physics" in page_text(client.get("/programs/"))
    finally:
        connection = redis.Redis.from_url(location)
        keys = list(connection.scan_iter(match=f"{prefix}:*"))
        if keys:
            connection.delete(*keys)


def test_bump_data_version_starts_a_version_when_there_is_none():
    cache.delete(core.cache.VERSION_KEY)
    bump_data_version()
    assert isinstance(data_version(), int)


@pytest.mark.django_db
def test_caching_can_be_switched_off_to_measure_the_uncached_cost(client, settings):
    settings.REGISTRY_PAGE_CACHE = False
    client.get("/programs/")
    with CaptureQueriesContext(connection) as second:
        response = client.get("/programs/")
    assert response.status_code == 200 and len(second) > 0  # computed again, not served from the cache
