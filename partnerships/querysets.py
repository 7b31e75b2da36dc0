"""Reads of partnership records. Views, filters, the API and exports call these."""
from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from catalog.models import Discipline, Institution
from catalog.querysets import PublishableQuerySet, iexact_any, normalise_country_codes, own_name_matches

from .choices import MemberRole


def _model(name):
    return apps.get_model("partnerships", name)


class ApprovedQuerySet(PublishableQuerySet):
    """Shared reads of records that carry approval fields and a city."""

    def with_approval_status(self, statuses):
        return self.filter(approval_status__in=statuses)

    def in_cities(self, cities):
        return self.filter(iexact_any("city", cities))

    def latest_approvals(self):
        return self.filter(approval_date__isnull=False).order_by("-approval_date", "name")


class JointInstituteQuerySet(ApprovedQuerySet):
    def _members(self, role=None):
        members = _model("InstituteMember").objects.filter(joint_institute=OuterRef("pk"))
        return members.filter(role=role) if role else members

    def partnered_with_countries(self, codes):
        partners = self._members(MemberRole.PARTNER).filter(institution__country__in=normalise_country_codes(codes))
        return self.filter(Exists(partners))

    def in_disciplines(self, keys):
        programs = _model("Program").objects.filter(joint_institute=OuterRef("pk")).in_disciplines(keys)
        return self.filter(Exists(programs))

    def offering_levels(self, levels):
        return self.filter(Exists(_model("Program").objects.filter(joint_institute=OuterRef("pk"), level__in=levels)))

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        member_hit = self._members().filter(institution__in=Institution.objects.search(text))
        return self.filter(own_name_matches(text) | Exists(member_hit))

    def with_related(self):
        return self.prefetch_related(
            "members_links__institution", "sources", "programs"
        )


class ProgramQuerySet(ApprovedQuerySet):
    def partnered_with_countries(self, codes):
        partners = _model("ProgramPartner").objects.filter(
            program=OuterRef("pk"), institution__country__in=normalise_country_codes(codes)
        )
        return self.filter(Exists(partners))

    def in_disciplines(self, keys):
        links = _model("Program").disciplines.through.objects.filter(
            program=OuterRef("pk"), discipline__in=Discipline.objects.matching_any(keys)
        )
        return self.filter(Exists(links))

    def at_levels(self, levels):
        return self.filter(level__in=levels)

    def stem(self):
        links = _model("Program").disciplines.through.objects.filter(program=OuterRef("pk"), discipline__is_stem=True)
        return self.filter(Exists(links))

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        institutions = Institution.objects.search(text)
        partner_hit = _model("ProgramPartner").objects.filter(program=OuterRef("pk"), institution__in=institutions)
        return self.filter(
            own_name_matches(text, fields=("name", "native_name"))
            | Q(host__in=institutions)
            | Q(joint_institute__in=_model("JointInstitute").objects.filter(own_name_matches(text)))
            | Exists(partner_hit)
        )

    def with_related(self):
        return self.select_related("host", "joint_institute").prefetch_related(
            "partners", "disciplines", "sources"
        )


class AgreementQuerySet(PublishableQuerySet):
    def partnered_with_countries(self, codes):
        parties = _model("AgreementParty").objects.filter(
            agreement=OuterRef("pk"), institution__country__in=normalise_country_codes(codes)
        ).exclude(institution__country="CN")
        return self.filter(Exists(parties))

    def of_kinds(self, kinds):
        return self.filter(kind__in=kinds)

    def with_status(self, statuses):
        return self.filter(status__in=statuses)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        party_hit = _model("AgreementParty").objects.filter(
            agreement=OuterRef("pk"), institution__in=Institution.objects.search(text)
        )
        return self.filter(Q(title__icontains=text) | Exists(party_hit))

    def with_related(self):
        return self.prefetch_related("parties", "sources", "activities")


class ActivityQuerySet(PublishableQuerySet):
    def with_related(self):
        return self.select_related("organizer").prefetch_related("hosts", "agreements", "sources")


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

    def for_metric(self, metric):
        return self.filter(metric=metric)

    def chronological(self):
        return self.order_by("metric", "period_start", "period_end", "pk")

    def with_related(self):
        return self.select_related("institution", "joint_institute", "program", "region", "source")
