"""China–foreign joint institutes, programs, agreements, activities and the figures about them."""
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Upper
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy as _, ngettext

from catalog.choices import DisciplineCatalogue
from catalog.models import Discipline, Institution, Region, Source
from core.choices import DatePrecision
from core.models import Publishable, RecordHistory

from . import approval
from .choices import (
    ActivityKind,
    AgreementKind,
    AgreementStatus,
    ApprovalStatus,
    DegreeModel,
    MemberRole,
    Metric,
    ProgramLevel,
    Qualifier,
    Unit,
)
from .querysets import (
    ActivityQuerySet,
    AgreementQuerySet,
    FigureQuerySet,
    JointInstituteQuerySet,
    ProgramQuerySet,
)

YEAR_VALIDATORS = [MinValueValidator(1949), MaxValueValidator(2100)]


def date_precision_errors(instance, date_field: str) -> dict:
    """Field errors when a date and its precision disagree (mirrors date_precision_constraint)."""
    value, precision = getattr(instance, date_field), getattr(instance, f"{date_field}_precision")
    if value and not precision:
        return {f"{date_field}_precision": _("Say how much of this date the source states: the day, the month or only the year.")}
    if precision and not value:
        return {date_field: _("Give the date, or leave its precision empty.")}
    return {}


def order_errors(instance, start_field: str, end_field: str, message) -> dict:
    """A field error on ``end_field`` when it comes before ``start_field``."""
    start, end = getattr(instance, start_field), getattr(instance, end_field)
    if start is not None and end is not None and end < start:
        return {end_field: message}
    return {}


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def date_precision_constraint(date_field: str, name: str) -> models.CheckConstraint:
    """A stated date has a precision; an unknown date has none."""
    precision = f"{date_field}_precision"
    return models.CheckConstraint(
        condition=Q(**{f"{date_field}__isnull": True, precision: ""})
        | (Q(**{f"{date_field}__isnull": False}) & ~Q(**{precision: ""})),
        name=name,
        violation_error_message=_("A date needs its precision (day, month or year), and only a date has one."),
    )


# The discipline catalogue that suits each level of program; ISCED-F suits every level, and a
# program whose level the source does not state may take any discipline.
LEVEL_CATALOGUES = {
    ProgramLevel.VOCATIONAL: DisciplineCatalogue.CN_VOC,
    ProgramLevel.BACHELOR: DisciplineCatalogue.CN_UG,
    ProgramLevel.GRADUATE: DisciplineCatalogue.CN_GRAD,
    ProgramLevel.MASTER: DisciplineCatalogue.CN_GRAD,
    ProgramLevel.DOCTORATE: DisciplineCatalogue.CN_GRAD,
}
ANY_LEVEL_CATALOGUE = DisciplineCatalogue.ISCED


def catalogues_for_level(level: str) -> list[str] | None:
    """The catalogues whose disciplines suit a program at ``level``; None when any will do."""
    catalogue = LEVEL_CATALOGUES.get(level)
    return [catalogue, ANY_LEVEL_CATALOGUE] if catalogue else None


def discipline_problems(level: str, disciplines) -> list[str]:
    """Why ``disciplines`` do not suit a program at ``level`` (empty when they do), naming each misfit
    and the catalogues that fit."""
    fitting = catalogues_for_level(level)
    misfits = [d for d in disciplines if fitting is not None and d.catalogue not in fitting]
    if not misfits:
        return []
    named = [gettext("%(discipline)s (%(catalogue)s)") % {"discipline": d, "catalogue": d.get_catalogue_display()}
             for d in misfits]
    return [gettext("Not for a “%(level)s” program: %(disciplines)s. Choose disciplines from the %(fitting)s.") % {
        "level": ProgramLevel(level).label,
        "disciplines": "; ".join(named),
        "fitting": get_text_list([str(DisciplineCatalogue(c).label) for c in fitting], gettext("or")),
    }]


