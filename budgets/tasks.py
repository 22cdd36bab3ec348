"""Thin Celery wrappers around the services. Idempotent: running a task twice finishes the same row."""

from celery import shared_task

from .services import allocation_run_execute, report_generate


@shared_task(acks_late=True)
def compute_allocation_run(run_id):
    run = allocation_run_execute(run_id=run_id, task_id=compute_allocation_run.request.id or "")
    return {"run": run.pk, "status": run.status}


@shared_task(acks_late=True)
def generate_allocation_report(report_id):
    report = report_generate(report_id=report_id)
    return {"report": report.pk, "status": report.status}

