import logging
import threading
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
import redis

from .celery import app as celery_app
from .hooks import START_PAGE


@require_GET
def home(request):
    """The start page: what each app asks of this user (the apps register their part in `hooks.START_PAGE`)."""
    context = {"own_municipalities": [], **START_PAGE.collect(request.user)}
    return render(request, "spukportal/home.html", context)


def _previous_url(request):
    """The page the user came from, when it is one of ours (for the error pages' "terug" link)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        if referer != request.build_absolute_uri():
            return referer
    return ""


def permission_denied(request, exception=None):
    context = {"reason": str(exception) if exception else "", "previous_url": _previous_url(request)}
    return render(request, "403.html", context, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", {"previous_url": _previous_url(request)}, status=404)


def server_error(request):
    """The 500 page: in the portal's layout, but rendered without the request's context processors or the
    database (either may be what failed)."""
    context = {"portal_version": settings.PORTAL_VERSION, "support_email": settings.SUPPORT_EMAIL}
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", {"previous_url": _previous_url(request)}, status=403)


@login_not_required
@require_GET
def privacy(request):
    return render(request, "spukportal/privacy.html")


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "spukportal/accessibility.html")


@login_not_required
@require_GET
def contact(request):
    return render(request, "spukportal/contact.html")


health_logger = logging.getLogger("spukportal.health")


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_redis():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


# The worker's state is asked at most once per WORKER_CHECK_SECONDS per web process, and by one request at a time:
# the answer is remembered, so that health checks (or anyone calling /gezondheid/, which needs no login) cannot
# keep web workers waiting on the queue. The ping returns as soon as one worker answers (limit=1) and waits at
# most WORKER_PING_TIMEOUT when none does.
WORKER_CHECK_SECONDS = 15
WORKER_PING_TIMEOUT = 0.8
_worker_state = {"checked_at": None, "result": None}
_worker_lock = threading.Lock()


def _check_worker():
    if not celery_app.control.ping(timeout=WORKER_PING_TIMEOUT, limit=1):
        raise RuntimeError(f"geen Celery-worker antwoordde binnen {WORKER_PING_TIMEOUT} seconde")


def _worker_status():
    """"ok" or "fout": remembered for WORKER_CHECK_SECONDS; while another request is asking, its answer (or the
    last one) is used instead of a second ping."""
    checked_at = _worker_state["checked_at"]
    if checked_at is not None and time.monotonic() - checked_at < WORKER_CHECK_SECONDS:
        return _worker_state["result"]
    if not _worker_lock.acquire(timeout=WORKER_PING_TIMEOUT + 0.2):
        return _worker_state["result"] or "fout"
    try:
        checked_at = _worker_state["checked_at"]
        if checked_at is None or time.monotonic() - checked_at >= WORKER_CHECK_SECONDS:
            _worker_state["result"] = _run_check("worker", _check_worker)
            _worker_state["checked_at"] = time.monotonic()
        return _worker_state["result"]
    finally:
        _worker_lock.release()


def _run_check(name, check):
    try:
        check()
    except Exception as exc:  # the reason goes to the log only; the answer says "fout", nothing more
        health_logger.warning("Gezondheidscontrole %s faalt: %s", name, type(exc).__name__)
        return "fout"
    return "ok"


@login_not_required
@never_cache
@require_GET
def health(request):
    """`/gezondheid/` for load balancers and container health checks: database, Redis (when REDIS_URL is set)
    and a Celery worker (when tasks do not run eagerly; remembered for WORKER_CHECK_SECONDS, see
    _worker_status). 200 when all are ok, otherwise 503. Says only
    ok/fout/"niet gebruikt" per part: no host names, versions, error messages or personal data."""
    result = {"database": _run_check("database", _check_database)}
    if settings.REDIS_URL:
        result["redis"] = _run_check("redis", _check_redis)
    else:
        result["redis"] = "niet gebruikt"
    if celery_app.conf.task_always_eager:
        result["worker"] = "niet gebruikt"
    elif result["redis"] == "fout":
        result["worker"] = "fout"  # without a broker no worker can be reached; do not wait for retries
    else:
        result["worker"] = _worker_status()
    status = "fout" if "fout" in result.values() else "ok"
    return JsonResponse({"status": status, **result}, status=200 if status == "ok" else 503)
