"""Read-only representations of published registry records.

Every record carries two links: ``url`` (its API detail) and ``page_url`` (its
public HTML page). Nested institutions, disciplines and sources are summaries;
detail endpoints add the record's figures.
"""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


from catalog.models import Discipline, Institution, Source
from core.choices import DatePrecision
from partnerships.choices import ApprovalStatus
from partnerships.models import SUBJECT_FIELDS, Activity, Agreement, Figure, JointInstitute, Program

APPROVAL_FIELDS = [
    "approving_authority",
    "approval_number",
    "approval_date",
    "approval_date_precision",
    "valid_from",
    "valid_until",
    "approval_status",
]


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute URL of the record's public HTML page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        path = instance.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class SourceSerializer(serializers.ModelSerializer):
    page_url = PageUrlField()

    class Meta:
        model = Source
        fields = ["title", "publisher", "published_on", "url", "seed_file", "page_url"]


class DisciplineSerializer(serializers.ModelSerializer):
    key = serializers.CharField(read_only=True, help_text=_("CATALOGUE:CODE, the value the `discipline` filter takes."))

    class Meta:
        model = Discipline
        fields = ["key", "catalogue", "code", "name", "native_name", "is_stem"]


class InstitutionSummarySerializer(serializers.ModelSerializer):
    """An institution as named inside another record (host, partner, party, parent)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:institution-detail", lookup_field="slug")
    page_url = PageUrlField()
    country = serializers.CharField(source="country.code", read_only=True, help_text=_("ISO 3166-1 alpha-2."))
    country_name = serializers.CharField(source="country.name", read_only=True)

    class Meta:
        model = Institution
        fields = ["name", "native_name", "abbreviation", "slug", "country", "country_name", "url", "page_url"]


class JointInstituteSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:institute-detail", lookup_field="slug")
    page_url = PageUrlField()

    class Meta:
        model = JointInstitute
        fields = ["name", "abbreviation", "slug", "url", "page_url"]


class ProgramSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:program-detail", lookup_field="slug")
    page_url = PageUrlField()

    class Meta:
        model = Program
        fields = ["name", "level", "slug", "url", "page_url"]


class ActivitySummarySerializer(serializers.ModelSerializer):
    page_url = PageUrlField()

    class Meta:
        model = Activity
        fields = ["title", "kind", "start_date", "end_date", "slug", "page_url"]


class FigureSubjectSerializer(serializers.Serializer):
    """What a figure is about: an institution, a joint institute, a program or a region."""

    type = serializers.SerializerMethodField()
    name = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    page_url = PageUrlField()

    @extend_schema_field({"type": "string", "enum": list(SUBJECT_FIELDS)})
    def get_type(self, subject):
        return Figure.subject_field_for(subject)


class FigureSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:figure-detail")
    page_url = PageUrlField()
    subject = FigureSubjectSerializer(read_only=True)
    display_value = serializers.CharField(
        read_only=True, help_text=_("The value as the pages show it, e.g. “about 37.2%”.")
    )
    period_label = serializers.CharField(read_only=True)
    source = SourceSerializer(read_only=True)

    class Meta:
        model = Figure
        fields = [
            "id", "url", "page_url", "subject", "metric", "value", "unit", "qualifier", "display_value",
            "period_start", "period_end", "period_label", "note", "source",
        ]


class FigureInRecordSerializer(FigureSerializer):
    """A figure listed on its subject's detail, which already says what the subject is."""

    class Meta(FigureSerializer.Meta):
        fields = [field for field in FigureSerializer.Meta.fields if field != "subject"]


class EffectiveApprovalSerializer(serializers.Serializer):
    """The approval a program holds: its own, or else its joint institute's (``through_joint_institute``).
    The ``status`` filter reads this status; empty strings and null mean the sources do not say."""

    status = serializers.ChoiceField(ApprovalStatus.choices, allow_blank=True, source="effective_approval_status")
    date = serializers.DateField(allow_null=True, source="effective_approval_date")
    date_precision = serializers.ChoiceField(
        DatePrecision.choices, allow_blank=True, source="effective_approval_date_precision"
    )
    approving_authority = serializers.CharField(source="effective_approving_authority")
    through_joint_institute = serializers.BooleanField(source="approval_from_institute")


class ProgramSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:program-detail", lookup_field="slug")
    page_url = PageUrlField()
    host = InstitutionSummarySerializer(read_only=True)
    partners = InstitutionSummarySerializer(many=True, read_only=True)
    joint_institute = JointInstituteSummarySerializer(read_only=True, allow_null=True)
    disciplines = DisciplineSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    effective_approval = EffectiveApprovalSerializer(source="*", read_only=True)

    class Meta:
        model = Program
        fields = [
            "url", "page_url", "slug", "name", "native_name", "level", "disciplines", "host", "partners",
            "joint_institute", "city", "degree_model", "duration_years", "annual_intake", "tuition_cny_per_year",
            "language", *APPROVAL_FIELDS, "effective_approval", "enrollment_start_year", "enrollment_end_year", "description", "sources",
        ]


class ProgramDetailSerializer(ProgramSerializer):
    figures = FigureInRecordSerializer(source="published_figures", many=True, read_only=True)

    class Meta(ProgramSerializer.Meta):
        fields = [*ProgramSerializer.Meta.fields, "figures"]


class JointInstituteSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:institute-detail", lookup_field="slug")
    page_url = PageUrlField()
    hosts = InstitutionSummarySerializer(many=True, read_only=True)
    partners = InstitutionSummarySerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = JointInstitute
        fields = [
            "url", "page_url", "slug", "name", "native_name", "abbreviation", "hosts", "partners", "city",
            "launched_on", "launched_on_precision", "launch_note", *APPROVAL_FIELDS, "degree_model", "dean",
            "enrollment_target", "enrollment_target_note", "website", "description", "sources",
        ]


class JointInstituteDetailSerializer(JointInstituteSerializer):
    programs = serializers.SerializerMethodField()
    figures = FigureInRecordSerializer(source="published_figures", many=True, read_only=True)

    class Meta(JointInstituteSerializer.Meta):
        fields = [*JointInstituteSerializer.Meta.fields, "programs", "figures"]

    @extend_schema_field(ProgramSummarySerializer(many=True))
    def get_programs(self, institute):
        # Filtered in Python: with_related() prefetches all of the institute's programs.
        published = [program for program in institute.programs.all() if program.is_published]
        return ProgramSummarySerializer(published, many=True, context=self.context).data


class InstitutionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:institution-detail", lookup_field="slug")
    page_url = PageUrlField()
    country = serializers.CharField(source="country.code", read_only=True, help_text=_("ISO 3166-1 alpha-2."))
    country_name = serializers.CharField(source="country.name", read_only=True)
    aliases = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    parent = InstitutionSummarySerializer(read_only=True, allow_null=True)
    disciplines = DisciplineSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Institution
        fields = [
            "url", "page_url", "slug", "name", "native_name", "abbreviation", "aliases", "kind", "country",
            "country_name", "city", "region", "website", "ror_id", "parent", "disciplines", "description", "sources",
        ]


class InstitutionDetailSerializer(InstitutionSerializer):
    figures = FigureInRecordSerializer(source="published_figures", many=True, read_only=True)

    class Meta(InstitutionSerializer.Meta):
        fields = [*InstitutionSerializer.Meta.fields, "figures"]


class AgreementSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:agreement-detail", lookup_field="slug")
    page_url = PageUrlField()
    parties = InstitutionSummarySerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "url", "page_url", "slug", "title", "kind", "parties", "signed_on", "signed_on_precision", "scope",
            "status", "sources",
        ]


class AgreementDetailSerializer(AgreementSerializer):
    activities = serializers.SerializerMethodField()

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "activities"]

    @extend_schema_field(ActivitySummarySerializer(many=True))
    def get_activities(self, agreement):
        # Filtered in Python: with_related() prefetches all of the agreement's activities.
        published = [activity for activity in agreement.activities.all() if activity.is_published]
        return ActivitySummarySerializer(published, many=True, context=self.context).data
