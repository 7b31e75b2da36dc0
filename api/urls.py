from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.register("programs", views.ProgramViewSet, basename="program")
router.register("institutes", views.JointInstituteViewSet, basename="institute")
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("figures", views.FigureViewSet, basename="figure")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, as the Content-Security-Policy requires.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Last: any other path under /api/ (e.g. a slug with a dot) answers in JSON, not the site's HTML 404.
    re_path(r"^[\s\S]*$", views.not_found, name="not-found"),  # [\s\S]: also paths with a newline
]
