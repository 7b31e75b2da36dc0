from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every domain app uses: publishing, listings, facets, filters, the file format and the importer."""

    name = "core"
    verbose_name = _("Registry core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models import CharField
        from django.db.models.functions import Lower

        # name__lower__in=[...]: the importer finds a batch's records by case-insensitive names in one query.
        CharField.register_lookup(Lower)

        from . import cache, history

        history.connect()
        cache.connect()  # every committed write to a public record bumps the cached pages' data version
