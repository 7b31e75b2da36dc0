"""QuerySet building blocks every domain app shares: published records, facet counts and
case-insensitive value and country matching (text search is ``core.search``)."""
from django.db import connections, models

from .choices import PublicationState


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def with_names(self):
        """What the pages need to show names in both languages (the Chinese aliases of related
        institutions); the API, which does not show them, leaves it out."""
        return self

    def value_counts(self, field: str) -> dict:
        """How many records have each value of ``field`` (a facet count, one aggregate query).

        A plain COUNT(*) per value: filters select through ``pk__in`` subqueries, so a row is one
        record; only a queryset whose filters joined to-many tables needs COUNT(DISTINCT).
        """
        joined = len(self.query.alias_map) > 1
        rows = self.order_by().values(field).annotate(n=models.Count("pk", distinct=joined))
        return {row[field]: row["n"] for row in rows}

    def for_listing(self):
        """What a listing page shows of each record; models narrow it to the columns the page reads."""
        return self.with_related()

    def stably_ordered(self):
        """This queryset's ordering, then the model's (records equal in a chosen sort keep their
        alphabetical order), then the primary key: each record has one place from page to page.
        The key goes the way of the first, so one index can serve a descending sort too."""
        ordering = list(self.query.order_by or self.model._meta.ordering)
        keys = {str(key).lstrip("-") for key in ordering}
        if keys & {"pk", "id", self.model._meta.pk.name}:
            return self
        ordering += [key for key in self.model._meta.ordering if str(key).lstrip("-") not in keys]
        descending = bool(ordering) and str(ordering[0]).startswith("-")
        return self.order_by(*ordering, "-pk" if descending else "pk")


def distinct_pair_counts(links, record: str, value: str) -> dict:
    """``{value: how many records}`` over ``links`` (rows naming a record and, through it, a value,
    e.g. a program's partner and that partner's country), each record counted once per value.

    One GROUP BY over the distinct (record, value) pairs: COUNT(DISTINCT) per group sorted every
    group instead, and spilled to disk at 100,000 programs.
    """
    return pair_counts(pair_values(links, record, value).distinct())


def pair_values(rows, record: str, value: str):
    """``rows`` as (facet_record, facet_value) pairs, the columns ``pair_counts`` groups."""
    return rows.order_by().annotate(facet_record=models.F(record), facet_value=models.F(value)).values_list(
        "facet_record", "facet_value"
    )


def pair_counts(pairs) -> dict:
    """``{value: rows}`` of ``pairs`` (distinct rows from ``pair_values``, or a UNION of such), grouped
    in the database: one aggregate query, and only the counts come back."""
    sql, params = pairs.query.sql_with_params()
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(f"SELECT pairs.facet_value, COUNT(*) FROM ({sql}) pairs GROUP BY pairs.facet_value", params)
        return dict(cursor.fetchall())


def normalise_country_codes(codes) -> list[str]:
    """Upper-case ISO 3166-1 alpha-2 codes, dropping blanks and duplicates."""
    return sorted({code.strip().upper() for code in codes if code and code.strip()})


def iexact_any(field: str, values) -> models.Q:
    """Q for ``field`` equal to any of ``values``, ignoring case and outer spaces."""
    query = models.Q(pk__in=[])
    for value in values:
        if value and value.strip():
            query |= models.Q(**{f"{field}__iexact": value.strip()})
    return query
