from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.urls import include, path

admin.site.site_header = _("Joint Education Registry administration")
admin.site.site_title = _("Joint Education Registry")
admin.site.index_title = _("Keep the registry's records right")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("data/", include("core.opendata")),
    path("", include("catalog.urls")),
    path("", include("partnerships.urls")),
]
