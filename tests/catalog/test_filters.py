"""The institution FilterSet and its facets, and the discipline facet's limit, on the seed facts."""
import pytest

from catalog.filters import DISCIPLINE_OPTIONS, InstitutionFilter
from tests.factories import DisciplineFactory, InstitutionFactory, ProgramFactory
from tests.filtersets import counts, facet, filtered, names

pytestmark = pytest.mark.django_db


def test_institutions_own_country():
    assert names(filtered(InstitutionFilter, "country=JP")) == {"Kyushu University", "Kyoto University"}


def test_institution_discipline_counts_each_institution_once():
    discipline = DisciplineFactory()
    host = InstitutionFactory(name="Teaching Host University")
    host.disciplines.add(discipline)
    ProgramFactory(host=host, disciplines=[discipline])  # teaches and hosts: still one institution
    options = counts(facet(filtered(InstitutionFilter, ""), "discipline"))
    assert options[discipline.key] == 2  # the host, and the program's foreign partner


def test_discipline_options_are_limited(client):
    many = DisciplineFactory.create_batch(40)
    for discipline in many:
        ProgramFactory(disciplines=[discipline])
    html = client.get("/programs/").content.decode()
    assert html.count('type="checkbox" name="discipline"') == DISCIPLINE_OPTIONS == 25
