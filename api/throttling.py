from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Per-IP limit for anonymous clients, read from settings on every request.

    DRF's own class copies the rates once at import, so a changed
    ``DEFAULT_THROTTLE_RATES`` (or a test's override) would be ignored.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
