"""Caching that is never stale: every cached value is keyed by the registry's data version.

The data version is one number in the default cache (Redis in production, shared by every
worker; local memory for ``make run``). Every committed write to the public records bumps it:
saves, deletes and many-to-many changes through signals (``connect()``), bulk writes through an
explicit ``note_write()``. Entries are keyed by (what, query, language, version), so after a
bump the old ones are simply never read again and expire on their own.

A cache that fails (Redis down) never fails a page: the value is computed as if uncached, and
the cache is left alone for a short while so requests don't each wait for its timeout.
"""
import functools
import hashlib
import logging
import time
from pathlib import Path
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils import translation

logger = logging.getLogger(__name__)

# The apps whose records the public pages read; core's own models (proposals, seed fingerprints) are not shown.
DATA_APPS = ("catalog", "partnerships")
VERSION_KEY = "registry-data-version"
TIMEOUT = 24 * 60 * 60  # long: a bump makes old entries unreachable, expiry only frees the memory
PAUSE_AFTER_FAILURE = 30  # seconds without trying a failed cache again
_MISSING = object()

_state = {"down_until": 0.0, "bump_pending": False}


def _call(operation, *args, **kwargs):
    """``cache.operation(...)``, or _MISSING when the cache fails (or failed a moment ago)."""
    if time.monotonic() < _state["down_until"]:
        return _MISSING
    try:
        return getattr(cache, operation)(*args, **kwargs)
    except Exception as error:  # each backend raises its own errors (redis.ConnectionError, …)
        logger.warning("Cache unavailable (%s), computing without it for %ss: %s",
                       operation, PAUSE_AFTER_FAILURE, error)
        _state["down_until"] = time.monotonic() + PAUSE_AFTER_FAILURE
        return _MISSING


def _new_version() -> int:
    # Never an earlier version again, even if the version key was evicted while entries survived.
    return time.time_ns()


def bump_data_version() -> None:
    """Make every cached value unreachable. Runs once a write has committed."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet (or evicted): any new one will do
            if not cache.add(VERSION_KEY, _new_version(), timeout=None):
                cache.incr(VERSION_KEY)  # another process added one in between
    except Exception as error:
        # Remember it: this process bumps before it next reads a version, once the cache answers.
        logger.warning("Could not bump the registry data version: %s", error)
        _state["bump_pending"] = True
        _state["down_until"] = time.monotonic() + PAUSE_AFTER_FAILURE
        return
    _state["bump_pending"] = False


def data_version() -> int | None:
    """The current data version, or None when the cache does not answer or caching is switched off
    (``REGISTRY_PAGE_CACHE``; the load benchmark measures both): then nothing is cached."""
    if not getattr(settings, "REGISTRY_PAGE_CACHE", True):
        return None
    if _state["bump_pending"] and time.monotonic() >= _state["down_until"]:
        bump_data_version()
    if _state["bump_pending"]:
        return None
    version = _call("get", VERSION_KEY)
    if version is None:
        _call("add", VERSION_KEY, _new_version(), timeout=None)
        version = _call("get", VERSION_KEY)
    return None if version is _MISSING or version is None else version


def schedule_bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Bump the version when the current transaction commits (at once outside one), once per transaction."""
    connection = connections[using]
    if connection.in_atomic_block and any(getattr(func, "pending", False) for _, func, _ in connection.run_on_commit):
        return  # already scheduled in this transaction (an import writes thousands of rows)

    def bump():
        bump.pending = False
        bump_data_version()

    bump.pending = True
    transaction.on_commit(bump, using=using, robust=True)


