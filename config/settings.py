"""Settings for the Joint Education Registry.

Everything that differs between machines is read once, here, from the
environment (or, outside production, a local ``.env`` file): ``DJANGO_*``
variables and the conventional ``DATABASE_URL``. No secret is baked in.

``DJANGO_ENV=production`` refuses to start without its required variables and
turns on HTTPS-only settings; ``development`` (the default) is for ``make run``
and the tests.
"""
import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE as CSP_NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"

env = environ.Env()
if not PRODUCTION:
    # A checkout's own .env; a production server is configured by its real environment only.
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PRODUCTION_REQUIRES = ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_CACHE_URL"]
if PRODUCTION:
    missing = [name for name in PRODUCTION_REQUIRES if not env.str(name, default="").strip()]
    if missing:
        raise ImproperlyConfigured(
            f"DJANGO_ENV=production needs {', '.join(missing)} set in the environment "
            f"(required: {', '.join(PRODUCTION_REQUIRES)})."
        )

# The four source articles the seed facts cite (shared/ sits beside the checkout).
SEEDS_DIR = Path(env.str("DJANGO_SEEDS_DIR", default=str(BASE_DIR.parent / "shared" / "seeds")))
# The seed facts drawn from those articles, as files in the registry's import format.
SEED_FACTS_DIR = BASE_DIR / "partnerships" / "seeds"

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off when DJANGO_ENV=production.")
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY (make writes a random one into .env for local use)."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# How many reverse proxies in front of the app append to X-Forwarded-For; 0 = the header is ignored.
REGISTRY_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
if REGISTRY_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be 0 or more.")
# The admin's URL prefix, e.g. "staff/" (no leading slash).
REGISTRY_ADMIN_PATH = env.str("DJANGO_ADMIN_PATH", default="admin/").strip().strip("/") + "/"
if REGISTRY_ADMIN_PATH == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_PATH may not be empty: the public pages live at the root.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "core",
    "catalog",
    "partnerships",
]

MIDDLEWARE = [
    # First: /healthz answers before host checks, the HTTPS redirect and sessions.
    "core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database outage answers 503 (with Retry-After), not 500.
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.middleware.HostileInputMiddleware",  # NUL in the path or query, or too many values: 400
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A first visit from a Chinese-preferring browser (or a chosen language) goes to /zh-hans/…
    "core.i18n.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it locks out repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
]

# Limits on hostile input (answered with a clear 4xx or a message, never a 500):
# - one query parameter may be given at most this many times (?discipline=…&discipline=…);
REGISTRY_MAX_VALUES_PER_PARAMETER = 50
# - the admin import refuses larger files up front; `manage.py import_registry` streams files of any size.
REGISTRY_ADMIN_IMPORT_MAX_BYTES = 5 * 1024 * 1024

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# History keeps the full reason an editor gives, not the first 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Failed logins lock one account from one address, so a mistyping colleague (or an attacker)
# behind the same address or proxy never locks the others out. Attempts are counted in the
# shared cache (Redis in production), like the API throttle: every worker sees the same count,
# and a lock expires on its own after the cool-off. Each lock is logged (core.logins).
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_AXES_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.logins.client_address"
AXES_LOCKOUT_CALLABLE = "core.logins.lockout_response"

# A strict Content-Security-Policy on every page, the admin and the API docs included: scripts, styles,
# images and fonts from this site only, no inline script or style. The one library page that needs an
# inline <style> (Swagger UI) carries the request's nonce; the nonce appears in the header only then.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # the admin's and Swagger UI's icons are data: URIs
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [CSP_NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [CSP_NONE],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite is the embedded default; production and CI point DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Reused connections, checked before each request's first query, so the first requests after a
# database restart reconnect instead of failing.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # An unreachable server fails the request quickly (503) instead of holding a worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DJANGO_DB_CONNECT_TIMEOUT", default=5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django's zh_Hans formats drop the thousands separator ("1650"); config/formats keeps "1,650".
FORMAT_MODULE_PATH = ["config.formats"]
# The language a visitor chose with the switcher (core.i18n); a year, so it outlives the session.
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("DJANGO_STATIC_MANIFEST", default=False)
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}

# Public pages.
REGISTRY_PAGE_SIZE = env.int("DJANGO_REGISTRY_PAGE_SIZE", default=25)
REGISTRY_DATA_LICENCE = env.str(
    "DJANGO_REGISTRY_DATA_LICENCE",
    default="Creative Commons Attribution 4.0 International (CC BY 4.0)",
)

# JSON API: read-only, public, throttled for anonymous clients.
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": REGISTRY_PAGE_SIZE,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("DJANGO_API_ANON_RATE", default="120/minute")},
    "UNAUTHENTICATED_USER": None,
    # The client is X-Forwarded-For's entry appended by the outermost trusted proxy, else REMOTE_ADDR.
    "NUM_PROXIES": REGISTRY_TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    # Lazy: /api/schema/?lang=zh-hans (and the docs in Chinese) translate them.
    "TITLE": _("Joint Education Registry API"),
    "DESCRIPTION": _("Read-only access to China–foreign joint institutes, programs, "
                     "institutions, agreements and the sourced figures about them."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets shared by several fields, named once in the schema.
    "ENUM_NAME_OVERRIDES": {
        "InstitutionKindEnum": "catalog.choices.InstitutionKind",
        "AgreementKindEnum": "partnerships.choices.AgreementKind",
        "ActivityKindEnum": "partnerships.choices.ActivityKind",
        "ApprovalStatusEnum": "partnerships.choices.ApprovalStatus",
        "AgreementStatusEnum": "partnerships.choices.AgreementStatus",
        "DatePrecisionEnum": "core.choices.DatePrecision",
    },
}

# Shared state (the API throttle, and the health check's probe): Redis in production, so every
# worker counts against the same limits; local memory is per process.
CACHES = {
    "default": env.cache("DJANGO_CACHE_URL", default="locmemcache://registry")
}
CACHES["default"]["KEY_PREFIX"] = env.str("DJANGO_CACHE_KEY_PREFIX", default="registry")
# Facet counts, home statistics and anonymous listing pages are cached until the data changes (core.cache);
# off only to measure the uncached cost (bench/load.py).
REGISTRY_PAGE_CACHE = env.bool("DJANGO_REGISTRY_PAGE_CACHE", default=True)

SILENCED_SYSTEM_CHECKS = []
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    # axes warns that a per-process cache cannot share login attempts between workers; `make run` and
    # the tests are one process, and production requires DJANGO_CACHE_URL (Redis).
    SILENCED_SYSTEM_CHECKS.append("axes.W001")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that stops answering fails requests within seconds instead of hanging workers.
    CACHES["default"].setdefault("OPTIONS", {}).update(socket_connect_timeout=2, socket_timeout=2)

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
    CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True

if PRODUCTION:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
        # Only behind a proxy that terminates TLS and always sets (or strips) this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS += [
        # Deliberate choices, each made by its own variable: preload is hard to undo, so it is
        # opt-in; a proxy in front may do the HTTPS redirect itself.
        *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),
        *(["security.W008"] if not SECURE_SSL_REDIRECT else []),
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
AXES_VERBOSE = False
