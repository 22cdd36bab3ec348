"""Starting background jobs: every long job has a row (run, report, …) with a `task_id`; the task is sent
only after the transaction that made the row commits, so a worker never looks for a row that is not there.

Services name the task instead of importing its module, so that a `tasks.py` can import its services
without an import cycle.

When the queue (Redis) cannot be reached, the row is marked failed with a Dutch reason (so it can be retried
with "Opnieuw proberen") and `QueueUnavailable` is raised for the view to show.
"""

import logging

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from . import audit
from .celery import app
from .models import BackgroundJob, JobStatus, job_is_stale

log = logging.getLogger(__name__)

QUEUE_DOWN = ("De wachtrij voor achtergrondtaken is op dit moment niet bereikbaar; de taak is niet gestart. "
              "Probeer het over een paar minuten opnieuw.")


class QueueUnavailable(Exception):
    """The broker refused the task; the row is marked failed (retryable)."""

    def __init__(self, message=QUEUE_DOWN):
        super().__init__(message)
        self.message = message


def enqueue_after_commit(task_name: str, row, *args) -> None:
    """After commit: run Celery task `task_name` (its registered name) with `row.pk` (and `args`, e.g. the part of
    a batch it is to do) and note the task id on the row (unless an earlier attempt or the job's first task
    already did). With eager settings (`make run`) it runs right here. `row` is a BackgroundJob."""

    def send():
        app.loader.import_default_modules()  # registers the apps' tasks modules in this (web) process
        try:
            result = app.tasks[task_name].delay(row.pk, *args)
        # The broker (kombu OperationalError), a refused socket, or the Redis result backend giving up on
        # reconnecting (Celery raises RuntimeError for that; nothing else in this call raises it).
        except (BrokerError, ConnectionError, RuntimeError) as exc:
            log.error("Taak %s voor %s %s niet in de wachtrij gezet: %s", task_name, type(row).__name__, row.pk, exc)
            with transaction.atomic():
                type(row).objects.filter(pk=row.pk).update(status=JobStatus.FAILED, error=QUEUE_DOWN,
                                                           finished_at=timezone.now())
                audit.record(actor=None, action="taak.niet_gestart", obj=row,
                             message=f"Taak voor '{row}' niet gestart: de wachtrij was niet bereikbaar.")
            raise QueueUnavailable() from exc
        type(row).objects.filter(pk=row.pk, task_id="").update(task_id=result.id or "")

    transaction.on_commit(send)


def stale_jobs_fail(*, now=None) -> int:
    """The periodic sweep (Celery beat, every 5 minutes): every job that stands still (`job_is_stale`: its worker
    was killed, or it was lost with the broker) is marked failed with its `stale_error`, audited, and can be
    retried. A failed job is done again from the start, and none leaves half a result (each writes its result in
    one transaction), so a worker that still comes back loses nothing. Returns how many jobs were marked."""
    now = now or timezone.now()
    marked = 0
    for model in apps.get_models():
        if not (issubclass(model, BackgroundJob) and model.swept_when_stale):
            continue
        active = model.objects.filter(status__in=[JobStatus.PENDING, JobStatus.RUNNING])
        for pk in active.values_list("pk", flat=True):
            with transaction.atomic():
                job = model.objects.select_for_update().get(pk=pk)
                if not job_is_stale(job, now):
                    continue
                job.status, job.error, job.finished_at = JobStatus.FAILED, job.stale_error, now
                fields = ["status", "error", "finished_at"]
                if hasattr(job, "progress_message"):
                    job.progress_message = "Mislukt"
                    fields.append("progress_message")
                job.save(update_fields=fields)
                audit.record(actor=None, action="taak.stilgevallen", obj=job,
                             message=f"{model._meta.verbose_name.capitalize()} '{job}' stond stil en is als mislukt "
                                     "gemarkeerd.",
                             details={"gestart": job.started_at.isoformat() if job.started_at else None})
                marked += 1
    if marked:
        log.warning("%s stilstaande taken als mislukt gemarkeerd", marked)
    return marked
