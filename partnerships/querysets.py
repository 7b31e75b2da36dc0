"""Reads of partnership records. Views, filters, the API and exports call these."""
from django.apps import apps
from django.db.models import Count, Q

from catalog.models import Discipline, Institution
from catalog.querysets import discipline_counts
from core.choices import PublicationState
from core.querysets import PublishableQuerySet, iexact_any, normalise_country_codes, own_name_matches

from .choices import MemberRole


def _model(name):
    return apps.get_model("partnerships", name)


class ApprovedQuerySet(PublishableQuerySet):
    """Shared reads of records that carry approval fields and a city."""

    def in_cities(self, cities):
        return self.filter(iexact_any("city", cities))

    def latest_approvals(self):
        return self.filter(approval_date__isnull=False).order_by("-approval_date", "name")


class JointInstituteQuerySet(ApprovedQuerySet):
    # Filters use uncorrelated ``pk__in`` subqueries: the database evaluates them once,
    # where a correlated EXISTS ran once per row on SQLite (see bench/pages.py).
    def _with_members(self, role=None, **lookups):
        members = _model("InstituteMember").objects.filter(**lookups)
        if role:
            members = members.filter(role=role)
        return Q(pk__in=members.values("joint_institute_id"))

    def matching_name(self, text: str):
        """Institutes called ``text`` by name, abbreviation or slug, ignoring case and spacing."""
        name = " ".join(text.split())
        return self.filter(Q(name__iexact=name) | Q(abbreviation__iexact=name) | Q(slug=name)) if name else self.none()

    def partnered_with_countries(self, codes):
        return self.filter(
            self._with_members(MemberRole.PARTNER, institution__country__in=normalise_country_codes(codes))
        )

    def in_disciplines(self, keys):
        # Only published programs count: a draft must not reveal what an institute teaches.
        programs = _model("Program").objects.published().in_disciplines(keys)
        return self.filter(pk__in=programs.values("joint_institute_id"))

    def offering_levels(self, levels):
        programs = _model("Program").objects.published().filter(level__in=levels)
        return self.filter(pk__in=programs.values("joint_institute_id"))

    def with_member(self, institution):
        return self.filter(self._with_members(institution=institution))

    # Facet counts: one aggregate query each, over the institutes in this queryset.
    def partner_country_counts(self) -> dict[str, int]:
        rows = (
            _model("InstituteMember").objects.filter(joint_institute__in=self.values("pk"), role=MemberRole.PARTNER)
            .values("institution__country").annotate(n=Count("joint_institute", distinct=True)).order_by()
        )
        return {row["institution__country"]: row["n"] for row in rows}

    def level_counts(self) -> dict[str, int]:
        rows = (
            _model("Program").objects.published().filter(joint_institute__in=self.values("pk"))
            .values("level").annotate(n=Count("joint_institute", distinct=True)).order_by()
        )
        return {row["level"]: row["n"] for row in rows}

    def discipline_counts(self, limit: int) -> list[dict]:
        links = _model("Program").disciplines.through.objects.filter(
            program__joint_institute__in=self.values("pk"), program__in=_model("Program").objects.published().values("pk")
        )
        return discipline_counts(links, "program__joint_institute", limit)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(own_name_matches(text) | self._with_members(institution__in=Institution.objects.search(text)))

    def with_related(self):
        return self.prefetch_related(
            "members_links__institution", "sources", "programs"
        )

    def with_names(self):
        return self.prefetch_related("members_links__institution__aliases")


