"""The registry's URLconf with the Fortunes page in front of it."""
from django.urls import path

from config.urls import handler500, urlpatterns as registry  # noqa: F401 (Django reads handler500 here)

from .fortunes import fortunes

urlpatterns = [path("fortunes/", fortunes), *registry]
