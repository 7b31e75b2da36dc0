"""Every partnership admin changelist, add page and change page answers a staff user; search, filters and bulk actions work."""
import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Institution, Source
from core.choices import PublicationState
from partnerships.models import Figure, JointInstitute, Program
from tests import factories
from tests.pages import admin_url, assert_admin_pages_open

pytestmark = pytest.mark.django_db

REGISTERED = [model for model in admin.site._registry if model._meta.app_label == "partnerships"]


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_changelist_and_add_pages(staff_client, model):
    assert_admin_pages_open(staff_client, model)


def test_every_registered_model_is_covered():
    names = {model.__name__ for model in REGISTERED}
    assert {"JointInstitute", "Program", "Agreement", "Activity", "Figure"} <= names


def test_joint_institute_search_by_partner(staff_client):
    response = staff_client.get(admin_url(JointInstitute, "changelist"), {"q": "FEFU"})
    assert "Joint Institute" in response.content.decode()


def test_program_changelist_query_count_is_constant(staff_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        staff_client.get(admin_url(Program, "changelist"))


def test_bulk_unpublish_and_publish(staff_client):
    ids = list(Program.objects.values_list("pk", flat=True)[:3])
    url = admin_url(Program, "changelist")
    staff_client.post(url, {"action": "unpublish", "_selected_action": ids})
    assert Program.objects.filter(pk__in=ids, publication_state=PublicationState.DRAFT).count() == 3
    staff_client.post(url, {"action": "publish", "_selected_action": ids})
    assert Program.objects.filter(pk__in=ids, publication_state=PublicationState.PUBLISHED).count() == 3


def test_partner_country_filter_lists_only_countries_in_use(staff_client):
    html = staff_client.get(admin_url(Program, "changelist")).content.decode()
    assert "New Zealand" in html and "Germany" in html
    assert "Zimbabwe" not in html
    filtered = staff_client.get(admin_url(Program, "changelist"), {"partners_country": "NZ"}).content.decode()
    assert "Pharmacy" in filtered and "Physics" not in filtered


def test_figure_rule_errors_are_shown_beside_their_field(staff_client):
    before = Figure.objects.count()
    response = staff_client.post(admin_url(Figure, "add"), {
        "institution": Institution.objects.get(abbreviation="CSU").pk,
        "metric": "graduate_students", "value": "-3", "unit": "count", "qualifier": "exact",
        "period_start": "2024", "period_end": "2020", "source": Source.objects.first().pk,
        "publication_state": "draft",
    })
    html = response.content.decode()
    for field, message in [("period_end", "The period cannot end before it starts."),
                           ("value", "A figure cannot be negative.")]:
        row = html.split(f"field-{field}", 1)[1].split('class="form-row', 1)[0]
        assert message in row
    assert Figure.objects.count() == before


def changelist_queries(client, model):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(admin_url(model, "changelist")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("factory_name", [
    "ProgramFactory", "JointInstituteFactory", "AgreementFactory", "ActivityFactory",
    "FigureFactory",
])
def test_changelist_queries_do_not_grow_with_rows(staff_client, factory_name):
    factory = getattr(factories, factory_name)
    model = factory._meta.model
    factory.create_batch(2)
    before = changelist_queries(staff_client, model)
    factory.create_batch(8)
    assert changelist_queries(staff_client, model) == before
