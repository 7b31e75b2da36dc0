"""Generic public listing and CSV download views, which every domain app's listings subclass.

Both start from published records only and filter with the app's FilterSet, so the page,
its CSV download and the API agree on what a query string selects.
"""
import sys

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from .facets import build_facets
from .fileformat import kinds
from .fileformat.writing import csv_chunks, export_rows


def filter_errors(filterset) -> list[str]:
    """The filterset's validation errors as sentences naming the parameter."""
    return [
        f"{filterset.filters[name].label if name in filterset.filters else name}: {message}"
        for name, messages in filterset.errors.items()
        for message in messages
    ]


def requested_page(raw: str) -> int:
    """The page number ``raw`` asks for, or 0 when it is not a whole number from 1 up.

    Digits too many for int() (or for any listing) ask for a page past the end.
    """
    digits = raw.strip().lstrip("0")
    if not raw.strip().isdecimal() or not digits:
        return 0
    return int(digits) if len(digits) < 19 else sys.maxsize


class RegistryListView(FilterView):
    """A filterable, paginated listing with facet counts; never a 500 for bad input."""

    template_name = "registry/listing.html"
    results_template = ""  # renders ``page_obj``
    export_url_name = ""
    title = ""
    intro = ""

    def base_queryset(self):
        return self.filterset_class._meta.model.objects.published()

    def get_queryset(self):
        return self.base_queryset().with_related().with_names()

    def get_paginate_by(self, queryset):
        return settings.REGISTRY_PAGE_SIZE

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET  # always bound: no parameters is a valid, empty selection
        return kwargs

    def paginate_queryset(self, queryset, page_size):
        """Like ListView's, but a bad or too large page number shows a page with a notice, not a 404."""
        paginator = self.get_paginator(queryset, page_size)
        raw = self.request.GET.get("page", "1")
        number = requested_page(raw)
        page = paginator.get_page(number or 1)  # past the end: the last page
        if not number:
            self.page_notice = _("“%(page)s” is not a page number, so the first page is shown.") % {"page": raw[:20]}
        elif page.number != number:
            self.page_notice = _("There is no page %(page)s; the last page (%(last)s) is shown.") % {
                "page": raw[:20], "last": page.number,
            }
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        self.page_notice = ""
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            title=self.title,
            intro=self.intro,
            results_template=self.results_template,
            facets=build_facets(self.filterset, self.base_queryset()),
            errors=filter_errors(self.filterset),
            page_notice=self.page_notice,
            page_links=context["paginator"].get_elided_page_range(context["page_obj"].number, on_each_side=2),
            export_url=f"{reverse(self.export_url_name)}?{query.urlencode()}" if query else reverse(self.export_url_name),
            has_selection=bool(query),
        )
        return context


class CsvExportView(View):
    """All the filtered rows of one kind as CSV (UTF-8, one header row), streamed."""

    filterset_class = None
    kind = ""  # the name of a kind of the file format (core.fileformat); also the file name

    def get(self, request):
        model = self.filterset_class._meta.model
        filterset = self.filterset_class(request.GET, queryset=model.objects.published(), request=request)
        if not filterset.is_valid():
            message = "\n".join(filter_errors(filterset))
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        kind = kinds[self.kind]
        rows = export_rows(kind, filterset.qs)
        response = StreamingHttpResponse(csv_chunks(kind, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.kind}.csv"'
        return response
