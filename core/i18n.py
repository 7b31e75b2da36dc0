"""The page's language: the switcher's links and view, and the first visit's redirect to /zh-hans/.

Addresses keep their language (config/urls.py: /programs/ is English, /zh-hans/programs/ Chinese).
A visitor's choice is the ``django_language`` cookie, set by ``choose_language``; without one, a
browser whose Accept-Language prefers Chinese is sent once to the Chinese address of the page it asked for.
"""
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import is_valid_path, reverse, translate_url
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, get_language_from_request, get_language_info, override
from django.utils.translation.trans_real import get_language_from_path
from django.views.decorators.cache import never_cache

# Never redirected: the API and health check (outside i18n_patterns), static files.
UNREDIRECTED_PREFIXES = ("/api/", "/language/", "/healthz", "/" + settings.STATIC_URL.lstrip("/"))


def language_path(path: str, code: str) -> str:
    """``path`` (with its query string) in language ``code``: translate_url where the path resolves,
    else the language prefix swapped by hand (a 404 page still links to its other language)."""
    translated = translate_url(path, code)
    if translated != path or get_language_from_path(path) == code:
        return translated
    current = get_language_from_path(path)
    if current and current != settings.LANGUAGE_CODE:
        path = path[len(current) + 1:] or "/"
    if code != settings.LANGUAGE_CODE:
        path = f"/{code}{path}"
    return path


def in_page_language(english: str, chinese: str) -> str:
    """The name for a compact label (a facet option): the Chinese one on Chinese pages, when known."""
    return chinese if chinese and (get_language() or "").startswith("zh") else english


@dataclass
class LanguageLink:
    code: str
    name: str  # in its own language: "English", "简体中文"
    url: str  # the switcher's address, which sets the cookie and goes to ``next``
    page_url: str  # the same page in that language (for hreflang alternates)
    current: bool


def language_links(request: HttpRequest) -> list[LanguageLink]:
    """One link per language to the page being shown, query string kept."""
    here = request.get_full_path()
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        page_url = language_path(here, code)
        links.append(LanguageLink(
            code=code, name=get_language_info(code)["name_local"], page_url=page_url, current=code == current,
            url=f"{reverse('choose_language', args=[code])}?{urlencode({'next': page_url})}",
        ))
    return links


@never_cache
def choose_language(request: HttpRequest, code: str):
    """/language/<code>/?next=…: remember the choice (cookie) and show ``next`` in that language.
    ``next`` must be a page of this site; anything else goes to the home page."""
    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(language_path(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def is_file(path: str) -> bool:
    """A download (/data/programs.csv, /programs/export.csv): its address is what a script asked for."""
    return "." in path.rstrip("/").rsplit("/", 1)[-1]


class PreferredLanguageMiddleware:
    """An English (unprefixed) page asked for by someone who prefers another language (the cookie,
    else the browser's Accept-Language on a first visit) answers 302 to that language's address.
    Those pages vary on both headers, so a cache never serves one visitor's redirect to another."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not self.applies(request):
            return self.get_response(request)
        preferred = get_language_from_request(request)  # cookie first, then Accept-Language
        target = language_path(request.path_info, preferred)
        with override(preferred):  # i18n_patterns match only the active language's prefix
            valid = is_valid_path(target, getattr(request, "urlconf", None))
        if preferred != settings.LANGUAGE_CODE and valid:
            script_prefix = request.path[: len(request.path) - len(request.path_info)]
            query = request.META.get("QUERY_STRING", "")
            response = HttpResponseRedirect(f"{script_prefix}{target}" + (f"?{query}" if query else ""))
        else:
            response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    @staticmethod
    def applies(request: HttpRequest) -> bool:
        path = request.path_info
        return (request.method in ("GET", "HEAD") and get_language_from_path(path) is None
                and not path.startswith(UNREDIRECTED_PREFIXES) and not is_file(path))
