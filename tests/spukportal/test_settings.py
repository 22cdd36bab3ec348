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
                     DJANGO_SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="spuk.example.nl",
                     EMAIL_HOST="smtp.example.nl")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("env", [
    {},                                                                      # no key at all
    {"SECRET_KEY": "onveilig-alleen-voor-lokaal-gebruik-niet-in-productie"},  # the development key
    {"DJANGO_SECRET_KEY": "kort"},                                            # not a real key
    {"DJANGO_SECRET_KEY": "abcde" * 10},                                      # 50 characters, no entropy
    {"DJANGO_SECRET_KEY": "spukportaal" * 5},                                 # a repeated word
])
def test_production_refuses_to_start_without_a_real_secret_key(env):
    result = _manage("check", SPUK_PRODUCTION="true", EMAIL_HOST="smtp.example.nl", **env)
    assert result.returncode != 0
    assert "Productie start niet zonder echte geheime sleutel" in result.stderr


@pytest.mark.parametrize("name,value", [("SPUK_PRODUCTION", "ja"), ("SPUK_PRODUCTION", "aan"),
                                        ("DEBUG", "nee"), ("SECURE_COOKIES", "tru")])
def test_an_unknown_switch_value_stops_the_start_instead_of_meaning_off(name, value):
    result = _manage("check", **{name: value})
    assert result.returncode != 0
    assert f"{name}={value!r} wordt niet begrepen" in result.stderr


def test_known_switch_values_are_read_in_any_case():
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.PRODUCTION, settings.DEBUG)",
                     SPUK_PRODUCTION="TRUE", DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
                     EMAIL_HOST="smtp.example.nl", DEBUG="off")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["True", "False"]


def test_production_refuses_to_start_with_mail_to_the_console():
    key = secrets.token_urlsafe(64)
    result = _manage("check", SPUK_PRODUCTION="true", DJANGO_SECRET_KEY=key)  # no EMAIL_HOST, no backend
    assert result.returncode != 0 and "zet EMAIL_HOST" in result.stderr
    result = _manage("check", SPUK_PRODUCTION="true", DJANGO_SECRET_KEY=key,
                     EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend", EMAIL_HOST="smtp.example.nl")
    assert result.returncode != 0 and "mail naar de console" in result.stderr
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_HOST)",
                     SPUK_PRODUCTION="true", DJANGO_SECRET_KEY=key, EMAIL_HOST="smtp.example.nl")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.nl"]


def test_the_compose_stack_sends_mail_by_smtp():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "EMAIL_HOST: ${EMAIL_HOST:?" in compose
    readme = (ROOT / "README.md").read_text()
    assert "EMAIL_HOST=" in readme.split("## Uitrollen met docker-compose")[1]


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
