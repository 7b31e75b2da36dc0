"""FilterSets for catalog listings, and the discipline filter and facet every listing with disciplines uses.

The shared filter fields and the base FilterSet are in ``core.filters``.
"""
import re

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from core.facets import ChoiceFacet, CountryFacet, Facet, FacetDefinition, Option, TextFacet
from core.filters import (
    CountryFilter, MultipleValueField, RegistryFilterSet, SortFilter, TextListFilter, repeatable_string,
)
from core.i18n import in_page_language

from .choices import DisciplineCatalogue, InstitutionKind
from .models import Discipline, Institution

DISCIPLINE_KEY = re.compile(r"^(?P<catalogue>[a-z-]+):(?P<code>[0-9]{2,8}[A-Za-z]{0,2})$")
DISCIPLINE_OPTIONS = 25  # the most used disciplines shown as checkboxes; others are typed in


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


@extend_schema_field(repeatable_string(
    _("CATALOGUE:CODE, e.g. cn-grad:0812, cn-ug:080905 or isced:061; a code also matches everything below it "
      "in its catalogue (cn-grad:08 finds 0810, 0811 and 0812). Repeat for several."),
    pattern="^[A-Za-z-]+:[0-9]{2,8}[A-Za-z]{0,2}$", example="cn-grad:0812",
))
class DisciplineFilter(django_filters.Filter):
    """Records in any of the disciplines (or below them), through the queryset's own ``in_disciplines()``."""

    field_class = DisciplineKeysField

    def filter(self, qs, value):
        return qs.in_disciplines(value) if value else qs


class DisciplineFacet(FacetDefinition):
    """The disciplines most used in the results (the queryset's ``discipline_counts(limit)``), plus the
    selected ones: a selected catalogue entry becomes a ticked box, anything else stays typed in."""

    def __init__(self, limit: int = DISCIPLINE_OPTIONS):
        super().__init__()
        self.limit = limit

    def count(self, queryset) -> list[dict]:
        return queryset.discipline_counts(self.limit)

    def build(self, name, filter_, queryset, selected):
        chosen = {key.lower() for key in selected}
        options = [Option(row["key"], in_page_language(row["name"], row.get("native_name", "")), row["count"],
                          row["key"] in chosen, row["key"])
                   for row in self.count(queryset)]
        shown = {option.value for option in options}
        typed = [key for key in selected if key.lower() not in shown]
        # Typed-in keys that name a catalogue entry (e.g. a category like cn-grad:08) become ticked boxes.
        pairs = [tuple(key.lower().split(":", 1)) for key in typed if DISCIPLINE_KEY.match(key.lower())]
        for discipline in Discipline.objects.with_keys(pairs) if pairs else []:
            options.append(Option(discipline.key, in_page_language(discipline.name, discipline.native_name), None, True,
                                  discipline.key))
            typed = [key for key in typed if key.lower() != discipline.key]
        return Facet(name, filter_.label, options, typed)


class InstitutionFilter(RegistryFilterSet):
    country = CountryFilter(method="filter_own_countries", label=_("Country"))
    kind = django_filters.MultipleChoiceFilter(choices=InstitutionKind.choices, label=_("Kind"), distinct=False)
    city = TextListFilter(method="filter_cities", label=_("City"))
    discipline = DisciplineFilter(label=_("Discipline"))
    sort = SortFilter(
        fields=(("name", "name"), ("country", "country"), ("city", "city")),
        label=_("Sort by"),
    )

    facets = {
        "country": CountryFacet(field="country"),
        "kind": ChoiceFacet(field="kind"),
        "discipline": DisciplineFacet(),
        "city": TextFacet(field="city"),
    }

    class Meta:
        model = Institution
        fields = ["q", "country", "kind", "city", "discipline"]

    def filter_own_countries(self, queryset, name, value):
        return queryset.in_countries(value) if value else queryset