class Approval(models.Model):
    """The Ministry of Education approval that makes a cooperative institute or program legal."""

    approving_authority = models.CharField(_("approving authority"), max_length=200, blank=True)
    approval_number = models.CharField(_("approval or licence number"), max_length=100, blank=True)
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    approval_date_precision = models.CharField(
        _("approval date precision"), max_length=5, choices=DatePrecision.choices, blank=True,
        help_text=_("How much of the approval date the source states (e.g. only the month)."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    approval_status = models.CharField(_("status"), max_length=20, choices=ApprovalStatus.choices, blank=True)

    class Meta:
        abstract = True
        constraints = [
            date_precision_constraint("approval_date", "%(app_label)s_%(class)s_approval_date_precision"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_validity_ends_after_start",
                violation_error_message=_("The approval cannot expire before it starts."),
            ),
        ]

    def get_effective_approval_status_display(self) -> str:
        """The label of the effective status (``with_effective_approval()``), else of the record's own."""
        status = getattr(self, "effective_approval_status", self.approval_status)
        return ApprovalStatus(status).label if status else ""

    def approval_errors(self) -> dict:
        errors = date_precision_errors(self, "approval_date") | order_errors(
            self, "valid_from", "valid_until", _("The approval cannot expire before it starts.")
        )
        problems = self.approval_number_problems()
        return errors | ({"approval_number": problems} if problems else {})

    @property
    def decoded_approval_number(self) -> "approval.ApprovalNumber | None":
        return approval.decode(self.approval_number) if self.approval_number else None

    def approval_regions(self) -> list[str]:
        """Names of the province the record is in, as far as its own fields tell (a formset or an import
        row checks the relations it edits)."""
        return approval.regions_of(self)

    def approval_number_problems(self) -> list[str]:
        """What is wrong with the approval number: its pattern, or how it disagrees with the record's own
        fields (the province, the approval date's year). Partners are checked where they are edited."""
        decoded = self.decoded_approval_number
        if decoded is None:
            return []
        if not decoded.is_valid:
            return decoded.errors
        return approval.record_problems(decoded, regions=self.approval_regions(),
                                        approval_year=self.approval_date.year if self.approval_date else None)


class InstitutionLink(models.Model):
    """A row naming one institution in a record: a program's foreign partner, an agreement's party or an
    activity's host. Each subclass declares its two foreign keys (``record_field`` names the one to the
    record) and the constraint that names an institution once per record."""

    record_field = ""

    class Meta:
        abstract = True
        ordering = ["institution__name"]

    def __str__(self) -> str:
        return str(self.institution)

    def get_absolute_url(self) -> str:
        return getattr(self, self.record_field).get_absolute_url()


class JointInstitute(Publishable, Approval):
    """A China–foreign cooperative education institution (中外合作办学机构)."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("English name"), max_length=255)
    native_name = models.CharField(_("Chinese name"), max_length=255, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=60, blank=True)
    members = models.ManyToManyField(
        Institution, through="InstituteMember", verbose_name=_("member institutions"), related_name="joint_institutes"
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    launched_on = models.DateField(_("launch date"), null=True, blank=True)
    launched_on_precision = models.CharField(
        _("launch date precision"), max_length=5, choices=DatePrecision.choices, blank=True
    )
    launch_note = models.CharField(
        _("note on the launch date"), max_length=300, blank=True, help_text=_("E.g. how an unstated year was inferred.")
    )
    degree_model = models.CharField(_("degree model"), max_length=20, choices=DegreeModel.choices, blank=True)
    dean = models.CharField(_("dean"), max_length=200, blank=True)
    enrollment_target = models.PositiveIntegerField(_("enrollment target"), null=True, blank=True)
    enrollment_target_note = models.CharField(_("enrollment target covers"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="joint_institutes")

    snapshot_parts = ("members_links", "figures")

    objects = JointInstituteQuerySet.as_manager()
    history = RecordHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("joint institute")
        verbose_name_plural = _("joint institutes")
        constraints = [
            *Approval.Meta.constraints,
            date_precision_constraint("launched_on", "jointinstitute_launch_date_precision"),
            models.UniqueConstraint(fields=["name"], name="jointinstitute_unique_name"),
        ]
        indexes = [
            models.Index(fields=["publication_state", "name", "id"], name="institute_listing_by_name"),
            models.Index(fields=["publication_state", "approval_date", "name"], name="institute_listing_by_approval"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:institute_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        raise_if(self.approval_errors() | date_precision_errors(self, "launched_on"))

    def _members_with_role(self, role):
        # Reads the prefetched members when with_related() was used.
        return [member.institution for member in self.members_links.all() if member.role == role]

    @property
    def hosts(self) -> list[Institution]:
        return self._members_with_role(MemberRole.HOST)

    @property
    def partners(self) -> list[Institution]:
        return self._members_with_role(MemberRole.PARTNER)


class InstituteMember(models.Model):
    joint_institute = models.ForeignKey(
        JointInstitute, verbose_name=_("joint institute"), on_delete=models.CASCADE, related_name="members_links"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="institute_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)

    class Meta:
        ordering = ["role", "institution__name"]
        verbose_name = _("member institution")
        verbose_name_plural = _("member institutions")
        constraints = [
            models.UniqueConstraint(fields=["joint_institute", "institution"], name="institutemember_unique_member"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return self.joint_institute.get_absolute_url()


class Program(Publishable, Approval):
    """A China–foreign cooperative degree program (中外合作办学项目), or a program of a joint institute."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=255)
    native_name = models.CharField(_("Chinese name"), max_length=255, blank=True)
    level = models.CharField(
        _("level"), max_length=12, choices=ProgramLevel.choices, blank=True,
        help_text=_("Leave empty when the source does not say."),
    )
    disciplines = models.ManyToManyField(Discipline, verbose_name=_("disciplines"), blank=True, related_name="programs")
    host = models.ForeignKey(
        Institution, verbose_name=_("Chinese host institution"), on_delete=models.PROTECT, related_name="hosted_programs"
    )
    partners = models.ManyToManyField(
        Institution, through="ProgramPartner", verbose_name=_("foreign partners"), related_name="partnered_programs"
    )
    joint_institute = models.ForeignKey(
        JointInstitute, verbose_name=_("joint institute"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="programs",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    degree_model = models.CharField(_("degree model"), max_length=20, choices=DegreeModel.choices, blank=True)
    duration_years = models.DecimalField(
        _("duration (years)"), max_digits=3, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("10"))],
    )
    annual_intake = models.PositiveIntegerField(_("annual intake"), null=True, blank=True)
    tuition_cny_per_year = models.PositiveIntegerField(_("tuition per year (CNY)"), null=True, blank=True)
    language = models.CharField(_("language of instruction"), max_length=100, blank=True)
    enrollment_start_year = models.PositiveSmallIntegerField(
        _("first enrollment year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    enrollment_end_year = models.PositiveSmallIntegerField(
        _("last enrollment year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    description = models.TextField(_("description"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="programs")

    snapshot_parts = ("partner_links", "figures")

    objects = ProgramQuerySet.as_manager()
    history = RecordHistory()

    class Meta:
        ordering = ["name", "host__name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            *Approval.Meta.constraints,
            models.CheckConstraint(
                condition=Q(enrollment_start_year__isnull=True)
                | Q(enrollment_end_year__isnull=True)
                | Q(enrollment_end_year__gte=F("enrollment_start_year")),
                name="program_enrollment_ends_after_start",
                violation_error_message=_("The last enrollment year cannot come before the first."),
            ),
            models.UniqueConstraint(
                fields=["host", "name", "level"], name="program_unique_name_level_per_host"
            ),
        ]
        # Published programs in each listing order (name, then the ``sort`` choices) and by each
        # filtered column; the page's LIMIT reads the index in order, facet counts group it.
        indexes = [
            models.Index(fields=["publication_state", "name", "id"], name="program_listing_by_name"),
            models.Index(fields=["publication_state", "approval_date", "name"], name="program_listing_by_approval"),
            models.Index(fields=["publication_state", "level", "name"], name="program_listing_by_level"),
            models.Index(fields=["publication_state", "city", "name"], name="program_listing_by_city"),
            models.Index(fields=["publication_state", "approval_status", "name"], name="program_listing_by_status"),
            models.Index(Upper("city"), name="program_city_any_case"),  # the city filter ignores case
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:program_detail", kwargs={"slug": self.slug})

    @property
    def duration_display(self) -> str:
        """"4 years", "1.5 years" (a fraction reads as plural); "" when the sources do not say."""
        years = self.duration_years
        if years is None:
            return ""
        whole = years == years.to_integral_value()
        text = number_format(years.quantize(Decimal(1)) if whole else years.normalize())
        return ngettext("%(years)s year", "%(years)s years", int(years) if whole else 2) % {"years": text}

    def approval_regions(self) -> list[str]:
        host = self.host if self.host_id else None
        return [*(approval.regions_of(host) if host else []), *super().approval_regions()]

    def clean(self):
        super().clean()
        raise_if(self.approval_errors() | order_errors(
            self, "enrollment_start_year", "enrollment_end_year",
            _("The last enrollment year cannot come before the first."),
        ))


class ProgramPartner(InstitutionLink):
    record_field = "program"

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="partner_links")
    institution = models.ForeignKey(
        Institution, verbose_name=_("partner institution"), on_delete=models.PROTECT, related_name="program_partnerships"
    )

    class Meta(InstitutionLink.Meta):
        verbose_name = _("foreign partner")
        verbose_name_plural = _("foreign partners")
        constraints = [
            models.UniqueConstraint(fields=["program", "institution"], name="programpartner_unique_partner"),
        ]
        # The country filter and facet go from partner institutions to their programs.
        indexes = [models.Index(fields=["institution", "program"], name="programpartner_by_institution")]


class Agreement(Publishable):
    """An MOU or an exchange, joint-research or dual-degree agreement between institutions."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    parties = models.ManyToManyField(
        Institution, through="AgreementParty", verbose_name=_("parties"), related_name="agreements"
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_on_precision = models.CharField(
        _("signing date precision"), max_length=5, choices=DatePrecision.choices, blank=True
    )
    scope = models.TextField(_("scope"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AgreementStatus.choices)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="agreements")

    snapshot_parts = ("party_links",)

    objects = AgreementQuerySet.as_manager()
    history = RecordHistory()

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            date_precision_constraint("signed_on", "agreement_signed_on_precision"),
            models.UniqueConstraint(fields=["title"], name="agreement_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:agreement_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        raise_if(date_precision_errors(self, "signed_on"))


class AgreementParty(InstitutionLink):
    record_field = "agreement"

    agreement = models.ForeignKey(Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="party_links")
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="agreement_parties"
    )

    class Meta(InstitutionLink.Meta):
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "institution"], name="agreementparty_unique_party"),
        ]


class Activity(Publishable):
    """A mobility or cooperation event, e.g. a delegation visit."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    organizer = models.ForeignKey(
        Institution, verbose_name=_("from institution"), on_delete=models.PROTECT, related_name="organized_activities"
    )
    hosts = models.ManyToManyField(
        Institution, through="ActivityHost", verbose_name=_("hosts visited"), related_name="hosted_activities"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    leader = models.CharField(_("led by"), max_length=200, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    agreements = models.ManyToManyField(
        Agreement, verbose_name=_("agreements that came of it"), blank=True, related_name="activities"
    )
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="activities")

    snapshot_parts = ("host_links",)

    objects = ActivityQuerySet.as_manager()
    history = RecordHistory()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="activity_ends_after_start",
                violation_error_message=_("The activity cannot end before it starts."),
            ),
            models.UniqueConstraint(fields=["title"], name="activity_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:activity_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        raise_if(order_errors(self, "start_date", "end_date", _("The activity cannot end before it starts.")))


class ActivityHost(InstitutionLink):
    record_field = "activity"

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="host_links")
    institution = models.ForeignKey(
        Institution, verbose_name=_("host institution"), on_delete=models.PROTECT, related_name="activity_hostings"
    )

    class Meta(InstitutionLink.Meta):
        verbose_name = _("host visited")
        verbose_name_plural = _("hosts visited")
        constraints = [
            models.UniqueConstraint(fields=["activity", "institution"], name="activityhost_unique_host"),
        ]


SUBJECT_FIELDS = ("institution", "joint_institute", "program", "region")


def _exactly_one_subject() -> Q:
    condition = Q(pk__in=[])
    for chosen in SUBJECT_FIELDS:
        condition |= Q(**{f"{field}__isnull": field != chosen for field in SUBJECT_FIELDS})
    return condition


def _unique_per_subject(field: str) -> models.UniqueConstraint:
    # Coalesce so an unknown period (NULL) still counts as a duplicate of itself.
    return models.UniqueConstraint(
        field, "metric", Coalesce("period_start", 0), Coalesce("period_end", 0), "source",
        condition=Q(**{f"{field}__isnull": False}),
        name=f"figure_unique_per_{field}",
        violation_error_message=_("This source already gives this figure for the same subject and period."),
    )


class Figure(Publishable):
    """One number about exactly one subject, as a source states it."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, null=True, blank=True, related_name="figures"
    )
    joint_institute = models.ForeignKey(
        JointInstitute, verbose_name=_("joint institute"), on_delete=models.PROTECT, null=True, blank=True, related_name="figures"
    )
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, null=True, blank=True, related_name="figures"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="figures"
    )
    metric = models.CharField(_("metric"), max_length=40, choices=Metric.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    qualifier = models.CharField(_("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    period_start = models.PositiveSmallIntegerField(
        _("from year"), null=True, blank=True, validators=YEAR_VALIDATORS,
        help_text=_("Leave empty for a cumulative figure up to the end year."),
    )
    period_end = models.PositiveSmallIntegerField(
        _("to year"), null=True, blank=True, validators=YEAR_VALIDATORS,
        help_text=_("Leave both years empty when the source gives no date."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("What exactly is counted, in the source's terms."))
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="figures")

    objects = FigureQuerySet.as_manager()
    history = RecordHistory()

    class Meta:
        ordering = ["metric", "period_start", "period_end", "pk"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_subject(),
                name="figure_exactly_one_subject",
                violation_error_message=_("A figure is about exactly one subject: an institution, a joint institute, a program or a region."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="figure_value_not_negative",
                violation_error_message=_("A figure cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(unit=Unit.PERCENT) | Q(value__lte=100), name="figure_percent_at_most_100",
                violation_error_message=_("A percentage cannot be more than 100."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_end__isnull=True) | Q(period_end__gte=F("period_start")),
                name="figure_period_ends_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            *[_unique_per_subject(field) for field in SUBJECT_FIELDS],
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.get_metric_display()} {self.display_value}"

    def get_absolute_url(self) -> str:
        return f"{self.subject.get_absolute_url()}#figure-{self.pk}"

    def clean(self):
        super().clean()
        errors = order_errors(self, "period_start", "period_end", _("The period cannot end before it starts."))
        if self.value is not None:
            if self.value < 0:
                errors["value"] = _("A figure cannot be negative.")
            elif self.unit == Unit.PERCENT and self.value > 100:
                errors["value"] = _("A percentage cannot be more than 100.")
            elif self.unit == Unit.COUNT and self.value != self.value.to_integral_value():
                errors["value"] = _("A count must be a whole number.")
        # A published figure about a draft would show the draft to the public (issue 9). A non-field
        # error, so every form shows it, the admin inline included, whichever fields it edits.
        subject = self.subject
        if self.is_published and subject is not None and not subject.is_published:
            errors[NON_FIELD_ERRORS] = _(
                "This figure cannot be published while “%(subject)s” is a draft: "
                "publish it first, or keep the figure a draft."
            ) % {"subject": subject}
        raise_if(errors)

    @staticmethod
    def subject_field_for(subject) -> str:
        """The foreign key that points at ``subject``, e.g. ``joint_institute``."""
        field = {"jointinstitute": "joint_institute"}.get(subject._meta.model_name, subject._meta.model_name)
        if field not in SUBJECT_FIELDS:
            raise ValueError(f"A figure cannot be about a {subject._meta.verbose_name}.")
        return field

    @property
    def subject(self):
        for field in SUBJECT_FIELDS:
            value = getattr(self, field)
            if value is not None:
                return value
        return None

    @property
    def period_label(self) -> str:
        if self.period_start and self.period_end and self.period_start != self.period_end:
            return f"{self.period_start}–{self.period_end}"
        if self.period_start is None and self.period_end:
            return _("up to %(year)s") % {"year": self.period_end}
        return str(self.period_start or self.period_end or "")

    @property
    def display_value(self) -> str:
        number = self.value.normalize() if self.unit == Unit.PERCENT else self.value.quantize(Decimal(1))
        text = f"{number:,f}"
        if self.unit == Unit.PERCENT:
            text += "%"
        elif self.unit == Unit.CNY:
            text = f"¥{text}"
        if self.qualifier != Qualifier.EXACT:
            text = f"{self.get_qualifier_display()} {text}"
        return text
