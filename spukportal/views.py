from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
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


def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


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
