"""Small pieces of request handling shared by the whole portal."""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.core.signals import request_finished
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

from .client_address import client_address

# The id of the request being handled, for log lines ("-" outside a request: commands, Celery, start-up).
current_request_id = contextvars.ContextVar("request_id", default="-")
# The client's address (spukportal.client_address: behind a trusted proxy, from X-Forwarded-For), likewise.
current_client_address = contextvars.ContextVar("client_address", default="-")
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
access_logger = logging.getLogger("spukportal.access")


class RequestIdMiddleware:
    """Every request gets an id: the proxy's X-Request-ID when it is a safe short token (8–64 letters, digits,
    `.`, `_`, `-`), otherwise a new uuid4. It is in every log line written while the request is handled and
    is returned in the X-Request-ID response header, so that a user's report can be found in the logs.
    Each request ends with one access line (`spukportal.access`: method, path without query, status, time) that
    carries the client's address as the login throttling and the audit trail see it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if _SAFE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs 4xx/5xx responses ("Not Found: …") after the middleware has
        # returned. request_finished (when the response is closed) resets it.
        current_request_id.set(request_id)
        current_client_address.set(client_address(request) or "-")
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        access_logger.info("%s %s %s %.0f ms", request.method, request.path, response.status_code,
                           (time.monotonic() - started) * 1000)
        return response


@receiver(request_finished, dispatch_uid="spukportal.request_id_reset")
def _forget_request_id(**kwargs):
    current_request_id.set("-")
    current_client_address.set("-")


class RequestIdFilter(logging.Filter):
    """Puts the current request id and client address on every log record (`request_id`, `client_address`)."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        record.client_address = current_client_address.get()
        return True


# Never in a log line: e-mail addresses, passwords, session keys, CSRF tokens, password-reset links.
_REDACTIONS = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mail]"),
    (re.compile(r"(?i)\b(password\d?|passwd|wachtwoord|sessionid|session_?key|csrftoken|csrfmiddlewaretoken|"
                r"secret(?:_key)?|token)(\\?[\"']?\s*[=:]\s*\\?[\"']?)[^\s\"'&,;}]+"), r"\1\2[verborgen]"),
    (re.compile(r"/wachtwoord/herstellen/[^/\s\"]+/[^/\s\"]+/"), "/wachtwoord/herstellen/[verborgen]/"),
]


def redact(text):
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """The human-readable log format (`LOG_FORMAT=text`, the default), without personal data or secrets."""

    def format(self, record):
        return redact(super().format(record))


class JsonFormatter(_BaseJsonFormatter):
    """`LOG_FORMAT=json`: one JSON object per line with time, level, logger, message, request_id, client_address
    (and status_code and the traceback when present). Other attributes of a record (such as Django's `request`
    object) are left out; personal data and secrets are redacted as in the text format."""

    FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(client_address)s"
    EXTRA_FIELDS = {"status_code", "exc_info", "stack_info"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(self.FIELDS, *args, **kwargs)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        allowed = {"time", "level", "logger", "message", "request_id", "client_address"} | self.EXTRA_FIELDS
        for key in [k for k in log_record if k not in allowed]:
            del log_record[key]

    def format(self, record):
        return redact(super().format(record))


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
    """The session limits, both exact: a logged-in user is logged out when more than SESSION_COOKIE_AGE seconds
    (SESSION_IDLE_MINUTES) passed since their previous request, or more than SESSION_MAX_SECONDS
    (SESSION_MAX_HOURS) since they logged in, however active they were. A request records its time (so the session
    is saved, and its stored expiry moves on) when the recorded time is older than a thirtieth of the idle limit,
    at most a minute: not a database write on every page (three queries and a row lock per request), at the price
    of a logout at most that much earlier than the limit. The clocks start at login (spukportal.auth). The request
    then goes on as anonymous: a page asks to log in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session, user = getattr(request, "session", None), getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = time.time()
            started, last = session.setdefault("_started_at", now), session.get("_last_request", now)
            if now - last > settings.SESSION_COOKIE_AGE or now - started > settings.SESSION_MAX_SECONDS:
                logout(request)
            elif now - last >= min(60, settings.SESSION_COOKIE_AGE / 30) or "_last_request" not in session:
                session["_last_request"] = now  # modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database that restarts or drops the connection mid-request (OperationalError / InterfaceError) gives
    the 503 page "Tijdelijk niet beschikbaar" in the portal's layout instead of a bare 500. Rendered without
    context processors or the database. Writes happen in transactions (services), so nothing is half stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logging.getLogger("spukportal.database").error("Database niet bereikbaar: %s", exception)
        context = {"portal_version": settings.PORTAL_VERSION, "support_email": settings.SUPPORT_EMAIL}
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = "30"
        return response
