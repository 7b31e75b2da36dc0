"""Writes that touch several partnership models at once. Each is atomic and validates with full_clean()."""
from decimal import Decimal

from django.db import transaction

from catalog.models import Discipline, Institution, Region, Source
from catalog.services import save_changes

from .choices import MemberRole, Qualifier, Unit
from .models import (
    Activity,
    ActivityHost,
    Agreement,
    AgreementParty,
    Figure,
    InstituteMember,
    JointInstitute,
    Program,
    ProgramPartner,
)


def _by_slug(model, slug: str):
    return model.objects.filter(slug=slug).first() or model(slug=slug)


def _set_links(through, owner_field: str, owner, institutions, **extra) -> None:
    """Make ``through`` rows for ``owner`` exactly ``institutions`` (with ``extra`` fields)."""
    wanted = {institution.pk for institution in institutions}
    existing = through.objects.filter(**{owner_field: owner}, **extra)
    existing.exclude(institution_id__in=wanted).delete()
    present = set(existing.values_list("institution_id", flat=True))
    for institution in institutions:
        if institution.pk not in present:
            link = through(**{owner_field: owner, "institution": institution}, **extra)
            link.full_clean()
            link.save()


@transaction.atomic
def upsert_joint_institute(
    *, slug: str, hosts: list[Institution], partners: list[Institution], sources: list[Source], **fields
) -> JointInstitute:
    """Create or update a joint institute together with its Chinese hosts and foreign partners."""
    institute = _by_slug(JointInstitute, slug)
    save_changes(institute, fields)
    _set_links(InstituteMember, "joint_institute", institute, hosts, role=MemberRole.HOST)
    _set_links(InstituteMember, "joint_institute", institute, partners, role=MemberRole.PARTNER)
    institute.sources.set(sources)
    return institute


@transaction.atomic
def upsert_program(
    *,
    slug: str,
    host: Institution,
    partners: list[Institution],
    disciplines: list[Discipline],
    sources: list[Source],
    **fields,
) -> Program:
    """Create or update a program with its partners, disciplines and sources."""
    program = _by_slug(Program, slug)
    save_changes(program, {"host": host, **fields})
    _set_links(ProgramPartner, "program", program, partners)
    program.disciplines.set(disciplines)
    program.sources.set(sources)
    return program


@transaction.atomic
def upsert_agreement(*, slug: str, parties: list[Institution], sources: list[Source], **fields) -> Agreement:
    agreement = _by_slug(Agreement, slug)
    save_changes(agreement, fields)
    _set_links(AgreementParty, "agreement", agreement, parties)
    agreement.sources.set(sources)
    return agreement


@transaction.atomic
def upsert_activity(
    *,
    slug: str,
    organizer: Institution,
    hosts: list[Institution],
    agreements: list[Agreement],
    sources: list[Source],
    **fields,
) -> Activity:
    activity = _by_slug(Activity, slug)
    save_changes(activity, {"organizer": organizer, **fields})
    _set_links(ActivityHost, "activity", activity, hosts)
    activity.agreements.set(agreements)
    activity.sources.set(sources)
    return activity


@transaction.atomic
def upsert_figure(
    *,
    subject: Institution | JointInstitute | Program | Region,
    metric: str,
    source: Source,
    value: Decimal | int,
    unit: str = Unit.COUNT,
    qualifier: str = Qualifier.EXACT,
    period_start: int | None = None,
    period_end: int | None = None,
    note: str = "",
    publication_state: str,
) -> Figure:
    """Create or update the one figure a source gives for a subject, metric and period."""
    lookup = {
        "metric": metric,
        "source": source,
        "period_start": period_start,
        "period_end": period_end,
    }
    figure = Figure.objects.about(subject).filter(**lookup).first()
    if figure is None:
        figure = Figure(**lookup)
        setattr(figure, Figure.subject_field_for(subject), subject)
    save_changes(figure, {
        "value": Decimal(value), "unit": unit, "qualifier": qualifier, "note": note,
        "publication_state": publication_state,
    })
    return figure
