"""Thin Celery wrappers around the services. Idempotent: running a task twice finishes the same row."""

from celery import shared_task

from .services import allocation_run_execute, report_generate, stale_jobs_fail


@shared_task(acks_late=True)
def compute_allocation_run(run_id):
    run = allocation_run_execute(run_id=run_id, task_id=compute_allocation_run.request.id or "")
    return {"run": run.pk, "status": run.status}


@shared_task(acks_late=True)
def generate_allocation_report(report_id):
    report = report_generate(report_id=report_id)
    return {"report": report.pk, "status": report.status}


@shared_task
def sweep_stale_jobs():
    """Periodic (Celery beat, CELERY_BEAT_SCHEDULE): mark runs and reports that stand still as failed."""
    return {"marked": stale_jobs_fail()}
