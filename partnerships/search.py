"""What search (``core.search_index``) knows of partnership records: each kind's names, and the names
of the institutions and disciplines it is tied to, so a host's alias or a discipline's Chinese name finds it."""
from django.db.models import Q
from django.utils.translation import ngettext

from catalog.models import Discipline, Institution
from catalog.search import discipline_names, institution_names
from core.search_index import search_index

from .models import Agreement, AgreementParty, InstituteMember, JointInstitute, Program, ProgramPartner


def _institutions(institutions) -> list[str]:
    return [name for institution in institutions for name in institution_names(institution)]


def program_related(program) -> list[str]:
    institute = program.joint_institute
    return [
        *_institutions([program.host, *program.partners.all()]),
        *([institute.name, institute.native_name, institute.abbreviation] if institute else []),
        *(name for discipline in program.disciplines.all() for name in discipline_names(discipline)),
    ]


def _program_summary(program) -> str:
    return ", ".join(str(part) for part in (program.get_level_display(), program.host.abbreviation or program.host.name) if part)


def institutes_through_programs(matching_ids):
    """Institutes whose published programs match: ``计算机`` finds the institute teaching computer science."""
    return Program.objects.published().filter(pk__in=matching_ids(Program), joint_institute__isnull=False) \
        .values("joint_institute_id")


def _ids(queryset) -> list:
    return list(queryset.values_list("pk", flat=True).distinct())


def register() -> None:
    search_index.register(
        Program,
        names=lambda program: [program.name, program.native_name],
        related=program_related,
        prefetch=("host__aliases", "partners__aliases", "disciplines", "joint_institute"),
        m2m=("disciplines", "partners"),
        listing="partnerships:program_list",
        order=10,
        summary=_program_summary,
        counted=lambda n: ngettext("%(count)d program", "%(count)d programs", n) % {"count": n},
    )
    search_index.register(
        JointInstitute,
        names=lambda institute: [institute.name, institute.native_name, institute.abbreviation],
        related=lambda institute: _institutions(link.institution for link in institute.members_links.all()),
        prefetch=("members_links__institution__aliases",),
        m2m=("members",),
        listing="partnerships:institute_list",
        order=20,
        summary=lambda institute: institute.city,
        counted=lambda n: ngettext("%(count)d joint institute", "%(count)d joint institutes", n) % {"count": n},
    )
    search_index.add_via(JointInstitute, institutes_through_programs)
    search_index.register(
        Agreement,
        names=lambda agreement: [agreement.title],
        related=lambda agreement: _institutions(agreement.parties.all()),
        prefetch=("parties__aliases",),
        m2m=("parties",),
        listing="partnerships:agreement_list",
        order=40,
        summary=lambda agreement: agreement.get_kind_display(),
        counted=lambda n: ngettext("%(count)d agreement", "%(count)d agreements", n) % {"count": n},
    )
    search_index.part(ProgramPartner, of="program")
    search_index.part(InstituteMember, of="joint_institute")
    search_index.part(AgreementParty, of="agreement")
    search_index.depends(Program, on=Institution, ids=lambda pks: _ids(Program.objects.filter(
        Q(host__in=pks) | Q(pk__in=ProgramPartner.objects.filter(institution__in=pks).values("program_id")))))
    search_index.depends(Program, on=Discipline, ids=lambda pks: _ids(Program.objects.filter(disciplines__in=pks)))
    search_index.depends(Program, on=JointInstitute, ids=lambda pks: _ids(Program.objects.filter(joint_institute__in=pks)))
    search_index.depends(JointInstitute, on=Institution, ids=lambda pks: _ids(
        JointInstitute.objects.filter(members_links__institution__in=pks)))
    search_index.depends(Agreement, on=Institution, ids=lambda pks: _ids(
        Agreement.objects.filter(party_links__institution__in=pks)))
