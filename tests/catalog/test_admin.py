"""Every catalog admin changelist, add page and change page answers a staff user; search and validation work."""
import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Institution
from tests import factories
from tests.pages import admin_url, assert_admin_pages_open

pytestmark = pytest.mark.django_db

REGISTERED = [model for model in admin.site._registry if model._meta.app_label == "catalog"]


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_changelist_and_add_pages(staff_client, model):
    assert_admin_pages_open(staff_client, model)


def test_every_registered_model_is_covered():
    names = {model.__name__ for model in REGISTERED}
    assert {"Institution", "Discipline", "Source", "Region"} <= names


@pytest.mark.parametrize("query", ["FEFU", "远东联邦", "Дальневосточный", "Far Eastern"])
def test_institution_search_covers_names_and_aliases(staff_client, query):
    response = staff_client.get(admin_url(Institution, "changelist"), {"q": query})
    assert "Far Eastern Federal University" in response.content.decode()


def test_validation_error_shown_beside_the_field(staff_client):
    institution = Institution.objects.get(abbreviation="CQUPT")
    data = {
        "name": institution.name, "slug": institution.slug, "kind": institution.kind, "country": "CN",
        "ror_id": "bad id", "publication_state": "published", "website": "not a url",
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0",
    }
    response = staff_client.post(admin_url(Institution, "change", institution.pk), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A ROR id looks like" in html
    assert "Enter a valid URL" in html
    institution.refresh_from_db()
    assert institution.ror_id == ""


def test_deleting_a_referenced_institution_is_refused_in_the_admin(staff_client):
    cqupt = Institution.objects.get(abbreviation="CQUPT")
    response = staff_client.post(admin_url(Institution, "delete", cqupt.pk), {"post": "yes"})
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Institution.objects.filter(pk=cqupt.pk).exists()


def changelist_queries(client, model):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(admin_url(model, "changelist")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("factory_name", ["InstitutionFactory", "RegionFactory", "SourceFactory"])
def test_changelist_queries_do_not_grow_with_rows(staff_client, factory_name):
    factory = getattr(factories, factory_name)
    model = factory._meta.model
    factory.create_batch(2)
    before = changelist_queries(staff_client, model)
    factory.create_batch(8)
    assert changelist_queries(staff_client, model) == before
