from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core.i18n import choose_language

admin.site.site_header = _("Joint Education Registry administration")
admin.site.site_title = _("Joint Education Registry")
admin.site.index_title = _("Keep the registry's records right")

# /healthz is answered by core.middleware.HealthCheckMiddleware, before any URL is resolved.
urlpatterns = [
    path("api/", include("api.urls")),
    # The language switcher's links: sets the django_language cookie, then shows ?next= in that language.
    path("language/<str:code>/", choose_language, name="choose_language"),
]
# Pages keep their language in the address: /programs/ is English, /zh-hans/programs/ Chinese.
urlpatterns += i18n_patterns(
    path(settings.REGISTRY_ADMIN_PATH, admin.site.urls),
    path("data/", include("core.opendata")),
    path("corrections/", include("core.corrections")),
    path("search/", include("core.urls")),
    path("", include("catalog.urls")),
    path("", include("partnerships.urls")),
    prefix_default_language=False,
)

# A database error outside a view answers 503 here too; templates/404.html is Django's default handler's.
handler500 = "core.errors.server_error"
