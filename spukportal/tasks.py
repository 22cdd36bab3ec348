import os
import socket

from celery import shared_task

from regions.models import Municipality, Region

from .jobs import stale_jobs_fail
from .notifications import mail_failed, mail_notification


@shared_task
def reference_data_summary():
    """Counts of the reference data, read by whichever process runs the task, and which process that was
    (a health check of a worker)."""
    return {"gemeenten": Municipality.objects.count(), "regios": Region.objects.count(),
            "pid": os.getpid(), "host": socket.gethostname()}


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=60)
def send_notification_mail(self, notification_id):
    """Mail one notification; retried (5 times, a minute apart) when the mail server refuses."""
    try:
        return mail_notification(notification_id)
    except Exception as exc:
        mail_failed(notification_id, exc)
        raise self.retry(exc=exc)


@shared_task
def sweep_stale_jobs():
    """Periodic (Celery beat, CELERY_BEAT_SCHEDULE): mark every job that stands still as failed (retryable)."""
    return {"marked": stale_jobs_fail()}
