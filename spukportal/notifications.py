"""Notifications: a message for the people concerned, in the portal and by e-mail.

`notify(...)` stores one `Notification` per recipient in the caller's transaction and, after that
transaction commits, sends each by e-mail through Celery (`spukportal.tasks.send_notification_mail`,
retried on failure). A mail that cannot be sent is noted on the notification; it never undoes what was
done. Mail is printed to the console under `make run` and captured in tests.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone

from .celery import app
from .models import Notification


def notifications_of(user):
    return Notification.objects.filter(user=user)


def unread_of(user):
    """The user's unread notifications (`user` may be an OuterRef to a user's pk)."""
    return notifications_of(user).filter(read_at__isnull=True)


def unread_count(user) -> int:
    """The user's unread notifications, counted once per request: the header badge and the officer's start page ask
    it of the same user object (a request loads its user anew, with this count: spukportal/session_user.py)."""
    if not hasattr(user, "_unread_notifications"):
        set_unread_count(user, unread_of(user).count())
    return user._unread_notifications


def set_unread_count(user, count: int) -> None:
    user._unread_notifications = count


def unread_count_expression():
    """The unread count as a subquery of a query of users (the count `unread_count` gives)."""
    unread = unread_of(OuterRef("pk")).order_by().values("user").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(unread), 0)


def notify(*, users, event: str, subject: str, body: str, url: str = "") -> list[Notification]:
    """One notification per active user with distinct pk in `users`; mailed after commit. `body`: plain
    Dutch text (paragraphs separated by blank lines); `url`: a path within the portal."""
    seen, rows = set(), []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, event=event, subject=subject[:200], body=body, url=url[:300]))
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: _enqueue_mails(ids))
    return created


def _enqueue_mails(ids):
    app.loader.import_default_modules()  # registers the tasks in a (web) process that has sent none yet
    task = app.tasks["spukportal.tasks.send_notification_mail"]
    for pk in ids:
        try:
            task.delay(pk)
        except Exception as exc:  # the queue is down: the notification stays in the portal, marked
            Notification.objects.filter(pk=pk).update(mail_error=f"Niet in de wachtrij gezet: {exc}"[:500])


def absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def mail_notification(notification_id: int) -> bool:
    """Send one notification by e-mail (plain text and HTML). True when sent (or nothing to send)."""
    n = Notification.objects.select_related("user").get(pk=notification_id)
    if n.mailed_at or not n.user.email:
        return True
    context = {"notification": n, "name": n.user.get_full_name() or n.user.username, "link": absolute(n.url),
               "paragraphs": [p.strip() for p in n.body.split("\n\n") if p.strip()],
               "support_email": settings.SUPPORT_EMAIL}
    message = EmailMultiAlternatives(
        subject=f"SPUK-portaal: {n.subject}", body=render_to_string("notifications/mail.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[n.user.email])
    message.attach_alternative(render_to_string("notifications/mail.html", context), "text/html")
    message.send(fail_silently=False)
    Notification.objects.filter(pk=n.pk).update(mailed_at=timezone.now(), mail_error="")
    return True


def mail_failed(notification_id: int, error: str) -> None:
    Notification.objects.filter(pk=notification_id).update(mail_error=str(error)[:500])
