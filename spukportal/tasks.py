from celery import shared_task


@shared_task
def reference_data_summary():
    """Counts of the reference data, read by whichever process runs the task (health check of a worker)."""
    from regions.models import Municipality, Region

    return {"gemeenten": Municipality.objects.count(), "regios": Region.objects.count()}
