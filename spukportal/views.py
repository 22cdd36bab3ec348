from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from regions import selectors as region_selectors

from . import permissions


@require_GET
def home(request):
    user = request.user
    context = {"own_municipalities": []}
    if permissions.is_officer(user):
        context["own_municipalities"] = [
            region_selectors.municipality_detail(m) for m in region_selectors.municipalities_of_officer(user)
        ]
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
