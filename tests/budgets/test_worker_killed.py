"""Failures: a Celery worker killed (SIGKILL, the whole process group) in the middle of an allocation
run. The run's transaction dies with the worker's database connection, so no half result is ever visible; the
message was not acknowledged (acks_late), so Redis delivers it again after the visibility timeout and a new
worker computes the run from its frozen inputs: exactly one complete result."""

import os
import signal

import pytest

from budgets.models import AllocationRun, BudgetVersion, DistributionKey, RegionAllocation
from budgets.services import allocation_run_start
from spukportal.models import AuditEvent
from tests.conftest import IN_CI, real_worker_problem, worker_environment
from tests.worker_kill import own_queue, start_worker, wait_for, workers  # noqa: F401  (fixtures)

pytestmark = pytest.mark.worker


def test_a_worker_killed_in_the_middle_of_a_run_leaves_no_half_result_and_a_new_worker_finishes_it(
        reference_data, worker_private_root, tmp_path, workers, own_queue):
    problem = real_worker_problem()
    if problem:
        (pytest.fail if IN_CI else pytest.skip)(f"Test met echte Celery-worker overgeslagen: {problem}.")
    log = open(tmp_path / "workers.log", "w")
    marker = tmp_path / "in-transactie"
    env = {**worker_environment(worker_private_root), "REDIS_URL": own_queue}
    slow = start_worker("traag", {**env, "SPUK_TEST_PAUSE_AFTER_FIRST_COPY": "300", "SPUK_TEST_MARKER": str(marker)},
                        log)
    workers.append(slow)

    run = allocation_run_start(actor=None, regulation="brede_spuk", years=[2025, 2026],
                               budget_version=BudgetVersion.objects.get(kind="vastgesteld"),
                               distribution_key=DistributionKey.objects.get(is_default=True))
    # The worker has written the first table of amounts inside its transaction and now pauses: kill it there.
    wait_for(marker.exists, 90, "de eerste worker schrijft bedragen")
    run.refresh_from_db()
    assert run.status == AllocationRun.Status.RUNNING and run.attempts == 1
    os.killpg(slow.pid, signal.SIGKILL)
    slow.wait(timeout=10)

    run.refresh_from_db()
    assert run.status == AllocationRun.Status.RUNNING  # what the page shows until the job is done again
    assert not run.allocations.exists() and not RegionAllocation.objects.filter(run=run).exists()  # no half result

    # A new worker (with a short visibility timeout, so that the test need not wait 15 minutes) gets the message
    # that was never acknowledged and computes the run again.
    workers.append(start_worker("nieuw", {**env, "SPUK_TEST_VISIBILITY_TIMEOUT": "2"}, log))
    wait_for(lambda: (run.refresh_from_db(), run.is_done)[1], 120, "de nieuwe worker rondt de berekening af")

    assert run.status == AllocationRun.Status.FINISHED, run.error
    assert run.attempts == 2
    assert run.allocations.count() == 342 * 2  # 1 line per year × 2 years, every gemeente once
    assert len(set(run.allocations.values_list("municipality_id", "component_id", "year"))) == 342 * 2
    per_line = {}
    for component_id, year, amount in run.allocations.values_list("component_id", "year", "amount"):
        per_line[(component_id, year)] = per_line.get((component_id, year), 0) + amount
    assert per_line == {(line["component_id"], line["year"]): line["amount"]
                        for line in run.input_snapshot["lines"]}
    assert RegionAllocation.objects.filter(run=run).count() == 42 * 2
    events = AuditEvent.objects.filter(object_type="budgets.allocationrun", object_id=str(run.pk))
    assert sorted(events.values_list("action", flat=True)) == ["verdeling.gestart", "verdeling.klaar"]
