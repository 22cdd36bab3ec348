"""Small pieces of request handling shared by the whole portal."""

import logging
import time

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


class IdleSessionMiddleware:
    """The idle timeout: a logged-in user's session is renewed for another SESSION_COOKIE_AGE (30 minutes) by
    their requests, at most once a minute (so that most pages cost no session write), and ends after that
    long without any request."""

    RENEW_AFTER_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session, user = getattr(request, "session", None), getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get("_renewed_at", 0) >= self.RENEW_AFTER_SECONDS:
                session["_renewed_at"] = now  # modified: SessionMiddleware saves it with a new expiry
        return response
