"""Production settings and security headers."""

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environment.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_with_production_settings_is_clean():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SPUK_PRODUCTION="true",
                     DJANGO_SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="spuk.example.nl")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("env", [
    {},                                                                      # no key at all
    {"SECRET_KEY": "onveilig-alleen-voor-lokaal-gebruik-niet-in-productie"},  # the development key
    {"DJANGO_SECRET_KEY": "kort"},                                            # not a real key
])
def test_production_refuses_to_start_without_a_real_secret_key(env):
    result = _manage("check", SPUK_PRODUCTION="true", **env)
    assert result.returncode != 0
    assert "Productie start niet zonder echte geheime sleutel" in result.stderr


def test_dockerignore_keeps_secrets_out_of_the_image():
    lines = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in lines and ".env.*" in lines


@pytest.mark.django_db
def test_pages_carry_a_csp_without_inline_scripts_and_private_pages_are_not_stored(login):
    client = login("gemeente")
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'"] and "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_403_is_logged_without_a_traceback(login, caplog):
    client = login("gemeente")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("budgets:run_list"))
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request" and getattr(r, "status_code", None) == 403]
    assert records and all(r.exc_info is None for r in records)
