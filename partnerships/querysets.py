"""Reads of partnership records. Views, filters, the API and exports call these."""
from django.apps import apps
from django.db.models import BooleanField, Case, CharField, Count, DateField, F, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce, NullIf

from catalog.models import Discipline, Institution
from catalog.querysets import INSTITUTION_NAME_FIELDS, discipline_counts
from core.choices import PublicationState
from core.querysets import PublishableQuerySet, distinct_pair_counts, iexact_any, normalise_country_codes
from core.search import search

from .choices import APPROVAL_ENDED, APPROVAL_HELD, ApprovalStatus, MemberRole


def _model(name):
    return apps.get_model("partnerships", name)


def _holds_approval(prefix: str = "") -> Q:
    """Q for a record (or the record at ``prefix``) whose own fields say it was approved: a status that
    holds an approval, or an approval date with no status."""
    return Q(**{f"{prefix}approval_status__in": APPROVAL_HELD}) | Q(
        **{f"{prefix}approval_status": "", f"{prefix}approval_date__isnull": False}
    )

# The columns every listing of approved records (programs, institutes) shows.
LISTING_FIELDS = ("slug", "name", "publication_state", "approval_status", "approval_date", "approval_date_precision")


class ApprovedQuerySet(PublishableQuerySet):
    """Shared reads of records that carry approval fields and a city.

    The *effective* approval is what the public pages, the ``status`` filter and its facet use:
    a record's own approval, or (for a program run by a joint institute) its institute's.
    """

    def _effective_approval(self) -> dict:
        """The effective approval's expressions (here: the record's own fields)."""
        return {
            "effective_approval_status": Case(
                When(~Q(approval_status=""), then=F("approval_status")),
                When(approval_date__isnull=False, then=Value(ApprovalStatus.APPROVED)),
                default=Value(""), output_field=CharField(),
            ),
            "effective_approval_date": F("approval_date"),
            "effective_approval_date_precision": F("approval_date_precision"),
            "effective_approving_authority": F("approving_authority"),
            "approval_from_institute": Value(False, output_field=BooleanField()),
        }

    def with_effective_approval(self):
        """Annotate ``effective_approval_status``, ``effective_approval_date`` (and its precision),
        ``effective_approving_authority`` and ``approval_from_institute``. Only joins, no subquery."""
        if "effective_approval_status" in self.query.annotations:
            return self
        return self.annotate(**self._effective_approval())

    def with_statuses(self, statuses):
        """Records whose effective status is one of ``statuses``; "approved" means any status that
        holds an approval (approved, enrolling, stopped enrolling), as a family reads it."""
        wanted = set(statuses)
        if ApprovalStatus.APPROVED in wanted:
            wanted |= set(APPROVAL_HELD)
        return self.with_effective_approval().filter(effective_approval_status__in=wanted)

    def status_counts(self) -> dict[str, int]:
        """How many records ``with_statuses([status])`` finds, per status: one aggregate query."""
        held = Q(effective_approval_status__in=APPROVAL_HELD)
        counts = {
            status: Count("pk", filter=held if status == ApprovalStatus.APPROVED else Q(effective_approval_status=status))
            for status in ApprovalStatus.values
        }
        return self.with_effective_approval().order_by().aggregate(**counts)

    def in_cities(self, cities):
        return self.filter(iexact_any("city", cities))

    def latest_approvals(self):
        return self.filter(approval_date__isnull=False).order_by("-approval_date", "name")

    def holding_approval_number(self, *spellings: str):
        """Records whose approval number is one of ``spellings`` (ignoring case and surrounding spaces)."""
        return self.filter(iexact_any("approval_number", spellings))


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
        links = _model("InstituteMember").objects.filter(joint_institute__in=self.values("pk"), role=MemberRole.PARTNER)
        return distinct_pair_counts(links, "joint_institute_id", "institution__country")

    def level_counts(self) -> dict[str, int]:
        programs = _model("Program").objects.published().filter(joint_institute__in=self.values("pk"))
        return distinct_pair_counts(programs, "joint_institute_id", "level")

    def discipline_counts(self, limit: int) -> list[dict]:
        links = _model("Program").disciplines.through.objects.filter(
            program__joint_institute__in=self.values("pk"), program__in=_model("Program").objects.published().values("pk")
        )
        return discipline_counts(links, "program__joint_institute", limit)

    def search(self, text: str):
        """By their names, their members' names, and their published programs' (``core.search``)."""
        return search(self, text)

    def with_related(self):
        return self.prefetch_related(
            "members_links__institution", "sources", "programs"
        )

    def for_listing(self):
        """The columns institute_results.html shows; of the programs only what counting them needs."""
        members = _model("InstituteMember").objects.select_related("institution").only(
            "joint_institute_id", "role", *(f"institution__{field}" for field in INSTITUTION_NAME_FIELDS)
        )
        programs = _model("Program").objects.only("joint_institute_id", "publication_state")
        return self.only(*LISTING_FIELDS, "native_name", "city").prefetch_related(
            Prefetch("members_links", queryset=members), Prefetch("programs", queryset=programs)
        )

    def with_names(self):
        return self.prefetch_related("members_links__institution__aliases")


