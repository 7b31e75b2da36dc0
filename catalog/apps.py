from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog: institutions, disciplines and sources")

    def ready(self):
        from core.fileformat import kinds

        from . import search
        from .formats import KINDS

        kinds.register(*KINDS)
        search.register()  # institutions in the registry-wide search
