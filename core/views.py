"""Views that every domain app's public pages build on (the listings are in ``core.listing``)."""
from django.core.exceptions import ImproperlyConfigured
from django.views.generic import DetailView

from .extensions import detail_sections


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
