from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("programs/", views.ProgramListView.as_view(), name="program_list"),
    path("programs/export.csv", views.ProgramExportView.as_view(), name="program_export"),
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("institutes/", views.JointInstituteListView.as_view(), name="institute_list"),
    path("institutes/export.csv", views.JointInstituteExportView.as_view(), name="institute_export"),
    path("institutes/<slug:slug>/", views.JointInstituteDetailView.as_view(), name="institute_detail"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/export.csv", views.AgreementExportView.as_view(), name="agreement_export"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("activities/<slug:slug>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("figures/export.csv", views.FigureExportView.as_view(), name="figure_export"),
    path("countries/<str:iso2>/", views.CountryDetailView.as_view(), name="country_detail"),
    path("approval-numbers/", views.ApprovalNumberCheckView.as_view(), name="approval_check"),
]
