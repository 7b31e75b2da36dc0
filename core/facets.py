"""Facet counts for the listing pages: how many results each filter option would give.

A FilterSet declares its facets beside its filters, as ``facets`` (query parameter -> definition)::

    facets = {
        "country": CountryFacet(counts="partner_country_counts"),
        "level": ChoiceFacet(field="level"),
        "city": TextFacet(field="city"),
    }

For each facet, every *other* filter of the current selection is applied, then one aggregate
query counts the results per option: the QuerySet's ``value_counts(field)``, or the QuerySet
method named by ``counts``. Options come from those counts, never from a whole table, so the
form stays small.
"""
from dataclasses import dataclass, field

from django_countries import countries


@dataclass
class Option:
    value: str
    label: str
    count: int | None  # None: not counted (a typed-in discipline)
    selected: bool
    code: str = ""  # shown beside the label, e.g. a discipline's cn-grad:0812


@dataclass
class Facet:
    name: str  # the query parameter
    label: str
    options: list[Option] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)  # selected values without a checkbox (shown in a text box)


class FacetDefinition:
    """How a listing counts one filter's options: ``field`` for ``value_counts(field)``, or ``counts``,
    the name of a QuerySet method returning ``{value: count}``. Subclasses build the options."""

    def __init__(self, *, field: str = "", counts: str = ""):
        self.field = field
        self.counts = counts

    def count(self, queryset):
        return getattr(queryset, self.counts)() if self.counts else queryset.value_counts(self.field)

    def build(self, name: str, filter_, queryset, selected: list[str]) -> Facet:
        """The facet of the filter ``filter_`` (named ``name``), counted over ``queryset``."""
        raise NotImplementedError


class CountryFacet(FacetDefinition):
    """Countries present in the results (plus any valid selected code), most results first."""

    def build(self, name, filter_, queryset, selected):
        counts = self.count(queryset)
        chosen = {code.upper() for code in selected}
        codes = {code for code in counts if code} | {code for code in chosen if code in countries}
        options = [Option(code, countries.name(code), counts.get(code, 0), code in chosen) for code in codes]
        return Facet(name, filter_.label, sorted(options, key=lambda option: (-option.count, option.label)))


class ChoiceFacet(FacetDefinition):
    """Every choice of the filter (or ``choices``), in the choices' order, each with its count."""

    def __init__(self, choices=None, **counting):
        super().__init__(**counting)
        self.choices = choices

    def build(self, name, filter_, queryset, selected):
        counts = self.count(queryset)
        choices = self.choices if self.choices is not None else filter_.extra["choices"]
        options = [Option(value, text, counts.get(value, 0), value in selected) for value, text in choices]
        return Facet(name, filter_.label, options)


class TextFacet(FacetDefinition):
    """Free values such as cities: those present in the results, plus any selected."""

    def build(self, name, filter_, queryset, selected):
        counts = self.count(queryset)
        chosen = {value.casefold() for value in selected}
        present = {value for value in counts if value}
        options = [Option(value, value, counts[value], value.casefold() in chosen) for value in present]
        known = {value.casefold() for value in present}
        options += [Option(value, value, 0, True) for value in selected if value.casefold() not in known]
        return Facet(name, filter_.label, sorted(options, key=lambda option: (-option.count, option.label)))


def narrowed(filterset, queryset, without: str):
    """``queryset`` filtered by every valid filter of ``filterset`` except ``without`` (and sorting)."""
    for name, value in filterset.form.cleaned_data.items():
        if name not in (without, "sort"):
            queryset = filterset.filters[name].filter(queryset, value)
    return queryset


def selected_values(filterset, name: str) -> list[str]:
    """The values of the query parameter ``name`` as given (trimmed, each once), whether valid or not.

    Each once: a repeated value shows once, and the cached counts (core.cache) stand for both spellings."""
    return list(dict.fromkeys(value.strip() for value in filterset.data.getlist(name) if value and value.strip()))


def build_facets(filterset, base_queryset) -> list[Facet]:
    """The facets of ``filterset``'s listing, counted within its current selection."""
    return [
        definition.build(
            name, filterset.filters[name], narrowed(filterset, base_queryset, without=name),
            selected_values(filterset, name),
        )
        for name, definition in type(filterset).facets.items()
    ]
