import os

import pytest

from spukportal.tasks import reference_data_summary


@pytest.mark.worker
def test_a_real_worker_on_redis_runs_a_task_against_the_database(reference_data, celery_worker_process):
    result = reference_data_summary.delay()
    summary = result.get(timeout=30)
    assert summary == {"gemeenten": 342, "regios": 42}
    # The answer came from the worker process, not from this one.
    assert celery_worker_process.pid != os.getpid()
    assert result.successful()
