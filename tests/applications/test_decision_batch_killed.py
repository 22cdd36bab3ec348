"""Failures of the decision batch: a Celery worker killed (SIGKILL, its whole process group) in the
middle of a batch of decisions. What it had finished stays (each decision and letter is committed on its own);
its part was not acknowledged (acks_late), so Redis delivers it again and a new worker finishes the batch: one
decision and one reference number per application, every letter made, the batch "Klaar"."""

import os
import signal

import pytest
from django.urls import reverse
from django.utils import timezone

import spukportal.tasks  # noqa: F401  (the mail task that notify's after-commit looks up by name)
from applications.decisions import services as decision_services
from applications.models import DecisionBatch, GrantDecision
from spukportal.models import JobStatus
from tests.applications import factories as f
from tests.conftest import IN_CI, real_worker_problem, worker_environment
from tests.worker_kill import own_queue, start_worker, wait_for, workers  # noqa: F401  (fixtures)

pytestmark = pytest.mark.worker
COUNT = decision_services.PART_SIZE + 4  # two parts


def test_a_worker_killed_in_the_middle_of_a_batch_of_decisions_leaves_no_duplicates_and_a_new_worker_finishes_it(
        reference_data, worker_private_root, tmp_path, workers, own_queue, client, settings):
    problem = real_worker_problem()
    if problem:
        (pytest.fail if IN_CI else pytest.skip)(f"Test met echte Celery-worker overgeslagen: {problem}.")
    log = open(tmp_path / "workers.log", "w")
    marker = tmp_path / "brieven"
    env = {**worker_environment(worker_private_root), "REDIS_URL": own_queue}
    apps = f.positively_advised_in_bulk(COUNT)
    slow = start_worker("traag", {**env, "SPUK_TEST_PAUSE_AFTER_LETTERS": "3", "SPUK_TEST_MARKER": str(marker)}, log)
    workers.append(slow)

    batch = decision_services.decision_batch_start(actor=f.user("ministerie"), applications=apps,
                                                   decided_on=timezone.localdate())
    wait_for(marker.exists, 120, "de eerste worker heeft drie brieven gemaakt")
    os.killpg(slow.pid, signal.SIGKILL)
    slow.wait(timeout=10)

    batch.refresh_from_db()
    assert batch.status == DecisionBatch.Status.RUNNING and batch.done <= 3 and batch.total == COUNT
    made = GrantDecision.objects.filter(application__in=apps)
    assert made.filter(letter__status=JobStatus.FINISHED).count() == 3
    before = dict(made.values_list("application_id", "reference"))
    assert len(before) == 3  # the worker stopped after its third letter: no decision without its turn

    # Its part stops reporting: within DECISION_BATCH_SILENT_SECONDS (90 s; short here) the batch's page says the
    # batch stands still and offers "Opnieuw starten", long before Redis would deliver the part again.
    settings.DECISION_BATCH_SILENT_SECONDS = 5
    client.force_login(f.user("ministerie"))
    progress = reverse("applications:decision_batch_progress", args=[batch.pk])
    wait_for(lambda: "Deze reeks staat stil" in client.get(progress).content.decode(), 60,
             "de pagina meldt dat de reeks stilstaat")
    page = client.get(reverse("applications:decision_batch", args=[batch.pk])).content.decode()
    assert "Deze reeks staat stil" in page and "Opnieuw starten" in page
    response = client.post(reverse("applications:decision_batch_restart", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == DecisionBatch.Status.PENDING
    # The restarted batch and the killed worker's part (delivered again) both reach the new worker.
    workers.append(start_worker("nieuw", {**env, "SPUK_TEST_VISIBILITY_TIMEOUT": "2"}, log))
    wait_for(lambda: (batch.refresh_from_db(), batch.is_done)[1], 180, "de nieuwe worker rondt de reeks af")

    assert batch.status == DecisionBatch.Status.FINISHED, batch.error
    assert batch.done == COUNT and batch.failures == {}
    decisions = GrantDecision.objects.filter(application__in=apps)
    assert decisions.count() == COUNT  # one per application (also a database constraint)
    assert set(decisions.values_list("letter__status", flat=True)) == {JobStatus.FINISHED}
    assert all(d.letter.file and d.letter.sha256 for d in decisions)
    after = dict(decisions.values_list("application_id", "reference"))
    assert {pk: after[pk] for pk in before} == before  # what was decided before the kill kept its reference
    assert len(set(after.values())) == COUNT
    assert sorted(a.state for a in f.Application.objects.filter(pk__in=[a.pk for a in apps])) == ["toegekend"] * COUNT
