"""FilterSets for partnership listings; the pages, the CSV exports and the API all use these."""
import django_filters
from django.utils.translation import gettext_lazy as _

from catalog.filters import DisciplineFacet, DisciplineFilter
from core.facets import ChoiceFacet, CountryFacet, TextFacet
from core.filters import CountryFilter, RegistryFilterSet, SortFilter, TextListFilter

from .choices import AgreementKind, AgreementStatus, ApprovalStatus, Metric, ProgramLevel, Unit
from .models import Agreement, Figure, JointInstitute, Program


class ApprovalStatusFilter(django_filters.MultipleChoiceFilter):
    """``status``: the effective approval status (a program's own, or its joint institute's); "approved"
    also finds enrolling and stopped-enrolling records, which hold their approval too."""

    def __init__(self, **kwargs):
        super().__init__(choices=ApprovalStatus.choices, label=_("Status"), **kwargs)

    def filter(self, qs, value):
        return qs.with_statuses(value) if value else qs


class ProgramFilter(RegistryFilterSet):
    country = CountryFilter(method="filter_countries", label=_("Partner country"))
    discipline = DisciplineFilter(label=_("Discipline"))
    # distinct=False: a program's own column cannot duplicate rows (django-filter's default DISTINCT
    # turned the page and its count into a DISTINCT over every column).
    level = django_filters.MultipleChoiceFilter(choices=ProgramLevel.choices, label=_("Level"), distinct=False)
    status = ApprovalStatusFilter()
    city = TextListFilter(method="filter_cities", label=_("City"))
    sort = SortFilter(
        fields=(("name", "name"), ("approval_date", "approved"), ("level", "level"), ("city", "city")),
        label=_("Sort by"),
    )

    facets = {
        "country": CountryFacet(counts="partner_country_counts"),
        "discipline": DisciplineFacet(),
        "level": ChoiceFacet(field="level"),
        "status": ChoiceFacet(counts="status_counts"),
        "city": TextFacet(field="city"),
    }

    class Meta:
        model = Program
        fields = ["q", "country", "discipline", "level", "status", "city"]


class JointInstituteFilter(RegistryFilterSet):
    country = CountryFilter(method="filter_countries", label=_("Partner country"))
    discipline = DisciplineFilter(label=_("Discipline"))
    level = django_filters.MultipleChoiceFilter(
        choices=ProgramLevel.choices, method="filter_levels", label=_("Program level"), distinct=False
    )
    status = ApprovalStatusFilter()
    city = TextListFilter(method="filter_cities", label=_("City"))
    sort = SortFilter(
        fields=(("name", "name"), ("approval_date", "approved"), ("launched_on", "launched"), ("city", "city")),
        label=_("Sort by"),
    )

    facets = {
        "country": CountryFacet(counts="partner_country_counts"),
        "discipline": DisciplineFacet(),
        "level": ChoiceFacet(counts="level_counts"),  # the levels of an institute's published programs
        "status": ChoiceFacet(counts="status_counts"),
        "city": TextFacet(field="city"),
    }

    class Meta:
        model = JointInstitute
        fields = ["q", "country", "discipline", "level", "status", "city"]

    def filter_levels(self, queryset, name, value):
        return queryset.offering_levels(value) if value else queryset


class AgreementFilter(RegistryFilterSet):
    country = CountryFilter(method="filter_countries", label=_("Partner country"))
    kind = django_filters.MultipleChoiceFilter(choices=AgreementKind.choices, label=_("Kind"), distinct=False)
    status = django_filters.MultipleChoiceFilter(choices=AgreementStatus.choices, label=_("Status"), distinct=False)
    sort = SortFilter(fields=(("title", "title"), ("signed_on", "signed")), label=_("Sort by"))

    facets = {
        "country": CountryFacet(counts="partner_country_counts"),
        "kind": ChoiceFacet(field="kind"),
        "status": ChoiceFacet(field="status"),
    }

    class Meta:
        model = Agreement
        fields = ["q", "country", "kind", "status"]


class FigureFilter(django_filters.FilterSet):
    metric = django_filters.MultipleChoiceFilter(choices=Metric.choices, label=_("Metric"), distinct=False)
    unit = django_filters.MultipleChoiceFilter(choices=Unit.choices, label=_("Unit"), distinct=False)
    year = django_filters.NumberFilter(method="filter_year", label=_("Year within the period"))
    source = django_filters.CharFilter(field_name="source__slug", label=_("Source (slug)"))

    class Meta:
        model = Figure
        fields = ["metric", "unit", "year", "source"]

    def filter_year(self, queryset, name, value):
        return queryset.covering_year(int(value))
