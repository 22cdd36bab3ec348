"""Celery tasks of the monitoring app (thin wrappers around services; idempotent)."""

from celery import shared_task

from .accountability.batch import batch_run
from .accountability.services import appendix_render
from .dashboards.exports import export_generate
from .models import SisaAppendix


# --- SiSa ---------------------------------------------------------------------------------------------

@shared_task(acks_late=True)
def render_sisa_appendix(appendix_id):
    """Renders the appendix of one SisaAppendix job."""
    report = appendix_render(report_id=SisaAppendix.objects.values_list("report_id", flat=True).get(pk=appendix_id))
    return {"report": report.pk, "status": report.appendix.status}


@shared_task(acks_late=True)
def run_sisa_batch(batch_id):
    batch = batch_run(batch_id=batch_id, task_id=run_sisa_batch.request.id or "")
    return {"batch": batch.pk, "status": batch.status, "done": batch.done}


# --- monitoring and dashboards -------------------------------------------------------------------------------

@shared_task(name="monitoring.tasks.generate_export", acks_late=True)
def generate_export(export_id):
    """Idempotent: re-running it finishes the same Export row (see dashboard_exports.export_generate)."""
    export = export_generate(export_id=export_id, task_id=generate_export.request.id or "")
    return {"export": export.pk, "status": export.status}