class ProgramQuerySet(ApprovedQuerySet):
    def _effective_approval(self) -> dict:
        # A program that states no approval of its own is approved through its published joint
        # institute when the institute is (and closed or terminated when the institute is).
        institute_published = Q(joint_institute__publication_state=PublicationState.PUBLISHED)
        from_institute = Q(approval_date__isnull=True) & institute_published & (
            _holds_approval("joint_institute__") | Q(joint_institute__approval_status__in=APPROVAL_ENDED)
        )

        def institute(field):
            return Case(When(from_institute, then=F(f"joint_institute__{field}")))

        return {
            "effective_approval_status": Case(
                When(~Q(approval_status=""), then=F("approval_status")),
                When(approval_date__isnull=False, then=Value(ApprovalStatus.APPROVED)),
                When(institute_published & _holds_approval("joint_institute__"), then=Value(ApprovalStatus.APPROVED)),
                When(institute_published, then=Coalesce("joint_institute__approval_status", Value(""))),
                default=Value(""), output_field=CharField(),
            ),
            "effective_approval_date": Coalesce("approval_date", institute("approval_date"), output_field=DateField()),
            "effective_approval_date_precision": Case(
                When(approval_date__isnull=False, then=F("approval_date_precision")),
                default=Coalesce(institute("approval_date_precision"), Value("")), output_field=CharField(),
            ),
            "effective_approving_authority": Coalesce(
                NullIf("approving_authority", Value("")), institute("approving_authority"), Value(""),
                output_field=CharField(),
            ),
            "approval_from_institute": Case(When(from_institute, then=Value(True)), default=Value(False),
                                            output_field=BooleanField()),
        }

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
        links = _model("ProgramPartner").objects.filter(program__in=self.values("pk")).exclude(institution__country="CN")
        return distinct_pair_counts(links, "program_id", "institution__country")

    def discipline_counts(self, limit: int) -> list[dict]:
        # A program meets each discipline in one row of its own table: no COUNT(DISTINCT) needed.
        links = _model("Program").disciplines.through.objects.filter(program__in=self.values("pk"))
        return discipline_counts(links, "program", limit, distinct=False)

    def stem(self):
        return self.filter(self._with_disciplines(discipline__is_stem=True))

    def search(self, text: str):
        """By their names, their host's, partners', institute's and disciplines' (``core.search``)."""
        return search(self, text)

    def with_related(self):
        return self.select_related("host", "joint_institute").prefetch_related(
            "partners", "disciplines", "sources"
        )

    def for_listing(self):
        """The columns program_results.html shows (not the description, not the sources)."""
        partners = Institution.objects.only(*INSTITUTION_NAME_FIELDS)
        return (
            self.select_related("host", "joint_institute")
            .only(*LISTING_FIELDS, "native_name", "level", "city", "host", "joint_institute",
                  *(f"host__{field}" for field in INSTITUTION_NAME_FIELDS),
                  *(f"joint_institute__{field}" for field in ("slug", "name", "abbreviation", "publication_state")))
            .prefetch_related(Prefetch("partners", queryset=partners), "disciplines")
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
        links = _model("AgreementParty").objects.filter(agreement__in=self.values("pk")).exclude(institution__country="CN")
        return distinct_pair_counts(links, "agreement_id", "institution__country")

    def search(self, text: str):
        """By their titles and their parties' names (``core.search``)."""
        return search(self, text)

    def with_related(self):
        return self.prefetch_related("parties", "sources", "activities")

    def for_listing(self):
        parties = Institution.objects.only(*INSTITUTION_NAME_FIELDS)
        return self.only("slug", "title", "kind", "status", "signed_on", "signed_on_precision", "publication_state",
                         ).prefetch_related(Prefetch("parties", queryset=parties))

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
