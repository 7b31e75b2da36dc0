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

        from django.db.models.signals import post_migrate

        from . import cache, history

        history.connect()
        cache.connect()  # every committed write to a public record bumps the cached pages' data version
        # A database migrated to the search entries gets them built (once; afterwards writes keep them).
        post_migrate.connect(_build_missing_search_entries, sender=self, dispatch_uid="core-search-entries")


def _build_missing_search_entries(using, plan=None, **kwargs):
    from django.db import DEFAULT_DB_ALIAS, connections

    from .models import SearchEntry
    from .search_index import search_index

    # Not when migrating back to before the table existed.
    if using == DEFAULT_DB_ALIAS and SearchEntry._meta.db_table in connections[using].introspection.table_names():
        search_index.rebuild(search_index.stale_kinds())
