from django.views.generic import DetailView

from .models import Activity, Agreement, JointInstitute, Program


class JointInstituteDetailView(DetailView):
    queryset = JointInstitute.objects.published().with_related()


class ProgramDetailView(DetailView):
    queryset = Program.objects.published().with_related()


class AgreementDetailView(DetailView):
    queryset = Agreement.objects.published().with_related()


class ActivityDetailView(DetailView):
    queryset = Activity.objects.published().with_related()
