"""The site's error pages, rendered without touching the database.

``server_error`` is ``handler500``; a database error that reaches it (raised outside a view, where
``DatabaseUnavailableMiddleware`` cannot catch it) still answers 503.
"""
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_down(exception: BaseException | None) -> bool:
    return isinstance(exception, DATABASE_DOWN)


def render_page(request: HttpRequest, template: str, *, status: int) -> HttpResponse:
    """The page in the site's look; plain text if even that fails, so an error page never errs."""
    try:
        body = render_to_string(template, request=request)
    except Exception:
        logger.exception("The %s page could not be rendered.", status)
        body = f"{status}"
        return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(body, status=status)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    response = render_page(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    if database_down(sys.exc_info()[1]):
        return service_unavailable(request)
    return render_page(request, "500.html", status=500)
