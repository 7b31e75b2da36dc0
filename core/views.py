"""Views that every domain app's public pages build on (the listings are in ``core.listing``), and the
registry-wide search page."""
from urllib.parse import urlencode

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _, ngettext
from django.views.generic import DetailView, TemplateView

from .extensions import detail_sections
from .search import Match, SearchQueryError, empty_query_message, query_terms
from .search_index import search_index


class ExtensibleDetailView(DetailView):
    """A record's public page whose context also holds what other apps registered for its model
    (``core.extensions.detail_sections``): a lower app's page shows a higher app's records
    without importing that app."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = detail_sections.context(self.object)
        clash = context.keys() & sections.keys()
        if clash:
            raise ImproperlyConfigured(
                f"{type(self).__name__} already has {', '.join(sorted(clash))} in its context; "
                "a registered section may not replace it."
            )
        context.update(sections)
        return context


class SearchView(TemplateView):
    """``/search/?q=``: every searchable kind (``core.search_index``), each group with its count, its
    most relevant published records and a link to its listing filtered by the same ``q``."""

    template_name = "core/search.html"
    shown_per_kind = 5

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "")
        context = super().get_context_data(q=text, groups=[], total=0, error="", **kwargs)
        try:
            terms = query_terms(text)
        except SearchQueryError as error:
            context["error"] = str(error)
            return context
        if not terms:
            context["prompt"] = empty_query_message() if text.strip() == "" else _(
                "“%(text)s” has no letters or digits to search for."
            ) % {"text": text[:50]}
            return context
        for kind in search_index.kinds():
            context["groups"].append(self.group(kind, text))
        context["total"] = sum(group["count"] for group in context["groups"])
        context["total_text"] = ngettext("%(count)d record found", "%(count)d records found",
                                         context["total"]) % {"count": context["total"]}
        return context

    def group(self, kind, text: str) -> dict:
        published = kind.model._default_manager.published()
        found = Match(kind.model, text).apply(published)
        count = found.count()
        records = list(found.with_related()[: self.shown_per_kind]) if count else []
        return {
            "label": capfirst(kind.model._meta.verbose_name_plural),
            "count": count,
            "counted": kind.counted(count) if kind.counted else str(count),
            "results": [(record, kind.summary(record) if kind.summary else "") for record in records],
            "more": count > len(records),
            "url": f"{reverse(kind.listing)}?{urlencode({'q': text})}",
        }
