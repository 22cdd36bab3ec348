"""The receipt (ontvangstbevestiging) of a submitted version: a tagged PDF of exactly what was submitted.

Rendered on request from the version's frozen snapshot (deterministic: the same version gives the same
content), downloadable by whoever may see that version."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from spukportal.pdf import render_pdf

from . import permissions, selectors
from .models import Application


def render_receipt(application, version) -> bytes:
    return render_pdf("applications/receipt_pdf.html", {
        "application": application, "version": version, "snapshot": version.snapshot,
        "totals": selectors.snapshot_totals(version.snapshot),
        "submitted_at": timezone.localtime(version.submitted_at),
        "submitted_by": version.submitted_by.get_full_name() or version.submitted_by.username,
        "issuer": "SPUK-portaal – Ministerie van Volksgezondheid, Welzijn en Sport",
    })


@require_GET
def receipt_download(request, pk, number):
    from spukportal.permissions import require

    try:
        application = selectors.application_for_view(pk)
    except Application.DoesNotExist:
        raise Http404("Deze aanvraag bestaat niet.") from None
    require(permissions.can_view_application(request.user, application))
    version = get_object_or_404(application.versions.select_related("submitted_by"), number=number)
    response = HttpResponse(render_receipt(application, version), content_type="application/pdf")
    filename = f"ontvangstbevestiging-{application.reference or application.pk}-v{version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
