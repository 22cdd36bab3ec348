import os

import pytest

from spukportal.tasks import reference_data_summary


@pytest.mark.worker
def test_a_real_worker_on_redis_runs_a_task_against_the_database(reference_data, celery_worker_process):
    result = reference_data_summary.delay()
    summary = result.get(timeout=30)
    assert {k: summary[k] for k in ("gemeenten", "regios")} == {"gemeenten": 342, "regios": 42}
    # The task ran in the worker process (its pid, reported by the task itself), not in this one: an eager
    # (in-process) run would report this process's pid.
    assert summary["pid"] == celery_worker_process.pid
    assert summary["pid"] != os.getpid()
    assert result.successful()
