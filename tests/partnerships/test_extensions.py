"""What partnerships registers into the lower apps' extension points (partnerships.extensions), from ready()."""
from catalog.extensions import institution_discipline_links
from catalog.models import Discipline, Institution, Region, Source
from core.extensions import detail_sections
from partnerships import extensions


def test_catalog_pages_get_the_partnership_sections():
    assert detail_sections.for_model(Institution) == [extensions.institution_sections]
    assert detail_sections.for_model(Discipline) == [extensions.discipline_sections]
    assert detail_sections.for_model(Region) == [extensions.region_sections]
    assert detail_sections.for_model(Source) == [extensions.source_sections]


def test_institutions_are_tied_to_the_disciplines_of_programs_they_host_or_partner_in():
    assert [link.institution for link in institution_discipline_links] == [
        "program__host", "program__partner_links__institution",
    ]


def test_registering_again_changes_nothing():
    extensions.register()
    assert len(detail_sections.for_model(Institution)) == 1
    assert len(institution_discipline_links) == 2
