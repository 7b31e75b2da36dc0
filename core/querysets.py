"""QuerySet building blocks every domain app shares: published records, facet counts and
case-insensitive value and country matching (text search is ``core.search``)."""
from django.db import models

from .choices import PublicationState


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def value_counts(self, field: str) -> dict:
        """How many records have each value of ``field`` (a facet count, one aggregate query)."""
        rows = self.order_by().values(field).annotate(n=models.Count("pk", distinct=True))
        return {row[field]: row["n"] for row in rows}


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
