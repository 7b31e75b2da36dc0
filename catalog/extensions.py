"""Catalog's extension points, which higher apps fill from their ``AppConfig.ready()`` (see ``core.extensions``)."""
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from core.extensions import Hook


@dataclass(frozen=True)
class InstitutionDisciplineLink:
    """One way records tie institutions to disciplines besides teaching them, e.g. hosting a program in one.

    ``rows()`` gives the rows that make the tie, only those the public may see (a draft program must
    not reveal what an institution teaches); ``institution`` and ``discipline`` are the lookups from
    such a row to the institution's id and to the discipline's id.
    """

    rows: Callable[[], QuerySet]
    institution: str
    discipline: str

    def institutions_in(self, disciplines) -> QuerySet:
        """The ids of the institutions tied to any of ``disciplines`` (a queryset), one column for ``pk__in``."""
        return self.rows().filter(**{f"{self.discipline}__in": disciplines}).values(self.institution)

    def pairs_of(self, institutions) -> QuerySet:
        """(institution id, discipline id) pairs of ``institutions`` (a queryset of their pks)."""
        return self.rows().filter(**{f"{self.institution}__in": institutions}).values_list(
            self.institution, self.discipline
        )


institution_discipline_links = Hook("catalog.institution_discipline_links")
