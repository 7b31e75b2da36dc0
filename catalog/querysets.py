"""QuerySet building blocks about catalog records that other apps reuse (the generic ones are in core.querysets)."""
from django.db import models


def discipline_counts(links, record_field: str, limit: int) -> list[dict]:
    """The ``limit`` disciplines most used by ``links`` (rows with a discipline and a record),
    each with how many distinct records use it: ``{"key", "name", "native_name", "count"}``."""
    rows = (
        links.values("discipline__catalogue", "discipline__code", "discipline__name", "discipline__native_name")
        .annotate(n=models.Count(record_field, distinct=True))
        .order_by("-n", "discipline__catalogue", "discipline__code")[:limit]
    )
    return [
        {"key": f"{row['discipline__catalogue']}:{row['discipline__code']}", "name": row["discipline__name"],
         "native_name": row["discipline__native_name"], "count": row["n"]}
        for row in rows
    ]
