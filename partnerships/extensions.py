"""What partnerships adds to lower apps through their extension points (see ``core.extensions``),
registered from ``PartnershipsConfig.ready()``: catalog's pages show these records, and its
institution queries follow these ties, without catalog importing partnerships."""
from catalog.extensions import InstitutionDisciplineLink, institution_discipline_links
from catalog.models import Discipline, Institution, Region, Source
from core.choices import PublicationState
from core.extensions import detail_sections
from core.listing import section

from .models import Activity, Agreement, Figure, JointInstitute, Program
from .statistics import region_completeness


def published_figures(subject):
    return Figure.objects.public().about(subject).with_related().chronological()


def institution_sections(institution: Institution) -> dict:
    return {
        "institutes": JointInstitute.objects.published().with_member(institution).with_related().with_names(),
        "hosted_programs": Program.objects.published().hosted_by(institution).with_related().with_names(),
        "partnered_programs": Program.objects.published().partnered_by(institution).with_related().with_names(),
        "agreements": Agreement.objects.published().with_party(institution).with_related().with_names(),
        "activities": Activity.objects.published().involving(institution).with_related().with_names(),
        "figures": published_figures(institution),
    }


def discipline_sections(discipline: Discipline) -> dict:
    """Programs and joint institutes in the discipline or below it."""
    key = [(discipline.catalogue, discipline.code)]
    return {
        "programs": section(Program.objects.published().in_disciplines(key).for_listing().with_names(),
                            "partnerships:program_list", discipline=discipline.key),
        "institutes": section(JointInstitute.objects.published().in_disciplines(key).only("slug", "name", "native_name"),
                              "partnerships:institute_list", discipline=discipline.key),
    }


def region_sections(region: Region) -> dict:
    """The region's figures, its reported totals beside the registry's, and what the registry holds there."""
    city = [region.name]
    return {
        "figures": published_figures(region),
        "completeness": region_completeness(region),
        "institutes": JointInstitute.objects.published().in_cities(city).with_related().with_names(),
        "programs": Program.objects.published().in_cities(city).with_related().with_names(),
    }


def source_sections(source: Source) -> dict:
    """The published partnership records that cite the source."""
    return {
        "institutes": source.joint_institutes.published(),
        "programs": source.programs.published().select_related("host"),
        "agreements": source.agreements.published(),
        "activities": source.activities.published(),
        "figures": source.figures.public().with_related(),
    }


def published_program_disciplines():
    """The (program, discipline) rows of published programs: only these tell what an institution teaches."""
    return Program.disciplines.through.objects.filter(program__publication_state=PublicationState.PUBLISHED)


def register() -> None:
    detail_sections.register(Institution, institution_sections)
    detail_sections.register(Discipline, discipline_sections)
    detail_sections.register(Region, region_sections)
    detail_sections.register(Source, source_sections)
    # An institution is in a discipline when it hosts a program in it, or partners in one.
    for institution in ("program__host", "program__partner_links__institution"):
        institution_discipline_links.register(
            InstitutionDisciplineLink(published_program_disciplines, institution=institution, discipline="discipline")
        )
