"""QuerySet building blocks every domain app shares: published records, facet counts and
case-insensitive name, value and country matching."""
from django.db import models

from .choices import PublicationState


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def with_names(self):
        """What the pages need to show names in both languages (the Chinese aliases of related
        institutions); the API, which does not show them, leaves it out."""
        return self

    def value_counts(self, field: str) -> dict:
        """How many records have each value of ``field`` (a facet count, one aggregate query)."""
        rows = self.order_by().values(field).annotate(n=models.Count("pk", distinct=True))
        return {row[field]: row["n"] for row in rows}


def normalise_country_codes(codes) -> list[str]:
    """Upper-case ISO 3166-1 alpha-2 codes, dropping blanks and duplicates."""
    return sorted({code.strip().upper() for code in codes if code and code.strip()})


def own_name_matches(text: str, fields=("name", "native_name", "abbreviation")) -> models.Q:
    """Q for ``text`` in a record's own name fields (case-insensitive)."""
    query = models.Q()
    for field in fields:
        query |= models.Q(**{f"{field}__icontains": text})
    return query


def iexact_any(field: str, values) -> models.Q:
    """Q for ``field`` equal to any of ``values``, ignoring case and outer spaces."""
    query = models.Q(pk__in=[])
    for value in values:
        if value and value.strip():
            query |= models.Q(**{f"{field}__iexact": value.strip()})
    return query
