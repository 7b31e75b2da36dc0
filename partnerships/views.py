"""Public pages of partnership records: listings, CSV downloads, details, home and country pages."""
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView
from django_countries import countries

from catalog.models import Institution
from catalog.querysets import INSTITUTION_NAME_FIELDS
from core.cache import AnonymousPageCacheMixin, cached
from core.listing import CsvExportView, RegistryListView, section

from . import approval, statistics
from .extensions import published_figures
from .filters import AgreementFilter, FigureFilter, JointInstituteFilter, ProgramFilter
from .models import Activity, Agreement, Figure, JointInstitute, Program
from .structured_data import institute_data, program_data


class HomeView(AnonymousPageCacheMixin, TemplateView):
    template_name = "registry/home.html"
    page_cache_parameters = frozenset()  # the home page takes none

    def get_context_data(self, **kwargs):
        # Cached until the registry's data changes (core.cache), for anonymous and staff visitors alike.
        return super().get_context_data(**cached("home-statistics", self.statistics), **kwargs)

    @staticmethod
    def statistics() -> dict:
        # Computed once: the counts, the STEM share and the country chart all use them.
        program_countries = Program.objects.published().partner_country_counts()
        counts = statistics.registry_counts(program_countries)
        return dict(
            counts=counts,
            stem=statistics.stem_share(counts["programs"]),
            by_country=statistics.programs_by_partner_country(program_countries),
            by_level=statistics.programs_by_level(),
            latest=list(statistics.latest_approvals()),
            completeness=statistics.region_completeness(),
        )


class ProgramListView(RegistryListView):
    filterset_class = ProgramFilter

    def get_queryset(self):
        return super().get_queryset().with_effective_approval()  # the status a result shows
    results_template = "partnerships/includes/program_results.html"
    export_url_name = "partnerships:program_export"
    title = _("Programs")
    intro = _("China–foreign cooperative degree programs, including those run by joint institutes.")


class JointInstituteListView(RegistryListView):
    filterset_class = JointInstituteFilter
    results_template = "partnerships/includes/institute_results.html"
    export_url_name = "partnerships:institute_export"
    title = _("Joint institutes")
    intro = _("China–foreign cooperative education institutions: a Chinese host and a foreign partner run them together.")


class AgreementListView(RegistryListView):
    filterset_class = AgreementFilter
    results_template = "partnerships/includes/agreement_results.html"
    export_url_name = "partnerships:agreement_export"
    title = _("Agreements")
    intro = _("Memoranda of understanding and exchange, research and degree agreements between institutions.")


class ProgramExportView(CsvExportView):
    filterset_class, kind = ProgramFilter, "programs"


class JointInstituteExportView(CsvExportView):
    filterset_class, kind = JointInstituteFilter, "joint_institutes"


class AgreementExportView(CsvExportView):
    filterset_class, kind = AgreementFilter, "agreements"


class PublicFigureFilter(FigureFilter):
    """The figures filter over public figures only: a published figure about a draft stays out (issue 9)."""

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=(Figure.objects if queryset is None else queryset).public(), **kwargs)


class FigureExportView(CsvExportView):
    filterset_class, kind = PublicFigureFilter, "figures"


class JointInstituteDetailView(DetailView):
    queryset = JointInstitute.objects.published().with_related().with_effective_approval().with_names()
    context_object_name = "institute"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            programs=Program.objects.published().filter(joint_institute=self.object).with_related().with_names(),
            figures=published_figures(self.object),
            structured_data=institute_data(self.object, self.request),
            **kwargs,
        )


class ProgramDetailView(DetailView):
    queryset = Program.objects.published().with_related().with_effective_approval().with_names()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            figures=published_figures(self.object), structured_data=program_data(self.object, self.request), **kwargs
        )


class AgreementDetailView(DetailView):
    queryset = Agreement.objects.published().prefetch_related("parties__aliases", "sources")

    def get_context_data(self, **kwargs):
        activities = Activity.objects.published().filter(agreements=self.object).with_related().with_names()
        return super().get_context_data(activities=activities, **kwargs)


class ActivityDetailView(DetailView):
    queryset = Activity.objects.published().with_related().with_names()


class CountryDetailView(TemplateView):
    """Everything with partners from one country, and that country's own institutions."""

    template_name = "registry/country_detail.html"

    def get_context_data(self, **kwargs):
        code = self.kwargs["iso2"].upper()
        if code not in countries:
            raise Http404(_("No country has the code %(code)s.") % {"code": code})
        # Each list shows its first page and links to the listing filtered by the country for the rest.
        return super().get_context_data(
            country_code=code,
            country_name=countries.name(code),
            institutions=section(
                Institution.objects.published().in_countries([code]).only(*INSTITUTION_NAME_FIELDS, "city").with_names(), "catalog:institution_list", country=code),
            institutes=section(
                JointInstitute.objects.published().partnered_with_countries([code]).only("slug", "name", "native_name"),
                "partnerships:institute_list", country=code),
            programs=section(
                Program.objects.published().partnered_with_countries([code]).for_listing().with_names(),
                "partnerships:program_list", country=code),
            agreements=section(
                Agreement.objects.published().partnered_with_countries([code]).only("slug", "title"),
                "partnerships:agreement_list", country=code),
            **kwargs,
        )


class ApprovalNumberCheckView(TemplateView):
    """The public "Check an approval number" page: what a pasted number says, and the published records holding it."""

    template_name = "partnerships/approval_check.html"
    # Longer input is no approval number; reading it whole would only cost time.
    max_length = 200

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("number", "")[: self.max_length]
        context = super().get_context_data(number=text.strip(), **kwargs)
        if not text.strip():
            return context
        decoded = approval.decode(text)
        spellings = {text, decoded.normalised}
        return {
            **context,
            "decoded": decoded,
            "programs": Program.objects.published().holding_approval_number(*spellings).select_related("host"),
            "institutes": JointInstitute.objects.published().holding_approval_number(*spellings),
        }
