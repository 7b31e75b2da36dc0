"""/healthz: do this instance's database and shared cache answer? For load balancers and Docker."""
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers

PROBE_KEY = "healthz-probe"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def cache_answers() -> bool | None:
    """None for a cache inside the process (nothing to be down), else whether it stores and reads."""
    cache = caches["default"]
    if isinstance(cache, (LocMemCache, DummyCache)):
        return None
    try:
        cache.set(PROBE_KEY, "ok", timeout=10)
        return cache.get(PROBE_KEY) == "ok"
    except Exception:  # each backend raises its own errors (redis.ConnectionError, …)
        return False


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when everything configured answers, else 503; never cached, no session or CSRF work."""
    checks = {"database": database_answers(), "cache": cache_answers()}
    healthy = all(result is not False for result in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{name: {True: "ok", False: "unavailable", None: "local"}[result] for name, result in checks.items()},
    }
    response = JsonResponse(body, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response
