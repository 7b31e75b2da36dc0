"""Catalog records' constraints, each checked through full_clean() and through the database; institution queries."""
import pytest
from django.core.exceptions import ValidationError

from catalog.extensions import institution_discipline_links
from catalog.models import Institution
from tests.constraints import assert_db_refuses
from tests.factories import DisciplineFactory, InstitutionAliasFactory, InstitutionFactory, ProgramFactory

pytestmark = pytest.mark.django_db


class TestUniqueness:
    def test_duplicate_slug_refused(self):
        existing = InstitutionFactory()
        clash = InstitutionFactory.build(slug=existing.slug)
        with pytest.raises(ValidationError) as error:
            clash.full_clean()
        assert "slug" in error.value.message_dict
        assert_db_refuses(clash.save)

    def test_ror_id_unique_when_given(self):
        InstitutionFactory(ror_id="05t99sp05")
        clash = InstitutionFactory.build(ror_id="05t99sp05")
        with pytest.raises(ValidationError):
            clash.full_clean()
        assert_db_refuses(clash.save)
        # Many institutions may have no ROR id.
        InstitutionFactory(ror_id="")
        InstitutionFactory(ror_id="")

    def test_malformed_ror_id_refused(self):
        with pytest.raises(ValidationError, match="ROR id"):
            InstitutionFactory.build(ror_id="not-a-ror").full_clean()

    def test_alias_unique_per_institution(self):
        alias = InstitutionAliasFactory()
        clash = InstitutionAliasFactory.build(institution=alias.institution, name=alias.name)
        with pytest.raises(ValidationError):
            clash.full_clean()
        assert_db_refuses(clash.save)


def test_in_disciplines_follows_the_links_other_apps_register(monkeypatch):
    discipline = DisciplineFactory()
    teacher = InstitutionFactory(name="Teaching University")
    teacher.disciplines.add(discipline)
    program = ProgramFactory(disciplines=[discipline])
    keys = [(discipline.catalogue, discipline.code)]
    everyone = {teacher, program.host, *program.partners.all()}
    assert set(Institution.objects.in_disciplines(keys)) == everyone
    assert {row["key"] for row in Institution.objects.filter(pk__in=[i.pk for i in everyone]).discipline_counts(5)} == {
        discipline.key}
    # Without partnerships' links (a catalog on its own), only what an institution teaches counts.
    monkeypatch.setattr(institution_discipline_links, "_items", [])
    assert list(Institution.objects.in_disciplines(keys)) == [teacher]
    assert Institution.objects.filter(pk=program.host.pk).discipline_counts(5) == []
