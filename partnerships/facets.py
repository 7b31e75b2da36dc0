"""Facet counts for the listing pages: how many results each filter option would give.

For each facet, every *other* filter of the current selection is applied, then one
aggregate query counts the results per option (the QuerySets' ``*_counts`` methods).
Options come from those counts, never from a whole table, so the form stays small.
"""
from dataclasses import dataclass, field

from django_countries import countries

from catalog.choices import InstitutionKind
from catalog.filters import DISCIPLINE_KEY, InstitutionFilter
from catalog.models import Discipline

from .choices import AgreementKind, AgreementStatus, ApprovalStatus, ProgramLevel
from .filters import AgreementFilter, JointInstituteFilter, ProgramFilter

DISCIPLINE_OPTIONS = 25  # the most used disciplines shown as checkboxes; others are typed in


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

    @property
    def has_selection(self) -> bool:
        return any(option.selected for option in self.options) or bool(self.typed)


def narrowed(filterset, queryset, without: str):
    """``queryset`` filtered by every valid filter of ``filterset`` except ``without`` (and sorting)."""
    for name, value in filterset.form.cleaned_data.items():
        if name not in (without, "sort"):
            queryset = filterset.filters[name].filter(queryset, value)
    return queryset


def _selected(filterset, name: str) -> list[str]:
    return [value.strip() for value in filterset.data.getlist(name) if value and value.strip()]


def country_facet(name, label, counts, selected):
    selected = {code.upper() for code in selected}
    codes = {code for code in counts if code} | {code for code in selected if code in countries}
    options = [Option(code, countries.name(code), counts.get(code, 0), code in selected) for code in codes]
    return Facet(name, label, sorted(options, key=lambda option: (-option.count, option.label)))


def choice_facet(name, label, choices, counts, selected):
    options = [Option(value, text, counts.get(value, 0), value in selected) for value, text in choices]
    return Facet(name, label, options)


def text_facet(name, label, counts, selected):
    """Free values such as cities: those present in the results, plus any selected."""
    chosen = {value.casefold() for value in selected}
    present = {value for value in counts if value}
    options = [Option(value, value, counts[value], value.casefold() in chosen) for value in present]
    known = {value.casefold() for value in present}
    options += [Option(value, value, 0, True) for value in selected if value.casefold() not in known]
    return Facet(name, label, sorted(options, key=lambda option: (-option.count, option.label)))


def discipline_facet(name, label, rows, selected):
    chosen = {key.lower() for key in selected}
    options = [Option(row["key"], row["name"], row["count"], row["key"] in chosen, row["key"]) for row in rows]
    shown = {option.value for option in options}
    typed = [key for key in selected if key.lower() not in shown]
    # Typed-in keys that name a catalogue entry (e.g. a category like cn-grad:08) become ticked boxes.
    pairs = [tuple(key.lower().split(":", 1)) for key in typed if DISCIPLINE_KEY.match(key.lower())]
    for discipline in Discipline.objects.with_keys(pairs) if pairs else []:
        options.append(Option(discipline.key, discipline.name, None, True, discipline.key))
        typed = [key for key in typed if key.lower() != discipline.key]
    return Facet(name, label, options, typed)


# For each FilterSet: facet name -> how to build it from (name, label, narrowed queryset, selected values).
FACETS = {
    ProgramFilter: {
        "country": lambda n, l, qs, sel: country_facet(n, l, qs.partner_country_counts(), sel),
        "discipline": lambda n, l, qs, sel: discipline_facet(n, l, qs.discipline_counts(DISCIPLINE_OPTIONS), sel),
        "level": lambda n, l, qs, sel: choice_facet(n, l, ProgramLevel.choices, qs.value_counts("level"), sel),
        "status": lambda n, l, qs, sel: choice_facet(
            n, l, ApprovalStatus.choices, qs.value_counts("approval_status"), sel
        ),
        "city": lambda n, l, qs, sel: text_facet(n, l, qs.value_counts("city"), sel),
    },
    JointInstituteFilter: {
        "country": lambda n, l, qs, sel: country_facet(n, l, qs.partner_country_counts(), sel),
        "discipline": lambda n, l, qs, sel: discipline_facet(n, l, qs.discipline_counts(DISCIPLINE_OPTIONS), sel),
        "level": lambda n, l, qs, sel: choice_facet(n, l, ProgramLevel.choices, qs.level_counts(), sel),
        "status": lambda n, l, qs, sel: choice_facet(
            n, l, ApprovalStatus.choices, qs.value_counts("approval_status"), sel
        ),
        "city": lambda n, l, qs, sel: text_facet(n, l, qs.value_counts("city"), sel),
    },
    InstitutionFilter: {
        "country": lambda n, l, qs, sel: country_facet(n, l, qs.value_counts("country"), sel),
        "kind": lambda n, l, qs, sel: choice_facet(n, l, InstitutionKind.choices, qs.value_counts("kind"), sel),
        "discipline": lambda n, l, qs, sel: discipline_facet(n, l, qs.discipline_counts(DISCIPLINE_OPTIONS), sel),
        "city": lambda n, l, qs, sel: text_facet(n, l, qs.value_counts("city"), sel),
    },
    AgreementFilter: {
        "country": lambda n, l, qs, sel: country_facet(n, l, qs.partner_country_counts(), sel),
        "kind": lambda n, l, qs, sel: choice_facet(n, l, AgreementKind.choices, qs.value_counts("kind"), sel),
        "status": lambda n, l, qs, sel: choice_facet(n, l, AgreementStatus.choices, qs.value_counts("status"), sel),
    },
}


def build_facets(filterset, base_queryset) -> list[Facet]:
    """The facets of ``filterset``'s listing, counted within its current selection."""
    facets = []
    for name, build in FACETS[type(filterset)].items():
        queryset = narrowed(filterset, base_queryset, without=name)
        facets.append(build(name, filterset.filters[name].label, queryset, _selected(filterset, name)))
    return facets
