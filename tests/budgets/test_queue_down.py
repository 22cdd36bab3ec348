"""Failures: Redis down when a user starts a job. The broker is pointed at a closed port (a real
connection refusal): the page says so in Dutch (no 500), the form comes back filled, and the run is recorded as
failed with the reason, so that it can be retried."""

import socket
import time

import pytest
from celery import Celery
from django.urls import reverse

from budgets.models import AllocationReport, AllocationRun
from spukportal import jobs
from spukportal.celery import app as real_app
from spukportal.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue_down(monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Not the current app: shared tasks (`task.delay()` elsewhere) must keep using the real one afterwards.
    closed = Celery("spukportal", set_as_current=False)
    closed.config_from_object("django.conf:settings", namespace="CELERY")
    # Only the addresses change: the timeouts and retries are the portal's own settings.
    closed.conf.update(broker_url=f"redis://127.0.0.1:{port}/0", result_backend=f"redis://127.0.0.1:{port}/0",
                       task_always_eager=False)
    closed.autodiscover_tasks()
    monkeypatch.setattr(jobs, "app", closed)
    yield
    closed.close()
    real_app.set_current()


def test_starting_a_run_while_the_queue_is_down_shows_a_dutch_message_and_keeps_the_form(reference_data, client,
                                                                                        queue_down):
    from budgets.models import BudgetVersion, DistributionKey
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="ministerie"))
    version = BudgetVersion.objects.get(kind="vastgesteld")
    key = DistributionKey.objects.get(is_default=True)
    before = AllocationRun.objects.count()
    started = time.monotonic()
    response = client.post(reverse("budgets:run_start"), {
        "regulation": "brede_spuk", "years": ["2025", "2026"], "budget_version": version.pk,
        "distribution_key": key.pk, "reference_date": "2025-01-01", "name": "Mijn getypte naam"})
    # The user is told at once (settings: one short connection attempt, one quick retry), not after ~20 s of
    # reconnecting. The bound leaves room for a busy test machine; alone the refusal takes about 0.5 s.
    assert time.monotonic() - started < 4
    assert response.status_code == 503
    page = response.content.decode()
    assert "De wachtrij voor achtergrondtaken is op dit moment niet bereikbaar" in page
    assert 'value="Mijn getypte naam"' in page  # nothing typed is lost
    assert AllocationRun.objects.count() == before + 1
    run = AllocationRun.objects.latest("pk")
    assert run.status == AllocationRun.Status.FAILED and "niet bereikbaar" in run.error
    assert not run.allocations.exists()
    assert AuditEvent.objects.filter(action="taak.niet_gestart", object_id=str(run.pk)).exists()


def test_requesting_a_report_while_the_queue_is_down_gives_a_message_not_a_500(reference_data, client, queue_down):
    from django.contrib.auth import get_user_model

    from budgets.demo import DEMO_RUN_NAME

    client.force_login(get_user_model().objects.get(username="ministerie"))
    run = AllocationRun.objects.get(name=DEMO_RUN_NAME)
    response = client.post(reverse("budgets:report_create", args=[run.pk]), {"format": "csv"}, follow=True)
    assert response.status_code == 200
    assert "niet bereikbaar" in response.content.decode()
    report = AllocationReport.objects.get(run=run)
    assert report.status == AllocationReport.Status.FAILED
