"""Property-based tests of the JSON API against its own OpenAPI schema (schemathesis, in-process over WSGI).

Every operation gets generated requests, valid and invalid; the API must never answer 5xx and every
answer must match the schema (status code, content type, headers and body).
"""
import json

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# What "no 5xx, every response matches the schema" means. Left out on purpose:
# positive_data_acceptance (a well-formed but unknown country or discipline is a documented 400) and
# negative_data_rejection (unknown extra values such as page_size=abc are ignored, as DRF does).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def keep_test_connection_open():
    """Keep the test's database connection (and its transaction) across WSGI requests.

    Django's WSGI handler closes connections when a request starts and ends; the test client turns that
    off, and so must we: on PostgreSQL it would close the connection holding the test's transaction.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def unthrottled(settings):
    """Hundreds of requests in seconds: lift the anonymous rate limit, which is tested in test_api."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"}}
    cache.clear()
    yield
    cache.clear()


def generated_schema() -> dict:
    """The schema /api/schema/ serves, built from the code by drf-spectacular (no database needed).

    It is built here rather than fetched because collection runs before the test database exists and
    every request opens a transaction (ATOMIC_REQUESTS); test_schema_endpoint_serves_it ties the two.
    """
    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(generated_schema())
# Generated requests go to the Django app in-process, inside each test's transaction with the seed facts.
schema.app = get_wsgi_application()


@schema.parametrize()
@hypothesis.settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture, hypothesis.HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(db, case):
    case.call_and_validate(checks=CHECKS)


def test_schema_endpoint_serves_it(db, client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(generated_schema()))


def test_schema_covers_every_endpoint():
    paths = set(schema.raw_schema["paths"])
    for resource in ["programs", "institutes", "institutions", "agreements"]:
        assert {f"/api/{resource}/", f"/api/{resource}/{{slug}}/"} <= paths
    assert {"/api/figures/", "/api/figures/{id}/"} <= paths


def test_schema_is_valid_without_warnings(tmp_path):
    """What `manage.py spectacular --validate --fail-on-warn` checks; a new filter without a schema type fails here."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")
