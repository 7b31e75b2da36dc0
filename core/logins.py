"""Staff logins under django-axes: whose address a login comes from, and the page a locked login gets."""
import logging

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For's entry appended by the outermost of
    ``REGISTRY_TRUSTED_PROXY_COUNT`` trusted proxies (DRF's throttle reads it the same way).

    Without a trusted proxy the header is ignored: anyone can send it.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.REGISTRY_TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not count or not forwarded:
        return remote
    return forwarded[-min(count, len(forwarded))]


def cool_off_minutes(request: HttpRequest) -> int:
    """Minutes a locked login waits; 0 when locks never expire (AXES_COOLOFF_TIME = None)."""
    cool_off = get_cool_off(request)
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> TemplateResponse:
    """Axes' answer to a locked login (AXES_LOCKOUT_CALLABLE): the site's page saying for how long.

    Logged at every refusal, so the log shows both the lock and attempts made during it.
    """
    minutes = cool_off_minutes(request)
    failure_limit = get_failure_limit(request, credentials)
    logger.warning(
        "Login locked: account %r from %s after %d failed attempts, for %d minutes.",
        get_client_username(request, credentials) or "",
        getattr(request, "axes_ip_address", None) or client_address(request),
        failure_limit,
        minutes,
    )
    response = TemplateResponse(
        request,
        "registration/lockout.html",
        {"minutes": minutes, "failure_limit": failure_limit},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    return response.render()
