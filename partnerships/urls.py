from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("institutes/<slug:slug>/", views.JointInstituteDetailView.as_view(), name="institute_detail"),
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("activities/<slug:slug>/", views.ActivityDetailView.as_view(), name="activity_detail"),
]
