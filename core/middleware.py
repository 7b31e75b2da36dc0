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
