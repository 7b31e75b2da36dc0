"""Publishing keeps the rule that a published record names only published records (core.models.Publishable,
the actions and checks of core.admin.PublishableAdminMixin)."""
import pytest
from django.urls import reverse

from catalog.models import Institution, Source
from core.choices import PublicationState
from core.models import Publishable
from partnerships.models import Program
from tests.factories import ForeignInstitutionFactory, ProgramFactory, SourceFactory

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED = PublicationState.DRAFT, PublicationState.PUBLISHED


def cited(record):
    """The record citing a source, as a published record must (core.admin_review_forms.cites_a_source)."""
    record.sources.add(SourceFactory())
    return record


def run_action(client, model, action, records):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return client.post(url, {"action": action, "_selected_action": [r.pk for r in records]}, follow=True)


def test_a_program_naming_a_draft_partner_stays_a_draft(staff_client):
    partner = ForeignInstitutionFactory(name="Draft Partner University", publication_state=DRAFT)
    program = ProgramFactory(partners=[partner], publication_state=DRAFT)
    response = run_action(staff_client, Program, "publish", [program])
    program.refresh_from_db()
    assert program.publication_state == DRAFT
    assert "publish what it names first (Draft Partner University)" in response.content.decode()


def test_publishing_the_partner_first_lets_the_program_follow(staff_client):
    partner = cited(ForeignInstitutionFactory(publication_state=DRAFT))
    program = cited(ProgramFactory(partners=[partner], publication_state=DRAFT))
    run_action(staff_client, Institution, "publish", [partner])
    run_action(staff_client, Program, "publish", [program])
    program.refresh_from_db()
    assert program.publication_state == PUBLISHED


def test_an_institution_named_by_a_published_program_stays_published(staff_client):
    cqupt = Institution.objects.get(abbreviation="CQUPT")
    response = run_action(staff_client, Institution, "unpublish", [cqupt])
    cqupt.refresh_from_db()
    assert cqupt.publication_state == PUBLISHED
    assert "stays published: published records name it" in response.content.decode()


def test_other_selected_records_still_change(staff_client):
    blocked = ProgramFactory(partners=[ForeignInstitutionFactory(publication_state=DRAFT)], publication_state=DRAFT)
    free = cited(ProgramFactory(publication_state=DRAFT))
    response = run_action(staff_client, Program, "publish", [blocked, free])
    assert "1 record changed." in response.content.decode()
    assert Program.objects.get(pk=free.pk).publication_state == PUBLISHED
    assert Program.objects.get(pk=blocked.pk).publication_state == DRAFT


def test_saving_a_published_program_with_a_draft_host_keeps_it_a_draft(staff_client):
    host = ProgramFactory().host
    host.publication_state = DRAFT
    host.save()
    program = Program.objects.filter(host=host).get()
    url = reverse("admin:partnerships_program_change", args=[program.pk])
    data = {
        "name": program.name, "slug": program.slug, "level": program.level, "host": host.pk,
        "publication_state": PUBLISHED, "sources": [Source.objects.first().pk],
        "partner_links-TOTAL_FORMS": "0", "partner_links-INITIAL_FORMS": "0",
        "figures-TOTAL_FORMS": "0", "figures-INITIAL_FORMS": "0",
    }
    response = staff_client.post(url, data, follow=True)
    program.refresh_from_db()
    assert program.publication_state == DRAFT
    assert "stays a draft" in response.content.decode()


def test_seed_facts_keep_the_rule():
    for model in Publishable.__subclasses__():
        for record in model.objects.published():
            assert record.publication_blockers(PUBLISHED) == [], record