class ProgramQuerySet(ApprovedQuerySet):
    @staticmethod
    def _with_partners(**lookups) -> Q:
        return Q(pk__in=_model("ProgramPartner").objects.filter(**lookups).values("program_id"))

    @staticmethod
    def _with_disciplines(**lookups) -> Q:
        return Q(pk__in=_model("Program").disciplines.through.objects.filter(**lookups).values("program_id"))

    def partnered_with_countries(self, codes):
        return self.filter(self._with_partners(institution__country__in=normalise_country_codes(codes)))

    def in_disciplines(self, keys):
        return self.filter(self._with_disciplines(discipline__in=Discipline.objects.matching_any(keys)))

    def hosted_by(self, institution):
        return self.filter(host=institution)

    def partnered_by(self, institution):
        return self.filter(self._with_partners(institution=institution))

    def outside_joint_institutes(self):
        """Cooperative programs in their own right (中外合作办学项目), not programs run by a joint institute."""
        return self.filter(joint_institute__isnull=True)

    # Facet counts: one aggregate query each, over the programs in this queryset.
    def partner_country_counts(self) -> dict[str, int]:
        rows = (
            _model("ProgramPartner").objects.filter(program__in=self.values("pk")).exclude(institution__country="CN")
            .values("institution__country").annotate(n=Count("program", distinct=True)).order_by()
        )
        return {row["institution__country"]: row["n"] for row in rows}

    def discipline_counts(self, limit: int) -> list[dict]:
        links = _model("Program").disciplines.through.objects.filter(program__in=self.values("pk"))
        return discipline_counts(links, "program", limit)

    def stem(self):
        return self.filter(self._with_disciplines(discipline__is_stem=True))

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        institutions = Institution.objects.search(text)
        return self.filter(
            own_name_matches(text, fields=("name", "native_name"))
            | Q(host__in=institutions)
            | Q(joint_institute__in=_model("JointInstitute").objects.filter(own_name_matches(text)))
            | self._with_partners(institution__in=institutions)
        )

    def with_related(self):
        return self.select_related("host", "joint_institute").prefetch_related(
            "partners", "disciplines", "sources"
        )

    def with_names(self):
        return self.prefetch_related("host__aliases", "partners__aliases")


class AgreementQuerySet(PublishableQuerySet):
    @staticmethod
    def _with_parties(**lookups) -> Q:
        return Q(pk__in=_model("AgreementParty").objects.filter(**lookups).values("agreement_id"))

    def partnered_with_countries(self, codes):
        foreign = [code for code in normalise_country_codes(codes) if code != "CN"]
        return self.filter(self._with_parties(institution__country__in=foreign))

    def with_party(self, institution):
        return self.filter(self._with_parties(institution=institution))

    def partner_country_counts(self) -> dict[str, int]:
        rows = (
            _model("AgreementParty").objects.filter(agreement__in=self.values("pk")).exclude(institution__country="CN")
            .values("institution__country").annotate(n=Count("agreement", distinct=True)).order_by()
        )
        return {row["institution__country"]: row["n"] for row in rows}

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(title__icontains=text) | self._with_parties(institution__in=Institution.objects.search(text)))

    def with_related(self):
        return self.prefetch_related("parties", "sources", "activities")

    def with_names(self):
        return self.prefetch_related("parties__aliases")


class ActivityQuerySet(PublishableQuerySet):
    def involving(self, institution):
        hosted = _model("ActivityHost").objects.filter(institution=institution).values("activity_id")
        return self.filter(Q(organizer=institution) | Q(pk__in=hosted))

    def with_related(self):
        return self.select_related("organizer").prefetch_related("hosts", "agreements", "sources")

    def with_names(self):
        return self.prefetch_related("organizer__aliases", "hosts__aliases")


class FigureQuerySet(PublishableQuerySet):
    def about(self, subject):
        """Figures whose subject is ``subject`` (an institution, institute, program or region)."""
        return self.filter(**{self.model.subject_field_for(subject): subject})

    def covering_year(self, year: int):
        """Figures whose period includes ``year`` (an open start means 'up to')."""
        return self.filter(
            (Q(period_start__lte=year) | Q(period_start__isnull=True, period_end__isnull=False))
            & (Q(period_end__gte=year) | Q(period_end__isnull=True, period_start__isnull=False))
        )

    def about_regions(self):
        return self.filter(region__isnull=False)

    def with_published_subject(self):
        """Figures whose subject is published too, for lists that do not start from the subject."""
        published = PublicationState.PUBLISHED
        return self.filter(
            Q(institution__publication_state=published) | Q(joint_institute__publication_state=published)
            | Q(program__publication_state=published) | Q(region__publication_state=published)
        )

    def public(self):
        """The figures the public may see: published, about a published subject (issue 9). Every public
        read (pages, CSV, /data/, API, statistics) starts here, not from ``published()``."""
        return self.published().with_published_subject()

    def chronological(self):
        return self.order_by("metric", "period_start", "period_end", "pk")

    def with_related(self):
        return self.select_related("institution", "joint_institute", "program", "region", "source")
