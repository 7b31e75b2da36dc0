"""Middleware for running in production: the health check, and a friendly 503 while the database is down."""
import logging

from django.http import HttpRequest

from . import errors, health

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answers /healthz first in the chain: a probe on 127.0.0.1 over plain HTTP is neither refused by
    ALLOWED_HOSTS nor redirected to HTTPS, and no session, CSRF or transaction work is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path_info == HEALTH_PATH:
            return health.healthz(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view (or its template) that cannot reach the database answers the 503 page with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not errors.database_down(exception):
            return None
        logger.warning("Database unavailable, answering 503 for %s: %s", request.path, exception)
        return errors.service_unavailable(request)


# More values than this for one query parameter is refused (400): each value may cost a query.
MAX_VALUES_PER_PARAMETER = 50


class HostileInputMiddleware:
    """Answers 400, before any view runs, for a path or query string holding a NUL character (PostgreSQL
    refuses NUL in text, so a lookup would be a server error) or repeating one query parameter more than
    ``settings.REGISTRY_MAX_VALUES_PER_PARAMETER`` times. The API gets JSON in its own error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        from django.conf import settings
        from django.utils.translation import override
        from django.utils.translation.trans_real import get_language_from_path

        # Before LocaleMiddleware: the 400 page speaks the language of the address it was asked at.
        with override(get_language_from_path(request.path_info) or settings.LANGUAGE_CODE):
            parameter, problem = self.problem(request)
            if problem:
                return bad_request(request, parameter, problem)
        return self.get_response(request)

    @staticmethod
    def problem(request: HttpRequest) -> tuple[str | None, str]:
        """(the query parameter at fault, or None for the path; what is wrong), or (None, "")."""
        from django.conf import settings
        from django.utils.translation import gettext as _

        if "\x00" in request.path or "\x00" in request.path_info:
            return None, _("The address contains a NUL character, which no page of the registry has.")
        limit = getattr(settings, "REGISTRY_MAX_VALUES_PER_PARAMETER", MAX_VALUES_PER_PARAMETER)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                # Django's own wording (forms.CharField's), which the API already answered with.
                return name.replace("\x00", ""), _("Null characters are not allowed.")
            if len(values) > limit:
                return name, _("Too many values for “%(name)s”: at most %(limit)d may be given at once.") % {
                    "name": name, "limit": limit}
        return None, ""


def bad_request(request: HttpRequest, parameter: str | None, message: str):
    """A short 400 page (JSON under /api/); it needs no template, session or database, so it cannot fail."""
    from django.http import HttpResponseBadRequest, JsonResponse
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    if request.path_info.startswith("/api/"):
        return JsonResponse({parameter or "detail": [message] if parameter else message}, status=400)
    body = format_html('<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
                       '<body><h1>{title}</h1><p>{message}</p><p><a href="/">{home}</a></p></body></html>',
                       title=_("Bad request"), message=message, home=_("Go to the registry’s home page"))
    return HttpResponseBadRequest(body, content_type="text/html; charset=utf-8")
