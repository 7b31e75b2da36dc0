"""The load benchmark's settings: the registry's own, plus the plain-Django Fortunes page
(``/fortunes/``), so that both are served by one gunicorn on the same settings."""
from config.settings import *  # noqa: F401,F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
