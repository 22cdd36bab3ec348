"""Valid HTML: the W3C Nu Html Checker (vnu.jar from the npm package vnu-jar, which scripts/run-tests installs
under var/vnu) finds no error on any page the look sweep (tests/e2e/test_look.py) visits, for every demo
role that may open it, nor on the login page."""

import os
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.access import ANONYMOUS, ROLES

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "var" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _vnu_or_skip():
    if VNU.exists() and shutil.which("java"):
        return VNU
    message = "De HTML-validator ontbreekt (var/vnu, npm-pakket vnu-jar, en Java): scripts/run-tests installeert hem."
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def validate(files: list[Path]) -> list[dict]:
    """The checker's errors (not warnings or info) for these files: [{"url", "line", "message", "extract"}]."""
    result = subprocess.run(["java", "-Xss1024k", "-jar", str(_vnu_or_skip()), "--errors-only", "--format", "json",
                             *map(str, files)], capture_output=True, text=True, timeout=600)
    return [m for m in json.loads(result.stderr or '{"messages": []}')["messages"] if m.get("type") == "error"]


def test_the_checker_reports_an_error_it_should(tmp_path):
    """The check itself can fail: an `hx-get` attribute and a microsecond `datetime` are errors."""
    page = tmp_path / "fout.html"
    page.write_text('<!DOCTYPE html><html lang="nl"><head><title>t</title></head><body>'
                    '<div hx-get="/x"></div><time datetime="2025-01-01T10:00:00.123456+01:00">nu</time></body></html>')
    messages = " ".join(m["message"] for m in validate([page]))
    assert "hx-get" in messages and "datetime" in messages


@pytest.mark.django_db
def test_every_page_of_the_look_sweep_is_valid_html(client, tmp_path):
    from django.contrib.auth import get_user_model

    from tests.e2e.test_look import address, all_cases

    _vnu_or_skip()
    files, where = [], {}
    login_page = tmp_path / "inloggen.html"
    login_page.write_bytes(client.get("/inloggen/").content)
    files.append(login_page)
    where[login_page.name] = "anoniem /inloggen/"
    for role in [r for r in ROLES if r != ANONYMOUS]:
        client.force_login(get_user_model().objects.get(username=role))
        for case in all_cases():
            if role not in case.allowed:
                continue
            url = address(case)
            response = client.get(url)
            assert response.status_code == 200, f"{role} {url}: {response.status_code}"
            if not response["Content-Type"].startswith("text/html"):
                continue
            path = tmp_path / f"{role}-{len(files):03d}.html"
            path.write_bytes(response.content)
            files.append(path)
            where[path.name] = f"{role} {url}"
    assert len(files) > 100
    errors = validate(files)
    lines = [f"- {where.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))} r{m.get('lastLine')}: {m['message']} "
             f"[{(m.get('extract') or '').strip()[:120]}]" for m in errors]
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "html-validator.txt").write_text("\n".join(lines) + "\n")  # the whole list, for people
    report = "\n".join(lines[:80])
    assert not errors, f"{len(errors)} fouten van de HTML-validator:\n{report}"


@pytest.mark.django_db
def test_the_confirmation_steps_are_valid_html(login, tmp_path):
    """Pages that only a POST shows: the batch's, the second reviewer's and a declaration withdrawal's
    confirmation, and the submit step with its summary."""
    from django.urls import reverse

    from tests.applications import factories as f
    from tests.applications.test_decisions import DAY, positive

    _vnu_or_skip()
    pages = {}
    batch = positive()
    pages["reeks"] = login("ministerie").post("/aanvragen/beschikkingen/", {
        "applications": [batch.pk], "decided_on": DAY.isoformat()})
    app = f.proposed(f.in_review(f.submitted(f.scenario(municipalities=("GM0995",)), "GM0995", "gemeente2")))
    pages["advies"] = login("kerngroep2").post(reverse("applications:assessment_agree", args=(app.pk,)), {})
    iza = f.iza_draft(f.iza_scenario())
    declaration = f.declare(iza, "gemeente2", "GM0995")
    pages["intrekken"] = login("gemeente2").post(
        reverse("applications:declaration_withdraw", args=(iza.pk, declaration.pk)))
    draft = f.fill_completely(f.draft(f.scenario(municipalities=("GM0928",)), "GM0928", "gemeente3"), "gemeente3")
    pages["indienen"] = login("gemeente3").get(reverse("applications:submit", args=(draft.pk,)))
    files = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    errors = validate(files)
    assert not errors, "\n".join(f"- {m.get('url')} r{m.get('lastLine')}: {m['message']}" for m in errors)
