"""Shared fixtures.

- The shipped reference data and the demo accounts are loaded once into the test database; tests using
  `db` see them and roll back their own changes.
- Transactional tests (live server, real worker) flush the database afterwards; they call
  `reference_data` to load it again when needed.
- Celery runs eagerly in-process by default; tests marked `worker` run against a real Celery worker on
  Redis, started once per session by `celery_worker_process`; `scripts/run-tests` runs them
  after the others, in one process.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the main thread; Django's ORM refuses that unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Static files under their own names, found by the finders: the suite does not run collectstatic (the hashed
# names of production are tested in tests/spukportal/test_static_files.py). The settings are loaded already;
# the environment is for the processes the tests start (the Celery worker).
os.environ["SPUK_HASHED_STATIC"] = "false"


def _static_without_collectstatic():
    from django.conf import settings

    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


_static_without_collectstatic()

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI") == "true"


def load_reference_and_demo_data():
    from regions.models import Municipality

    if not Municipality.objects.exists():
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))
        call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_and_demo_data()


@pytest.fixture
def reference_data(transactional_db):
    """For transactional tests: the reference data and demo accounts, (re)loaded after a flush."""
    load_reference_and_demo_data()


@pytest.fixture(autouse=True)
def eager_celery(request):
    """Tasks run in-process unless the test is marked `worker`."""
    from spukportal.celery import app

    eager = request.node.get_closest_marker("worker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def worker_private_root(tmp_path_factory):
    """Private storage shared by the test process and the real Celery worker."""
    return tmp_path_factory.mktemp("private-worker")


@pytest.fixture(autouse=True)
def _private_media(request, tmp_path, settings):
    """Uploaded and generated files of a test go to a temporary folder: its own, or for tests with a real
    worker the folder that worker writes to."""
    if request.node.get_closest_marker("worker"):
        location = request.getfixturevalue("worker_private_root")
    else:
        location = tmp_path / "private"
    storages = dict(settings.STORAGES)
    storages["private"] = {**storages["private"], "OPTIONS": {"location": str(location)}}
    settings.STORAGES = storages
    from django.core.files.storage import storages as storage_handler

    storage_handler._storages.pop("private", None)
    yield
    storage_handler._storages.pop("private", None)


def _login(client, username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return client


@pytest.fixture
def login(client):
    """`login("gemeente")` → the test client, logged in as that demo account."""
    return lambda username: _login(client, username)


def worker_environment(private_root):
    """The environment of a real Celery worker process: this process's, on the test database."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env["SPUK_VAR_DIR"] = settings.VAR_DIR.as_posix()
    env["PRIVATE_MEDIA_ROOT"] = str(private_root)
    return env


def real_worker_problem():
    """Why a real worker cannot run here (skip, or fail under CI), or None."""
    from django.conf import settings
    from django.db import connection

    if not settings.REDIS_URL:
        return "REDIS_URL is niet gezet"
    if connection.vendor != "postgresql":
        return "de worker heeft een gedeelde database nodig (PostgreSQL)"
    return None


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, worker_private_root):
    """A real Celery worker process on Redis, using the test database."""
    problem = real_worker_problem()
    if problem:
        if IN_CI:
            pytest.fail(f"Celery-worker kan niet starten in CI: {problem}.")
        pytest.skip(f"Test met echte Celery-worker overgeslagen: {problem}.")

    env = worker_environment(worker_private_root)
    log = open(ROOT / "var" / "celery-test-worker.log", "w") if (ROOT / "var").is_dir() else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "spukportal", "worker", "--pool=solo", "--concurrency=1",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO",
         "--hostname", f"test-worker-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    from spukportal.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("De Celery-worker stopte direct; zie var/celery-test-worker.log.")
        replies = app.control.ping(timeout=1.0, destination=[f"test-worker-{os.getpid()}@{os.uname().nodename}"])
        if replies:
            break
    else:
        proc.terminate()
        pytest.fail("De Celery-worker reageerde niet binnen 60 seconden.")
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
