"""Public pages of catalog records: institutions (listing, CSV, detail), disciplines, regions and sources.

The detail pages also show records of higher apps (an institution's programs, a source's citing
records...): those apps register them as sections (``core.extensions.detail_sections``), so
catalog does not import them.
"""
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core.listing import CsvExportView, RegistryListView, section
from core.views import ExtensibleDetailView

from .filters import InstitutionFilter
from .models import Discipline, Institution, Region, Source
from .structured_data import institution_data

from .querysets import INSTITUTION_NAME_FIELDS


class InstitutionListView(RegistryListView):
    filterset_class = InstitutionFilter
    results_template = "catalog/includes/institution_results.html"
    export_url_name = "catalog:institution_export"
    title = _("Institutions")
    intro = _("Universities, schools, research institutes and colleges in China and abroad that take part "
              "in the registry's partnerships.")


class InstitutionExportView(CsvExportView):
    filterset_class, kind = InstitutionFilter, "institutions"


class InstitutionDetailView(ExtensibleDetailView):
    queryset = Institution.objects.published().with_related()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            members=self.object.members.published(),
            structured_data=institution_data(self.object, self.request),
            **kwargs,
        )


class DisciplineDetailView(ExtensibleDetailView):
    """A discipline and everything in it or below it in its catalogue."""

    def get_object(self, queryset=None):
        return get_object_or_404(
            Discipline.objects.select_related("parent__parent"),
            catalogue=self.kwargs["catalogue"].lower(), code__iexact=self.kwargs["code"],
        )

    def get_context_data(self, **kwargs):
        discipline = self.object
        key = [(discipline.catalogue, discipline.code)]
        return super().get_context_data(
            children=discipline.children.all(),
            institutions=section(Institution.objects.published().in_disciplines(key).only(*INSTITUTION_NAME_FIELDS).with_names(),
                                 "catalog:institution_list", discipline=discipline.key),
            **kwargs,
        )


class RegionDetailView(ExtensibleDetailView):
    queryset = Region.objects.published().prefetch_related("sources")


class SourceDetailView(ExtensibleDetailView):
    """A source and every published record that cites it; a source no published record cites is not found."""

    queryset = Source.objects.public()

    def get_context_data(self, **kwargs):
        return super().get_context_data(institutions=self.object.institutions.published(), **kwargs)
