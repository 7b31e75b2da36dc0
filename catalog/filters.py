"""FilterSets for catalog listings, and the filter fields every listing shares.

Query parameters are a public contract (pages, CSV and API): ``country``,
``discipline``, ``level``, ``status``, ``city``, ``kind``, ``q`` and ``sort``.
"""
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field

from .choices import DisciplineCatalogue, InstitutionKind
from .models import Discipline, Institution

DISCIPLINE_KEY = re.compile(r"^(?P<catalogue>[a-z-]+):(?P<code>[0-9]{2,8}[A-Za-z]{0,2})$")


class MultipleValueField(forms.Field):
    """A repeatable GET parameter (``?country=RU&country=NZ``) read as a list of strings."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return [item.strip() for item in value if item and item.strip()]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class TextListField(MultipleValueField):
    """Free text values (e.g. cities) that go into the query as they are."""

    def validate(self, value):
        super().validate(value)
        # As forms.CharField does: PostgreSQL refuses NUL in a string, which would be a server error.
        for item in value:
            ProhibitNullCharactersValidator()(item)


class CountryCodesField(MultipleValueField):
    def to_python(self, value):
        return [code.upper() for code in super().to_python(value)]

    def validate(self, value):
        super().validate(value)
        unknown = [code for code in value if code not in countries]
        if unknown:
            raise ValidationError(
                _("Unknown country code: %(codes)s. Use two-letter ISO 3166-1 codes such as RU or NZ."),
                params={"codes": ", ".join(unknown)},
                code="unknown_country",
            )


class DisciplineKeysField(MultipleValueField):
    """``CATALOGUE:CODE`` keys, e.g. ``cn-grad:0812``; cleaned to (catalogue, code) pairs."""

    def validate(self, value):
        super().validate(value)
        catalogues = {choice.value for choice in DisciplineCatalogue}
        for key in value:
            match = DISCIPLINE_KEY.match(key.lower())
            if not match or match["catalogue"] not in catalogues:
                raise ValidationError(
                    _("“%(key)s” is not a discipline. Write CATALOGUE:CODE, e.g. cn-grad:0812, cn-ug:080905 or "
                      "isced:061 (catalogues: %(catalogues)s)."),
                    params={"key": key, "catalogues": ", ".join(sorted(catalogues))},
                    code="malformed_discipline",
                )
            if not Discipline.objects.matching(match["catalogue"], match["code"]).exists():
                raise ValidationError(
                    _("No discipline %(key)s in the registry's catalogues."), params={"key": key}, code="unknown_discipline"
                )

    def clean(self, value):
        keys = super().clean(value)
        return [tuple(key.lower().split(":", 1)) for key in keys]


def repeatable_string(description: str, **string_schema) -> dict:
    """OpenAPI schema of a repeatable query parameter (``?country=RU&country=NZ``), for the API docs."""
    return {"type": "array", "items": {"type": "string", **string_schema}, "description": description}


@extend_schema_field(repeatable_string(
    "ISO 3166-1 alpha-2 country code, any case (RU, nz); repeat for several. On programs, institutes and "
    "agreements it matches a foreign partner's country; on institutions, the institution's own.",
    pattern="^[A-Za-z]{2}$", example="RU",
))
class CountryFilter(django_filters.Filter):
    field_class = CountryCodesField


@extend_schema_field(repeatable_string(
    "CATALOGUE:CODE, e.g. cn-grad:0812, cn-ug:080905 or isced:061; a code also matches everything below it "
    "in its catalogue (cn-grad:08 finds 0810, 0811 and 0812). Repeat for several.",
    pattern="^[A-Za-z-]+:[0-9]{2,8}[A-Za-z]{0,2}$", example="cn-grad:0812",
))
class DisciplineFilter(django_filters.Filter):
    field_class = DisciplineKeysField


@extend_schema_field(repeatable_string("Exact value, ignoring case; repeat for several."))
class TextListFilter(django_filters.Filter):
    field_class = TextListField


class RegistryFilterSet(django_filters.FilterSet):
    """Shared behaviour: ``q`` text search through the queryset's own ``search()``."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search names"), max_length=200)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_countries(self, queryset, name, value):
        return queryset.partnered_with_countries(value) if value else queryset

    def filter_disciplines(self, queryset, name, value):
        return queryset.in_disciplines(value) if value else queryset

    def filter_cities(self, queryset, name, value):
        return queryset.in_cities(value) if value else queryset


class InstitutionFilter(RegistryFilterSet):
    country = CountryFilter(method="filter_own_countries", label=_("Country"))
    kind = django_filters.MultipleChoiceFilter(choices=InstitutionKind.choices, label=_("Kind"))
    city = TextListFilter(method="filter_cities", label=_("City"))
    discipline = DisciplineFilter(method="filter_disciplines", label=_("Discipline"))
    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("country", "country"), ("city", "city")),
        label=_("Sort by"),
    )

    class Meta:
        model = Institution
        fields = ["q", "country", "kind", "city", "discipline"]

    def filter_own_countries(self, queryset, name, value):
        return queryset.in_countries(value) if value else queryset
