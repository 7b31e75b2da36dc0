"""QuerySet building blocks about catalog records that other apps reuse (the generic ones are in core.querysets)."""
from django.db import models

# The columns registry/includes/institution_name.html shows, and what publishing checks read.
# What a name on a page needs: both languages (names Chinese-first on Chinese pages), the abbreviation, the country.
INSTITUTION_NAME_FIELDS = ("slug", "name", "native_name", "abbreviation", "country", "publication_state")


def discipline_counts(links, record_field: str, limit: int, *, distinct: bool = True) -> list[dict]:
    """The ``limit`` disciplines most used by ``links`` (rows with a discipline and a record),
    each with how many distinct records use it: ``{"key", "name", "native_name", "count"}``.

    ``distinct=False`` when a record meets a discipline in one link only (a many-to-many table's
    own rows): a plain COUNT(*) then, not a COUNT(DISTINCT) that sorts every group.
    """
    rows = (
        links.values("discipline__catalogue", "discipline__code", "discipline__name", "discipline__native_name")
        .annotate(n=models.Count(record_field, distinct=distinct))
        .order_by("-n", "discipline__catalogue", "discipline__code")[:limit]
    )
    return [
        {"key": f"{row['discipline__catalogue']}:{row['discipline__code']}", "name": row["discipline__name"],
         "native_name": row["discipline__native_name"], "count": row["n"]}
        for row in rows
    ]
