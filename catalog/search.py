"""What search (``core.search_index``) knows of catalog records: institutions, by every name they go by."""
from django.utils.translation import ngettext

from core.search_index import search_index

from .models import Institution, InstitutionAlias


def institution_names(institution) -> list[str]:
    """English, native, abbreviation, and every other or former name (read from prefetched ``aliases``)."""
    return [institution.name, institution.native_name, institution.abbreviation,
            *(alias.name for alias in institution.aliases.all())]


def discipline_names(discipline) -> list[str]:
    return [discipline.name, discipline.native_name]


def _summary(institution) -> str:
    parts = (institution.get_kind_display(), institution.city, institution.country.name)
    return ", ".join(str(part) for part in parts if part)


def register() -> None:
    search_index.register(
        Institution,
        names=institution_names,
        related=lambda institution: [],
        prefetch=("aliases",),
        listing="catalog:institution_list",
        order=30,
        summary=_summary,
        counted=lambda n: ngettext("%(count)d institution", "%(count)d institutions", n) % {"count": n},
    )
    search_index.part(InstitutionAlias, of="institution")
