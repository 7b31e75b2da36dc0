"""The partnership FilterSets and their facet counts, on the seed facts."""
import pytest
from django.http import QueryDict

from partnerships.filters import AgreementFilter, JointInstituteFilter, ProgramFilter
from partnerships.models import JointInstitute, Program
from tests.factories import ProgramFactory
from tests.filtersets import counts, facet, filtered, names

pytestmark = pytest.mark.django_db


class TestProgramFilter:
    def test_partner_country_any_case(self):
        assert filtered(ProgramFilter, "country=nz").qs.get().name == "Pharmacy"
        russian = names(filtered(ProgramFilter, "country=RU"))
        assert {"Physics", "Internet of Things Engineering", "IoT Application Technology"} <= russian
        assert "Pharmacy" not in russian

    def test_country_repeated_means_any(self):
        assert names(filtered(ProgramFilter, "country=NZ&country=DE")) == {"Pharmacy", "Digital Media Arts"}

    def test_discipline_code_covers_descendants(self):
        programs = filtered(ProgramFilter, "discipline=cn-grad:08").qs
        assert sorted(p.disciplines.get().code for p in programs) == ["0810", "0811", "0812"]

    def test_level_status_city(self):
        assert names(filtered(ProgramFilter, "level=vocational")) == {"IoT Application Technology"}
        # The six CQUPT–FEFU programs hold their approval through their joint institute (issue 10).
        assert filtered(ProgramFilter, "status=approved").qs.count() == 10
        assert filtered(ProgramFilter, "city=chongqing").qs.count() == 10

    def test_combined(self):
        programs = filtered(ProgramFilter, "country=RU&discipline=cn-ug:0809&level=bachelor").qs
        assert {p.disciplines.get().code for p in programs} == {"080901", "080905", "080906"}

    def test_sort(self):
        ordered = [p.name for p in filtered(ProgramFilter, "sort=-name").qs]
        assert ordered == sorted(ordered, reverse=True)


class TestOtherFilters:
    @pytest.mark.parametrize("text", ["FEFU", "远东", "Far Eastern"])
    def test_institute_search_by_partner_names_and_aliases(self, text):
        institutes = filtered(JointInstituteFilter, f"q={text}").qs
        assert [i.slug for i in institutes] == ["cqupt-fefu-joint-institute"]

    def test_institutes_by_level_of_their_programs(self):
        assert [i.slug for i in filtered(JointInstituteFilter, "level=bachelor").qs] == ["cqupt-fefu-joint-institute"]

    def test_agreements_by_partner_country(self):
        agreement = filtered(AgreementFilter, "country=kr").qs.get()
        assert agreement.slug == "csu-postech-mou-2019"

    def test_invalid_values_are_reported(self):
        for query, parameter in [("country=XX", "country"), ("discipline=foo", "discipline"),
                                 ("discipline=cn-grad:99", "discipline"), ("sort=bogus", "sort")]:
            filterset = ProgramFilter(QueryDict(query), queryset=Program.objects.published())
            assert not filterset.is_valid()
            assert parameter in filterset.errors


class TestFacets:
    def test_country_counts_apply_the_other_filters(self):
        # With only vocational programs selected, Russia still offers its one vocational program.
        country = facet(filtered(ProgramFilter, "level=vocational&country=NZ"), "country")
        assert counts(country) == {"RU": 1, "NZ": 0}
        assert [option.value for option in country.options if option.selected] == ["NZ"]

    def test_country_counts_distinct_programs(self):
        assert counts(facet(filtered(ProgramFilter, ""), "country")) == {"RU": 8, "NZ": 1, "DE": 1}

    def test_level_and_status_counts(self):
        selection = filtered(ProgramFilter, "country=RU")
        assert counts(facet(selection, "level"))["bachelor"] == 4
        assert counts(facet(selection, "status")) == {
            "approved": 8, "enrolling": 1, "stopped_enrolling": 0, "closed": 0, "terminated": 0,
        }

    def test_discipline_options_only_present_ones(self):
        options = facet(filtered(ProgramFilter, "country=NZ"), "discipline").options
        assert [(o.value, o.count) for o in options] == [("cn-ug:100701", 1)]

    def test_typed_category_becomes_a_ticked_option(self):
        discipline = facet(filtered(ProgramFilter, "discipline=cn-grad:08"), "discipline")
        ticked = [option for option in discipline.options if option.selected]
        assert [(o.value, o.label) for o in ticked] == [("cn-grad:08", "Engineering")]

    def test_institute_facets(self):
        selection = filtered(JointInstituteFilter, "")
        assert counts(facet(selection, "country")) == {"RU": 2}
        assert counts(facet(selection, "level"))["bachelor"] == 1

    def test_agreement_facets(self):
        assert counts(facet(filtered(AgreementFilter, ""), "country")) == {"KR": 1, "JP": 1}


def test_drafts_never_counted():
    draft = ProgramFactory(name="Draft Program", publication_state="draft", level="master")
    assert draft not in filtered(ProgramFilter, "country=RU").qs
    assert draft not in filtered(ProgramFilter, "level=master").qs
    assert counts(facet(filtered(ProgramFilter, ""), "country"))["RU"] == 8
    assert counts(facet(filtered(ProgramFilter, ""), "level"))["master"] == 3  # the three CQUPT–FEFU master's programs


def test_draft_programs_do_not_reveal_an_institutes_levels():
    institute = JointInstitute.objects.get(slug="chongqing-tchaikovsky-conservatory-of-music")
    ProgramFactory(joint_institute=institute, level="doctorate", publication_state="draft")
    assert not filtered(JointInstituteFilter, "level=doctorate").qs.exists()