def note_write(*args, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """A public record was written (a signal receiver, or called after a bulk write)."""
    schedule_bump(using or DEFAULT_DB_ALIAS)


def connect() -> None:
    """Bump on every save, delete and many-to-many change of the public records (and after migrate/flush)."""
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models():
            if hasattr(model, "instance_type"):  # simple-history's entries: the public never reads them
                continue
            post_save.connect(note_write, sender=model, dispatch_uid=f"core.cache.save.{model._meta.label}")
            post_delete.connect(note_write, sender=model, dispatch_uid=f"core.cache.delete.{model._meta.label}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(note_write, sender=field.remote_field.through,
                                    dispatch_uid=f"core.cache.m2m.{model._meta.label}.{field.name}")
    post_migrate.connect(note_write, dispatch_uid="core.cache.migrate")
    # Settings change at run time only in tests (override_settings); pages rendered before must not be served.
    setting_changed.connect(lambda **kwargs: bump_data_version(), weak=False, dispatch_uid="core.cache.settings")


@functools.cache
def release() -> str:
    """A fingerprint of the code, templates, translations and static files this process serves.

    Part of every key, so pages that an earlier release rendered (and left in Redis) are never served
    after a deploy. Only file names, sizes and times are read: a few milliseconds, once per process.
    """
    base = Path(settings.BASE_DIR)
    roots = [Path(config.path) for config in apps.get_app_configs()
             if Path(config.path).is_relative_to(base) and "site-packages" not in Path(config.path).parts]
    roots += [Path(folder) for template in settings.TEMPLATES for folder in template.get("DIRS", [])]
    roots += [Path(folder) for folder in [*settings.LOCALE_PATHS, *settings.STATICFILES_DIRS, base / "config"]]
    digest = hashlib.sha256()
    for root in sorted(set(roots)):
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


def normalised_query(query, *, ignore=()) -> str:
    """``query`` (a QueryDict) in one spelling: parameters sorted, blank values dropped, repeats removed."""
    pairs = []
    for name in sorted(query):
        if name in ignore:
            continue
        values = [value for value in query.getlist(name) if value.strip()]
        pairs += [(name, value) for value in dict.fromkeys(values)]
    return urlencode(pairs)


def _key(kind: str, what: str, version: int, *parts: str) -> str:
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"{kind}:{what}:{translation.get_language() or ''}:{release()}.{version}:{digest}"


def cached(what: str, compute, *, query: str = ""):
    """``compute()``'s value for ``what`` and ``query``, from the cache while the data is unchanged."""
    version = data_version()
    if version is None:
        return compute()
    key = _key("data", what, version, query)
    value = _call("get", key, _MISSING)
    if value is _MISSING:
        value = compute()
        _call("set", key, value, timeout=TIMEOUT)
    return value


def _anonymous_without_messages(request) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    return not len(get_messages(request))


def _storable(request, response) -> bool:
    """A plain 200 page that sets nothing for this visitor alone (cookies, CSRF token, messages, nonces)."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "") and "no-store" not in response.get("Cache-Control", "")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "session", None), "modified", False)
        and not len(get_messages(request))
        and b'nonce="' not in response.content
    )


class AnonymousPageCacheMixin:
    """Serves whole anonymous GET pages from the cache, keyed by the exact address (scheme, host, path and
    query string as sent: the page repeats them in its links), the language and the data version.

    Logged-in staff, visitors with messages waiting, and responses that set cookies are never cached.
    """

    # The query parameters a cached page may have (None: any); others (?utm_source=…, made-up ones) are
    # computed each time, so nobody can fill the cache with copies of a page.
    page_cache_parameters: frozenset | None = None

    def get_page_cache_parameters(self):
        return self.page_cache_parameters

    def dispatch(self, request, *args, **kwargs):
        allowed = self.get_page_cache_parameters()
        cacheable = allowed is None or set(request.GET) <= allowed
        version = data_version() if cacheable and _anonymous_without_messages(request) else None
        if version is None:
            return self._dispatch_atomically(request, *args, **kwargs)
        what = f"{type(self).__module__}.{type(self).__qualname__}"
        address = [request.scheme, request.get_host(), request.path, request.META.get("QUERY_STRING", "")]
        key = _key("page", what, version, *address)
        hit = _call("get", key)
        if hit not in (None, _MISSING):
            content, headers = hit
            return HttpResponse(content, headers=headers)

        def store(response):
            if _storable(request, response):
                _call("set", key, (response.content, dict(response.items())), timeout=TIMEOUT)

        response = self._dispatch_atomically(request, *args, **kwargs)
        if getattr(response, "is_rendered", True):
            store(response)
        else:
            response.add_post_render_callback(store)
        return response

    # A page served from the cache needs no database, not even ATOMIC_REQUESTS's transaction (so cached pages
    # are served through a database outage too); a page that is computed gets that transaction here instead.
    dispatch._non_atomic_requests = {DEFAULT_DB_ALIAS}

    def _dispatch_atomically(self, request, *args, **kwargs):
        if not connections[DEFAULT_DB_ALIAS].settings_dict.get("ATOMIC_REQUESTS"):
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic(using=DEFAULT_DB_ALIAS):
            return super().dispatch(request, *args, **kwargs)
