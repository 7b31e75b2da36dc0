from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships: institutes, programs, agreements and figures")

    def ready(self):
        from core.fileformat import kinds

        from . import extensions, search
        from .formats import KINDS

        kinds.register(*KINDS)
        extensions.register()  # what catalog's pages and institution queries show of partnerships
        search.register()  # programs, institutes and agreements in the registry-wide search
