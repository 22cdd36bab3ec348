"""Small pieces of request handling shared by the whole portal."""

import logging

from django.utils.cache import add_never_cache_headers


class PrivatePagesNotCachedMiddleware:
    """Pages for a logged-in user are private: `Cache-Control: no-store` (and private, no-cache), so that no
    browser or proxy cache keeps grant amounts or personal data after logging out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class NoTracebackFor4xx(logging.Filter):
    """A 403 or 404 is an answer, not an error: log it as one line without the exception's traceback."""

    def filter(self, record):
        if getattr(record, "status_code", None) in (400, 403, 404, 405) or record.name == "django.security.csrf":
            record.exc_info = None
            record.exc_text = None
        return True
