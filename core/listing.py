"""Generic public listing and CSV download views, which every domain app's listings subclass.

Both start from published records only and filter with the app's FilterSet, so the page,
its CSV download and the API agree on what a query string selects.
"""
import sys
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from . import cache
from .downloads import content_disposition, selection
from .facets import build_facets
from .fileformat import kinds
from .fileformat.writing import csv_chunks, export_rows
from .fileformat.xlsx import CONTENT_TYPE as XLSX_TYPE, xlsx_file


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


@dataclass
class Section:
    """A list on a detail page (a country's programs, a discipline's institutions): its first
    records, how many there are in all, and the listing that pages through the rest."""

    records: list
    total: int
    listing_url: str

    @property
    def more(self) -> bool:
        return self.total > len(self.records)


def section(queryset, url_name: str, **query) -> Section:
    """The first page (REGISTRY_PAGE_SIZE) of ``queryset``, its total and the listing ``url_name``
    filtered by ``query``: the same queries however many records there are."""
    records = list(queryset.stably_ordered()[:settings.REGISTRY_PAGE_SIZE])
    return Section(records, queryset.count(), f"{reverse(url_name)}?{urlencode(query)}")


MAX_PAGES = 400  # deeper pages cost an ever longer OFFSET walk; filters reach those records instead


class BoundedPaginator(Paginator):
    """Offers at most MAX_PAGES pages; ``count`` stays the true number of results."""

    @cached_property
    def all_pages(self) -> int:
        return Paginator.num_pages.func(self)

    @cached_property
    def num_pages(self) -> int:
        return min(self.all_pages, MAX_PAGES)


class RegistryListView(cache.AnonymousPageCacheMixin, FilterView):
    """A filterable, paginated listing with facet counts; never a 500 for bad input.

    Anonymous pages and the facet counts are cached until the registry's data changes (core.cache).
    """

    template_name = "registry/listing.html"
    results_template = ""  # renders ``page_obj``
    export_url_name = ""
    title = ""
    intro = ""

    def get_page_cache_parameters(self):
        return frozenset({*self.filterset_class.base_filters, "page"})

    paginator_class = BoundedPaginator

    def base_queryset(self):
        return self.filterset_class._meta.model.objects.published()

    def get_queryset(self):
        return self.base_queryset().for_listing().with_names()

    def get_paginate_by(self, queryset):
        return settings.REGISTRY_PAGE_SIZE

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET  # always bound: no parameters is a valid, empty selection
        return kwargs

    def paginate_queryset(self, queryset, page_size):
        """Like ListView's, but a bad or too large page number shows a page with a notice, not a 404."""
        paginator = self.get_paginator(queryset.stably_ordered(), page_size)
        raw = self.request.GET.get("page", "1")
        number = requested_page(raw)
        page = paginator.get_page(number or 1)  # past the end: the last page
        if not number:
            self.page_notice = _("“%(page)s” is not a page number, so the first page is shown.") % {"page": raw[:20]}
        elif paginator.num_pages < number <= paginator.all_pages:
            self.page_notice = _(
                "Only the first %(pages)s pages of results are shown. Narrow the selection with the filters "
                "(country, discipline, level…) or a search to reach the others."
            ) % {"pages": MAX_PAGES}
        elif page.number != number:
            self.page_notice = _("There is no page %(page)s; the last page (%(last)s) is shown.") % {
                "page": raw[:20], "last": page.number,
            }
        return paginator, page, page.object_list, page.has_other_pages()

    @staticmethod
    def _with_query(url: str, query) -> str:
        return f"{url}?{query.urlencode()}" if query else url

    def get_context_data(self, **kwargs):
        self.page_notice = ""
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            title=self.title,
            intro=self.intro,
            results_template=self.results_template,
            facets=self.facets(),
            errors=filter_errors(self.filterset),
            page_notice=self.page_notice,
            page_links=context["paginator"].get_elided_page_range(context["page_obj"].number, on_each_side=2),
            export_url=self._with_query(reverse(self.export_url_name), query),
            export_xlsx_url=self._with_query(reverse(xlsx_name(self.export_url_name)), query),
            has_selection=bool(query),
        )
        return context

    def facets(self):
        # Sorting and the page number change no count, so every page and order shares one entry.
        return cache.cached(
            f"facets:{type(self).__module__}.{type(self).__qualname__}",
            lambda: build_facets(self.filterset, self.base_queryset()),
            query=cache.normalised_query(self.request.GET, ignore=("page", "sort")),
        )


class CsvExportView(View):
    """All the filtered rows of one kind, as CSV (UTF-8 with a byte-order mark, for Excel) or as XLSX.

    Both are written from the same row iterator, with the kind's export-only columns (page addresses,
    partner countries, Chinese names), and named after the selection and the day
    (``programs_country-RU_2026-11-24.csv``). ``export_paths()`` declares a listing's two URLs.
    """

    filterset_class = None
    kind = ""  # the name of a kind of the file format (core.fileformat)
    file_format = "csv"

    def get(self, request):
        model = self.filterset_class._meta.model
        filterset = self.filterset_class(request.GET, queryset=model.objects.published(), request=request)
        if not filterset.is_valid():
            message = "\n".join(filter_errors(filterset))
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        kind = kinds[self.kind]
        rows = export_rows(kind, filterset.qs, absolute_uri=request.build_absolute_uri)
        if self.file_format == "xlsx":
            # A workbook is a zip, whole only at its end: built (on disk past 1 MB), then sent.
            response = FileResponse(xlsx_file(kind, rows, header=kind.download_headers), content_type=XLSX_TYPE)
        else:
            response = StreamingHttpResponse(csv_chunks(kind, rows, header=kind.download_headers, bom=True),
                                             content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition(
            self.kind, selection(filterset), timezone.localdate(), self.file_format)
        return response


def export_paths(route: str, view: type[CsvExportView], name: str) -> list:
    """A listing's downloads: ``route`` + export.csv named ``name``, export.xlsx named ``name``_xlsx."""
    return [
        path(f"{route}export.csv", view.as_view(), name=name),
        path(f"{route}export.xlsx", view.as_view(file_format="xlsx"), name=xlsx_name(name)),
    ]


def xlsx_name(name: str) -> str:
    return f"{name}_xlsx"
