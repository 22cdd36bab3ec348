"""Thin Celery wrappers around the monitoring services; idempotent (re-running a task finishes the same row).
Sections: the SiSa part's and the dashboards' (exports)."""


# --- monitoring and dashboards -------------------------------------------------------------------------------

from celery import shared_task as _shared_task  # noqa: E402


@_shared_task(name="monitoring.tasks.generate_export", acks_late=True)
def generate_export(export_id):
    """Idempotent: re-running it finishes the same Export row (see dashboard_exports.export_generate)."""
    from .dashboard_exports import export_generate

    export = export_generate(export_id=export_id, task_id=generate_export.request.id or "")
    return {"export": export.pk, "status": export.status}
