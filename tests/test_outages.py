"""Outages: /healthz, a friendly 503 while the database is down, and the site's 404 and 500 pages."""
import socket
import uuid

import pytest
from django.db import InterfaceError, OperationalError, connection, transaction
from django.urls import path

from config import urls as site_urls
from tests.pages import page_text

pytestmark = pytest.mark.django_db

SITE_HEADER = "Joint Education Registry"


@transaction.non_atomic_requests  # fails before any query, so the test can take the database away
def boom(request):
    raise RuntimeError("an unexpected bug")


# This module doubles as a URLconf: the site's URLs plus one view that fails.
urlpatterns = [path("boom/", boom), *site_urls.urlpatterns]
handler500 = site_urls.handler500


@pytest.fixture
def database_down(monkeypatch):
    """Every new query fails as it does while PostgreSQL restarts."""
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-healthz-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


# /healthz


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "local"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_healthz_answers_503_when_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert "no-store" in response["Cache-Control"]


def test_healthz_checks_a_shared_cache(client, settings):
    settings.CACHES = redis_cache("redis://127.0.0.1:6379/15")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_answers_503_when_the_shared_cache_is_down(client, settings):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{free_port()}/15")  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable"}


def test_healthz_answers_a_probe_on_plain_http_to_any_host(client, settings):
    """Docker's HEALTHCHECK asks http://127.0.0.1:8000/healthz: no HTTPS redirect, no host check."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["registry.example.org"]
    assert client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.get("/", HTTP_HOST="registry.example.org").status_code == 301


# Pages while the database is down


@pytest.mark.parametrize("url", ["/", "/programs/", "/institutions/ucas-chongqing-school/", "/data/", "/api/programs/"])
def test_pages_answer_a_friendly_503_while_the_database_is_down(client, database_down, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = page_text(response)
    assert "The registry is briefly unavailable" in text
    assert SITE_HEADER in text and "Open data" in text  # the site's header and footer


def test_the_admin_answers_503_while_the_database_is_down(staff_client, database_down):
    response = staff_client.get("/admin/")
    assert response.status_code == 503
    assert "The registry is briefly unavailable" in page_text(response)


def test_a_dropped_connection_answers_503(client, monkeypatch):
    def dropped(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(connection, "ensure_connection", dropped)
    assert client.get("/programs/").status_code == 503


def test_a_form_post_while_the_database_is_down_answers_503_and_saves_nothing(client, database_down):
    response = client.post("/admin/login/", {"username": "someone", "password": "secret"})
    assert response.status_code == 503
    assert "it was not saved" in page_text(response)


# 404 and 500 in the site's look


def test_an_unknown_page_answers_the_sites_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = page_text(response)
    assert "This page is not in the registry" in text
    assert SITE_HEADER in text


def test_a_bug_answers_the_sites_500_page_without_the_database(client, settings, database_down):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    text = page_text(response)
    assert "Something went wrong on our side" in text
    assert SITE_HEADER in text
    assert "RuntimeError" not in text and "an unexpected bug" not in text


def test_a_database_error_outside_a_view_still_answers_503(rf):
    """handler500 sees the exception being handled: a database error there is an outage, not a bug."""
    from core.errors import server_error

    request = rf.get("/programs/")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "The registry is briefly unavailable" in page_text(response)
