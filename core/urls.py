"""Core's public pages: the registry-wide search (``/search/``). Included from config/urls.py."""
from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
]
