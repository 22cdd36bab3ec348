"""Helpers of the tests that kill a Celery worker in the middle of a job (SIGKILL, the whole process group) and
let a new worker finish it: a worker of their own started by `tests/worker_launcher.py`, and a Redis database of
their own (`own_queue`) so that the session's shared test worker does not take the job."""

import os
import signal
import subprocess
import sys
import time

import pytest
from celery import Celery

from spukportal import jobs
from spukportal.celery import app as real_app
from tests.conftest import ROOT


def start_worker(name, env, log):
    return subprocess.Popen(
        [sys.executable, "tests/worker_launcher.py", "--pool=prefork", "--concurrency=1", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "--loglevel=INFO", "--hostname", f"{name}-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,  # own process group
    )


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Niet binnen {timeout} s: {what}")


@pytest.fixture
def own_queue(monkeypatch):
    """The session's shared test worker listens on REDIS_URL too and would take the run; this test's messages
    and workers use a Redis database of their own. Returns the broker URL for the workers."""
    from django.conf import settings

    from tests.conftest import IN_CI, real_worker_problem

    problem = real_worker_problem()
    if problem:
        (pytest.fail if IN_CI else pytest.skip)(f"Test met echte Celery-worker overgeslagen: {problem}.")
    url = settings.REDIS_URL.rsplit("/", 1)[0] + "/14"
    own = Celery("spukportal", set_as_current=False)
    own.config_from_object("django.conf:settings", namespace="CELERY")
    own.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    own.autodiscover_tasks()
    own.control.purge()
    monkeypatch.setattr(jobs, "app", own)
    yield url
    own.control.purge()
    own.close()
    real_app.set_current()


@pytest.fixture
def workers():
    started = []
    yield started
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
