"""The base FilterSet and the filter fields every listing shares.

Query parameters are a public contract (pages, CSV and API): each domain app's FilterSet
(in its ``filters.py``) declares its parameters and, beside them, its facets (``core.facets``).
"""
import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field

from .search import MAX_QUERY_LENGTH, Match, SearchQueryError, query_terms


class MultipleValueField(forms.Field):
    """A repeatable GET parameter (``?country=RU&country=NZ``) read as a list of strings."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        # Each value once, in order: a value repeated a thousand times is checked (and queried) once.
        return list(dict.fromkeys(item.strip() for item in value if item and item.strip()))

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


def repeatable_string(description: str, **string_schema) -> dict:
    """OpenAPI schema of a repeatable query parameter (``?country=RU&country=NZ``), for the API docs."""
    return {"type": "array", "items": {"type": "string", **string_schema}, "description": description}


@extend_schema_field(repeatable_string(
    _("ISO 3166-1 alpha-2 country code, any case (RU, nz); repeat for several. On programs, institutes and "
      "agreements it matches a foreign partner's country; on institutions, the institution's own."),
    pattern="^[A-Za-z]{2}$", example="RU",
))
class CountryFilter(django_filters.Filter):
    field_class = CountryCodesField


@extend_schema_field(repeatable_string(_("Exact value, ignoring case; repeat for several.")))
class TextListFilter(django_filters.Filter):
    field_class = TextListField


class SearchTextField(forms.CharField):
    """Free search text (``core.search``): too long a text or too many words is a clear message."""

    def validate(self, value):
        super().validate(value)
        try:
            query_terms(value)
        except SearchQueryError as error:
            raise ValidationError(str(error), code="search") from error


class SearchFilter(django_filters.CharFilter):
    field_class = SearchTextField
class SortFilter(django_filters.OrderingFilter):
    """The listings' ``sort``: labels in the page's language (django-filter has no zh_Hans catalogue)."""

    descending_fmt = _("{label}, descending")
    LABELS = {"name": _("Name"), "country": _("Country"), "city": _("City"), "approved": _("Approval date"),
              "level": _("Level"), "launched": _("Launch date"), "title": _("Title"), "signed": _("Signing date")}

    def __init__(self, *args, **kwargs):
        pairs = kwargs.get("fields", ())
        kwargs.setdefault("field_labels", {field: self.LABELS[param] for field, param in pairs if param in self.LABELS})
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        # Built once, at import: the labels stay lazy so each request shows them in its language.
        ascending = [(param, labels.get(field, param)) for field, param in fields.items()]
        descending = [(f"-{param}", format_lazy(self.descending_fmt, label=label)) for param, label in ascending]
        return [choice for pair in zip(ascending, descending) for choice in pair]


class RegistryFilterSet(django_filters.FilterSet):
    """Shared behaviour: ``q`` text search (``core.search``), the same as the /search/ page's.

    ``facets`` maps a query parameter to its facet definition (``core.facets``): the options the
    listing page offers for it, with counts.
    """

    facets: dict = {}

    q = SearchFilter(method="filter_search", label=_("Search names"), max_length=MAX_QUERY_LENGTH)

    def filter_search(self, queryset, name, value):
        # One Match per request: the count, the page and every facet reuse its subquery.
        if getattr(self, "_search", None) is None or self._search.text != value:
            self._search = Match(self._meta.model, value or "")
        return self._search.apply(queryset)

    def filter_countries(self, queryset, name, value):
        return queryset.partnered_with_countries(value) if value else queryset

    def filter_cities(self, queryset, name, value):
        return queryset.in_cities(value) if value else queryset
