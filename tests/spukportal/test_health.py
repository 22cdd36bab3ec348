"""Operations: `/gezondheid/` answers without login for load balancers and container health checks:
200 when the database, Redis and the worker answer, 503 (naming the part, nothing more) when one does not."""

import socket

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


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
