"""factory_boy factories for every model; each builds a valid, published record by default."""
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from catalog.choices import DisciplineCatalogue, DisciplineRank, InstitutionKind, RegionKind
from catalog.models import Discipline, Institution, InstitutionAlias, Region, Source
from core.choices import PublicationState
from partnerships.choices import AgreementKind, AgreementStatus, MemberRole, Metric, ProgramLevel, Unit
from partnerships.models import (
    Activity,
    Agreement,
    AgreementParty,
    Figure,
    InstituteMember,
    JointInstitute,
    Program,
    ProgramPartner,
)


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source article {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    kind = RegionKind.PROVINCE
    country = "CN"
    publication_state = PublicationState.PUBLISHED


class DisciplineFactory(DjangoModelFactory):
    class Meta:
        model = Discipline

    catalogue = DisciplineCatalogue.ISCED
    code = factory.Sequence(lambda n: f"9{n:03d}")
    name = factory.Sequence(lambda n: f"Discipline {n}")
    rank = DisciplineRank.DETAILED


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Test University {n}")
    slug = factory.Sequence(lambda n: f"test-university-{n}")
    kind = InstitutionKind.UNIVERSITY
    country = "CN"
    city = "Chongqing"
    publication_state = PublicationState.PUBLISHED


class ForeignInstitutionFactory(InstitutionFactory):
    country = "RU"
    city = ""


class InstitutionAliasFactory(DjangoModelFactory):
    class Meta:
        model = InstitutionAlias

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class JointInstituteFactory(DjangoModelFactory):
    class Meta:
        model = JointInstitute
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Joint Institute {n}")
    slug = factory.Sequence(lambda n: f"joint-institute-{n}")
    city = "Chongqing"
    publication_state = PublicationState.PUBLISHED

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        if create:
            for institution in extracted or [InstitutionFactory()]:
                InstituteMember.objects.create(joint_institute=self, institution=institution, role=MemberRole.HOST)

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create:
            for institution in extracted or [ForeignInstitutionFactory()]:
                InstituteMember.objects.create(joint_institute=self, institution=institution, role=MemberRole.PARTNER)


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    level = ProgramLevel.BACHELOR
    host = factory.SubFactory(InstitutionFactory)
    city = "Chongqing"
    publication_state = PublicationState.PUBLISHED

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create:
            for institution in extracted or [ForeignInstitutionFactory()]:
                ProgramPartner.objects.create(program=self, institution=institution)

    @factory.post_generation
    def disciplines(self, create, extracted, **kwargs):
        if create and extracted:
            self.disciplines.set(extracted)


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Agreement {n}")
    slug = factory.Sequence(lambda n: f"agreement-{n}")
    kind = AgreementKind.MOU
    status = AgreementStatus.SIGNED
    publication_state = PublicationState.PUBLISHED

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create:
            for institution in extracted or [InstitutionFactory(), ForeignInstitutionFactory()]:
                AgreementParty.objects.create(agreement=self, institution=institution)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Delegation visit {n}")
    slug = factory.Sequence(lambda n: f"delegation-visit-{n}")
    kind = "delegation_visit"
    organizer = factory.SubFactory(InstitutionFactory)
    publication_state = PublicationState.PUBLISHED


class FigureFactory(DjangoModelFactory):
    class Meta:
        model = Figure

    institution = factory.SubFactory(InstitutionFactory)
    metric = Metric.GRADUATE_STUDENTS
    value = Decimal("100")
    unit = Unit.COUNT
    period_start = 2024
    period_end = 2024
    source = factory.SubFactory(SourceFactory)
    publication_state = PublicationState.PUBLISHED
