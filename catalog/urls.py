from django.urls import path

from core.listing import export_paths

from . import views

app_name = "catalog"

urlpatterns = [
    path("institutions/", views.InstitutionListView.as_view(), name="institution_list"),
    *export_paths("institutions/", views.InstitutionExportView, "institution_export"),
    path("institutions/<slug:slug>/", views.InstitutionDetailView.as_view(), name="institution_detail"),
    path("disciplines/<str:catalogue>/<str:code>/", views.DisciplineDetailView.as_view(), name="discipline_detail"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source_detail"),
]
