"""The user's own notifications: the list, opening one (marks it read), marking all read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import Notification
from .notifications import notifications_of, unread_of
from .permissions import can_open_notification, can_view_notifications, require, require_that

PER_PAGE = 25


@require_GET
@require_that(can_view_notifications)
def notification_list(request):
    page = Paginator(notifications_of(request.user).only("subject", "body", "url", "created_at", "read_at"),
                     PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "spukportal/notifications.html", {"page": page})


@require_GET
@require_that(can_view_notifications)
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk)
    require(can_open_notification(request.user, notification))
    if notification.read_at is None:
        Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
    url = notification.url if notification.url.startswith("/") and not notification.url.startswith("//") else ""
    return redirect(url or "notifications")


@require_POST
@require_that(can_view_notifications)
def notifications_mark_read(request):
    count = unread_of(request.user).update(read_at=timezone.now())
    messages.success(request, f"{count} melding{'' if count == 1 else 'en'} als gelezen gemarkeerd." if count
                     else "U had geen ongelezen meldingen.")
    return redirect("notifications")
