"""The receipt (ontvangstbevestiging) of a submitted version: a tagged PDF of exactly what was submitted.

Rendered from the version's frozen snapshot the first time it is asked for and kept in private storage: a
submitted version never changes, so every later download serves the stored file (after the same permission
check) instead of laying the PDF out again. Downloadable by whoever may see that version."""

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from spukportal.pdf import render_pdf
from spukportal.permissions import require

from .. import permissions
from ..models import Application
from . import selectors


def render_receipt(application, version) -> bytes:
    return render_pdf("applications/receipt_pdf.html", {
        "application": application, "version": version, "snapshot": version.snapshot,
        "totals": selectors.snapshot_totals(version.snapshot),
        "submitted_at": timezone.localtime(version.submitted_at),
        "submitted_by": version.submitted_by.get_full_name() or version.submitted_by.username,
        "issuer": "SPUK-portaal – Ministerie van Volksgezondheid, Welzijn en Sport",
    })


def receipt_file(application, version) -> bytes:
    """The stored receipt of a submitted version; rendered and stored when it is not there yet."""
    storage = storages["private"]
    name = f"ontvangstbewijzen/{application.pk}/versie-{version.number}.pdf"
    if storage.exists(name):
        with storage.open(name, "rb") as handle:
            return handle.read()
    content = render_receipt(application, version)
    stored = storage.save(name, ContentFile(content))
    if stored != name:  # a simultaneous first download stored it already (same content): keep one copy
        storage.delete(stored)
    return content


@require_GET
def receipt_download(request, pk, number):
    try:
        application = selectors.application_for_view(pk)
    except Application.DoesNotExist:
        raise Http404("Deze aanvraag bestaat niet.") from None
    require(permissions.can_view_application(request.user, application))
    version = get_object_or_404(application.versions.select_related("submitted_by"), number=number)
    response = HttpResponse(receipt_file(application, version), content_type="application/pdf")
    filename = f"ontvangstbevestiging-{application.reference or application.pk}-v{version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
