"""Public pages of catalog records: institutions (listing, CSV, detail), disciplines, regions and sources."""
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.listing import CsvExportView, RegistryListView
from partnerships.models import Activity, Agreement, Figure, JointInstitute, Program
from partnerships.statistics import region_completeness

from .filters import InstitutionFilter
from .models import Discipline, Institution, Region, Source


class InstitutionListView(RegistryListView):
    filterset_class = InstitutionFilter
    results_template = "catalog/includes/institution_results.html"
    export_url_name = "catalog:institution_export"
    title = _("Institutions")
    intro = _("Universities, schools, research institutes and colleges in China and abroad that take part "
              "in the registry's partnerships.")


class InstitutionExportView(CsvExportView):
    filterset_class, kind = InstitutionFilter, "institutions"


class InstitutionDetailView(DetailView):
    queryset = Institution.objects.published().with_related()

    def get_context_data(self, **kwargs):
        institution = self.object
        return super().get_context_data(
            members=institution.members.published(),
            institutes=JointInstitute.objects.published().with_member(institution).with_related(),
            hosted_programs=Program.objects.published().hosted_by(institution).with_related(),
            partnered_programs=Program.objects.published().partnered_by(institution).with_related(),
            agreements=Agreement.objects.published().with_party(institution).with_related(),
            activities=Activity.objects.published().involving(institution).with_related(),
            figures=Figure.objects.published().about(institution).with_related().chronological(),
            **kwargs,
        )


class DisciplineDetailView(DetailView):
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
            programs=Program.objects.published().in_disciplines(key).with_related(),
            institutes=JointInstitute.objects.published().in_disciplines(key).with_related(),
            institutions=Institution.objects.published().in_disciplines(key).with_related(),
            **kwargs,
        )


class RegionDetailView(DetailView):
    queryset = Region.objects.published().prefetch_related("sources")

    def get_context_data(self, **kwargs):
        region = self.object
        city = [region.name]
        return super().get_context_data(
            figures=Figure.objects.published().about(region).with_related().chronological(),
            completeness=region_completeness(region),
            institutes=JointInstitute.objects.published().in_cities(city).with_related(),
            programs=Program.objects.published().in_cities(city).with_related(),
            **kwargs,
        )


class SourceDetailView(DetailView):
    """A source and every published record that cites it."""

    model = Source

    def get_context_data(self, **kwargs):
        source = self.object
        return super().get_context_data(
            institutions=source.institutions.published(),
            institutes=source.joint_institutes.published(),
            programs=source.programs.published().select_related("host"),
            agreements=source.agreements.published(),
            activities=source.activities.published(),
            figures=source.figures.published().with_published_subject().with_related(),
            **kwargs,
        )
