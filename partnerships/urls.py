from django.urls import path

from core.listing import export_paths

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("programs/", views.ProgramListView.as_view(), name="program_list"),
    *export_paths("programs/", views.ProgramExportView, "program_export"),
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("institutes/", views.JointInstituteListView.as_view(), name="institute_list"),
    *export_paths("institutes/", views.JointInstituteExportView, "institute_export"),
    path("institutes/<slug:slug>/", views.JointInstituteDetailView.as_view(), name="institute_detail"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    *export_paths("agreements/", views.AgreementExportView, "agreement_export"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("activities/<slug:slug>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    *export_paths("figures/", views.FigureExportView, "figure_export"),
    path("countries/<str:iso2>/", views.CountryDetailView.as_view(), name="country_detail"),
    path("approval-numbers/", views.ApprovalNumberCheckView.as_view(), name="approval_check"),
]
