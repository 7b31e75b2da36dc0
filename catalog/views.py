from django.views.generic import DetailView

from .models import Discipline, Institution, Region, Source


class InstitutionDetailView(DetailView):
    queryset = Institution.objects.published().with_related()


class DisciplineDetailView(DetailView):
    model = Discipline

    def get_object(self, queryset=None):
        from django.shortcuts import get_object_or_404

        return get_object_or_404(Discipline, catalogue=self.kwargs["catalogue"], code=self.kwargs["code"])


class RegionDetailView(DetailView):
    queryset = Region.objects.published()


class SourceDetailView(DetailView):
    model = Source
