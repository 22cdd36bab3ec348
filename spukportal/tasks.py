import os
import socket

from celery import shared_task

from regions.models import Municipality, Region


@shared_task
def reference_data_summary():
    """Counts of the reference data, read by whichever process runs the task, and which process that was
    (a health check of a worker)."""
    return {"gemeenten": Municipality.objects.count(), "regios": Region.objects.count(),
            "pid": os.getpid(), "host": socket.gethostname()}
