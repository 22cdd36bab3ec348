"""Operations: `/gezondheid/` answers without login for load balancers and container health checks:
200 when the database, Redis and the worker answer, 503 (naming the part, nothing more) when one does not."""

import socket
import time
import uuid

import pytest
from celery import Celery
from django.conf import settings
from django.test import Client

from spukportal import views
from spukportal.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_worker_state():
    """Each test starts without a remembered worker state."""
    views._worker_state.update(checked_at=None, result=None)
    yield
    views._worker_state.update(checked_at=None, result=None)


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_health_is_ok_with_the_database_up_and_needs_no_login():
    response = Client().get("/gezondheid/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["redis"] == ("ok" if settings.REDIS_URL else "niet gebruikt")
    assert body["worker"] == "niet gebruikt"  # tasks run eagerly in this test
    assert set(body) == {"status", "database", "redis", "worker"}  # nothing else: no hosts, versions, users
    assert "no-store" in response["Cache-Control"]


def test_health_is_503_when_redis_does_not_answer(settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = Client().get("/gezondheid/")
    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "fout", "database": "ok", "redis": "fout", "worker": "niet gebruikt"}
    assert "127.0.0.1" not in response.content.decode()  # the reason is logged, never answered


def test_health_only_answers_get():
    assert Client().post("/gezondheid/").status_code == 405


@pytest.mark.worker
def test_health_pings_the_real_worker(reference_data, celery_worker_process):
    body = Client().get("/gezondheid/").json()
    assert body == {"status": "ok", "database": "ok", "redis": "ok", "worker": "ok"}


@pytest.fixture
def no_worker_listens(monkeypatch):
    """The portal's Celery settings on the test run's Redis, not eager, with keys under a prefix of their own:
    no worker listens there, even while another test process of this run has a real worker on that database."""
    if not settings.REDIS_URL:
        pytest.skip("Zonder Redis wordt de worker niet gecontroleerd.")
    alone = Celery("spukportal", set_as_current=False)
    alone.config_from_object("django.conf:settings", namespace="CELERY")
    alone.conf.update(task_always_eager=False, broker_transport_options={
        **alone.conf.broker_transport_options, "global_keyprefix": f"spuk-test-zonder-worker-{uuid.uuid4().hex}:"})
    monkeypatch.setattr(views, "celery_app", alone)
    yield
    alone.close()
    celery_app.set_current()


def test_without_a_worker_health_checks_do_not_each_wait_for_the_ping(no_worker_listens):
    """Anonymous callers cannot tie up web workers: the first request waits for the ping (at most
    WORKER_PING_TIMEOUT), the next ones use the remembered answer. Before, every request waited a full second."""
    client = Client()
    started = time.monotonic()
    bodies = [client.get("/gezondheid/").json() for _ in range(10)]
    elapsed = time.monotonic() - started
    assert all(b == {"status": "fout", "database": "ok", "redis": "ok", "worker": "fout"} for b in bodies)
    assert elapsed < 5, f"10 verzoeken duurden {elapsed:.1f} s"  # each waiting for the ping: at least 10 s


@pytest.mark.worker
def test_with_a_worker_the_health_check_does_not_wait_for_the_ping_timeout(reference_data, celery_worker_process):
    started = time.monotonic()
    body = Client().get("/gezondheid/").json()
    elapsed = time.monotonic() - started
    assert body["worker"] == "ok"
    assert elapsed < 0.95, f"{elapsed:.2f} s"  # the ping returns at the first answer; before it always took 1 s
