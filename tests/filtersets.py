"""Helpers for FilterSet tests: a bound FilterSet over published records, its results and its facets."""
from django.http import QueryDict

from core.facets import build_facets


def filtered(filterset_class, query: str):
    model = filterset_class._meta.model
    filterset = filterset_class(QueryDict(query), queryset=model.objects.published())
    assert filterset.is_valid(), filterset.errors
    return filterset


def names(filterset) -> set[str]:
    return {str(record) for record in filterset.qs}


def facet(filterset, name):
    model = type(filterset)._meta.model
    return {f.name: f for f in build_facets(filterset, model.objects.published())}[name]


def counts(facet_) -> dict[str, int]:
    return {option.value: option.count for option in facet_.options}
