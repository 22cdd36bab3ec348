"""Stale jobs: a run left "bezig" by a killed worker is detected, can be retried from the
UI, and a periodic sweep marks it failed; the broker redelivers unacknowledged tasks after a visibility
timeout that fits the jobs."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from budgets.models import AllocationReport, AllocationRun
from budgets.services import allocation_run_start
from spukportal.celery import app
from spukportal.models import AuditEvent
from spukportal.tasks import sweep_stale_jobs

pytestmark = pytest.mark.django_db
Status = AllocationRun.Status


@pytest.fixture
def left_running(ministry_user, established_version, default_key):
    """A run whose worker was killed 20 minutes ago, in the middle of the computation."""
    run = allocation_run_start(actor=ministry_user, regulation="brede_spuk", years=[2025, 2026],
                               budget_version=established_version, distribution_key=default_key)
    AllocationRun.objects.filter(pk=run.pk).update(
        status=Status.RUNNING, progress=35, progress_message="Begrotingsregel 1 van 2 verdeeld",
        started_at=timezone.now() - datetime.timedelta(minutes=20), task_id="verloren-taak")
    run.refresh_from_db()
    return run


def test_a_run_left_running_by_a_killed_worker_is_shown_as_stale_and_can_be_retried(login, left_running):
    client = login("ministerie")
    page = client.get(reverse("budgets:run_detail", args=[left_running.pk])).content.decode()
    assert "Deze berekening staat stil" in page
    assert reverse("budgets:run_retry", args=[left_running.pk]) in page
    response = client.post(reverse("budgets:run_retry", args=[left_running.pk]), follow=True)
    assert response.redirect_chain == [(reverse("budgets:run_detail", args=[left_running.pk]), 302)]
    assert "De berekening is opnieuw gestart." in response.content.decode()
    left_running.refresh_from_db()
    assert left_running.status == Status.PENDING and left_running.task_id == ""
    assert AuditEvent.objects.filter(action="verdeling.opnieuw", object_id=str(left_running.pk)).exists()


def test_a_run_that_is_still_working_is_not_stale(login, left_running):
    AllocationRun.objects.filter(pk=left_running.pk).update(started_at=timezone.now() - datetime.timedelta(minutes=2))
    client = login("ministerie")
    page = client.get(reverse("budgets:run_detail", args=[left_running.pk])).content.decode()
    assert "staat stil" not in page
    response = client.post(reverse("budgets:run_retry", args=[left_running.pk]), follow=True)
    assert "Alleen een mislukte of stilstaande berekening kan opnieuw worden gestart." in response.content.decode()
    left_running.refresh_from_db()
    assert left_running.status == Status.RUNNING  # refused: it is still running


def test_the_periodic_sweep_marks_stale_jobs_failed_and_leaves_working_ones_alone(left_running, demo_run,
                                                                                 ministry_user):
    fresh = AllocationRun.objects.create(name="Net gestart", regulation="brede_spuk", status=Status.RUNNING,
                                         started_at=timezone.now())
    report = AllocationReport.objects.create(run=demo_run, format="csv", status=Status.RUNNING,
                                             started_at=timezone.now() - datetime.timedelta(hours=1))
    assert sweep_stale_jobs() == {"marked": 2}
    left_running.refresh_from_db()
    report.refresh_from_db()
    fresh.refresh_from_db()
    assert left_running.status == Status.FAILED and "stond stil" in left_running.error
    assert not left_running.allocations.exists()  # no half result
    assert report.status == Status.FAILED
    assert fresh.status == Status.RUNNING
    assert AuditEvent.objects.filter(action="taak.stilgevallen", object_id=str(left_running.pk)).exists()
    assert AuditEvent.objects.filter(action="taak.stilgevallen", object_id=str(report.pk)).exists()


def test_broker_settings_fit_the_jobs():
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT
    assert any(entry["task"] == "spukportal.tasks.sweep_stale_jobs" for entry in app.conf.beat_schedule.values())


def test_the_sweep_fails_every_stale_job_of_one_task_exports_and_sisa_sets_too_not_a_batch_in_parts(ministry_user):
    """A stuck export or national SiSa set waited for a retry by hand; a decision batch runs in parts and may
    rightly take longer than one task, so it keeps its restart button instead."""
    from applications.models import DecisionBatch
    from monitoring.models import Export, SisaBatch

    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    export = Export.objects.create(kind=Export.Kind.SPENDING_OVERVIEW, created_by=ministry_user)
    Export.objects.filter(pk=export.pk).update(created_at=hour_ago - datetime.timedelta(minutes=5))  # lost in the queue
    sisa = SisaBatch.objects.create(year=2024, created_by=ministry_user, status="bezig", started_at=hour_ago)
    batch = DecisionBatch.objects.create(decided_on=datetime.date(2026, 11, 1), created_by=ministry_user,
                                         status="bezig", started_at=hour_ago)
    assert sweep_stale_jobs() == {"marked": 2}
    for job in (export, sisa, batch):
        job.refresh_from_db()
    assert export.status == sisa.status == "mislukt" and "stond stil" in export.error and "start hem opnieuw" in sisa.error
    assert batch.status == "bezig"
    assert {(e.object_type, e.object_id) for e in AuditEvent.objects.filter(action="taak.stilgevallen")} == {
        ("monitoring.export", str(export.pk)), ("monitoring.sisabatch", str(sisa.pk))}
