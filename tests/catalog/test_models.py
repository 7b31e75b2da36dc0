"""Catalog records' constraints, each checked through full_clean() and through the database; institution queries."""
import pytest
from django.core.exceptions import ValidationError

from catalog.extensions import institution_discipline_links
from catalog.models import Institution, Source
from tests.constraints import assert_db_refuses
from tests.factories import (
    DisciplineFactory,
    FigureFactory,
    InstitutionAliasFactory,
    InstitutionFactory,
    ProgramFactory,
    SourceFactory,
)

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


class TestPublicSources:
    """Issue 9: a source is public only when a published record cites it."""

    def test_source_cited_only_by_drafts_is_not_public(self):
        source = SourceFactory()
        ProgramFactory(publication_state="draft").sources.add(source)
        InstitutionAliasFactory(institution=InstitutionFactory(publication_state="draft"), source=source)
        # A published figure about a draft program (saved without clean()) does not make it public either.
        FigureFactory(institution=None, program=ProgramFactory(publication_state="draft"), source=source)
        assert source not in Source.objects.public()

    @pytest.mark.parametrize("cite", ["program", "institution", "alias", "figure"])
    def test_source_cited_by_a_published_record_is_public(self, cite):
        source = SourceFactory()
        if cite == "program":
            ProgramFactory().sources.add(source)
        elif cite == "institution":
            InstitutionFactory().sources.add(source)
        elif cite == "alias":
            InstitutionAliasFactory(source=source)
        else:
            FigureFactory(source=source)
        assert list(Source.objects.public().filter(pk=source.pk)) == [source]

    def test_detail_page_of_a_source_no_published_record_cites_is_not_found(self, client):
        source = SourceFactory()
        ProgramFactory(publication_state="draft").sources.add(source)
        assert client.get(source.get_absolute_url()).status_code == 404
        ProgramFactory().sources.add(source)
        assert source.title in client.get(source.get_absolute_url()).content.decode()
