"""Whole-record snapshots: what history, review and revert read and write."""
import pytest

from core import snapshots
from core.choices import PublicationState
from partnerships.models import Program
from tests.factories import DisciplineFactory, FigureFactory, ForeignInstitutionFactory, ProgramFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    otago = ForeignInstitutionFactory(name="Otago Test University", country="NZ")
    return ProgramFactory(name="Marine Biology", partners=[otago], tuition_cny_per_year=60000)


def test_a_snapshot_holds_fields_links_and_parts(program):
    source = SourceFactory(title="Chongqing news")
    program.sources.add(source)
    FigureFactory(institution=None, program=program, source=source)

    snapshot = snapshots.take(program)

    assert snapshot["fields"]["tuition_cny_per_year"] == 60000
    assert snapshot["fields"]["sources"] == [source.pk]
    assert [link["fields"]["institution"] for link in snapshot["parts"]["partner_links"]] == [
        program.partners.get().pk]
    assert len(snapshot["parts"]["figures"]) == 1
    assert "version" not in snapshot["fields"]


def test_changes_name_the_related_records_old_and_new(program):
    before = snapshots.take(program)
    novosibirsk = ForeignInstitutionFactory(name="Novosibirsk Test University")
    program.partner_links.all().delete()
    program.partner_links.create(institution=novosibirsk)
    program.disciplines.add(DisciplineFactory(code="0710", name="Biology"))
    program.tuition_cny_per_year = 65000
    program.save()

    changes = {change.field: change for change in snapshots.changes(Program, before, snapshots.take(program))}

    assert set(changes) == {"tuition_cny_per_year", "disciplines", "partner_links"}
    assert changes["partner_links"].old == "Otago Test University"
    assert changes["partner_links"].new == "Novosibirsk Test University"
    assert changes["disciplines"].old == ""
    assert "Biology" in changes["disciplines"].new
    assert str(changes["tuition_cny_per_year"].label) == "tuition per year (CNY)"


def test_restore_brings_back_fields_links_and_parts(program):
    before = snapshots.take(program)
    version = program.version
    program.partner_links.all().delete()
    program.partner_links.create(institution=ForeignInstitutionFactory())
    program.disciplines.add(DisciplineFactory())
    program.tuition_cny_per_year = 1
    program.save()

    snapshots.restore(Program, before)

    program.refresh_from_db()
    assert program.tuition_cny_per_year == 60000
    assert [partner.name for partner in program.partners.all()] == ["Otago Test University"]
    assert not program.disciplines.exists()
    assert program.version == version + 2  # the restore is a save of its own
    assert snapshots.changes(Program, before, snapshots.take(program)) == []


def test_restore_is_refused_whole_when_a_published_record_would_name_a_draft(program):
    before = snapshots.take(program)
    partner = program.partners.get()
    partner.publication_state = PublicationState.DRAFT
    partner.save()
    program.publication_state = PublicationState.DRAFT
    program.tuition_cny_per_year = 1
    program.save()

    with pytest.raises(snapshots.RestoreRefused, match="Otago Test University"):
        snapshots.restore(Program, before)

    program.refresh_from_db()
    assert program.tuition_cny_per_year == 1
    assert program.publication_state == PublicationState.DRAFT


def test_restore_is_refused_when_a_linked_record_no_longer_exists(program):
    discipline = DisciplineFactory()
    program.disciplines.add(discipline)
    before = snapshots.take(program)
    program.disciplines.clear()
    discipline.delete()

    with pytest.raises(snapshots.RestoreRefused, match="no longer exist"):
        snapshots.restore(Program, before)


def test_every_save_counts_a_version(program):
    version = program.version
    program.save(update_fields=["tuition_cny_per_year"])
    program.refresh_from_db()
    assert program.version == version + 1
