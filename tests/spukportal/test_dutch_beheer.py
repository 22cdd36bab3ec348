"""The beheer speaks Dutch: the installed apps' names (axes, django-otp, simple-certmanager), Django's own texts its
catalog misses, and the audit trail in words (action, kind of object, who by name) instead of stored codes."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from regions.models import Municipality
from spukportal import audit

pytestmark = pytest.mark.django_db

ENGLISH = ["Access attempts", "Access failures", "Access logs", "Axes", "Otp_Totp", "TOTP device", "Simple_Certmanager",
           "Signing request", "Model name", "Add link", "Change or view list link", "After you’ve created a user",
           "Attempt Time", "IP Address", "The human-readable name"]


def visible_text(response):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html.split("<body", 1)[1]).split())


@pytest.mark.parametrize("path", ["/beheer/", "/beheer/auth/user/add/", "/beheer/axes/accessattempt/",
                                  "/beheer/axes/accessfailurelog/", "/beheer/axes/accesslog/",
                                  "/beheer/otp_totp/totpdevice/", "/beheer/simple_certmanager/signingrequest/"])
def test_the_beheer_pages_have_no_english_names(login, path):
    response = login("beheer").get(path)
    assert response.status_code == 200
    text = visible_text(response)
    assert [word for word in ENGLISH if word in text] == []


def test_the_index_names_the_security_apps_in_dutch(login):
    text = visible_text(login("beheer").get("/beheer/"))
    for name in ["Inlogbeveiliging", "Inlogpogingen", "Tweestapsverificatie", "Authenticator-apps", "Certificaatbeheer"]:
        assert name in text


def test_the_dutch_names_need_no_migration_of_the_installed_apps():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits non-zero on a change


def test_the_audit_trail_shows_actions_and_objects_in_dutch_and_who_by_name(login):
    admin = get_user_model().objects.get(username="beheer")
    almere = Municipality.objects.get(cbs_code="GM0034")
    with transaction.atomic():
        audit.record(actor=admin, action="beheer.gewijzigd", obj=almere, message="Postadres gewijzigd")
    response = login("beheer").get("/beheer/spukportal/auditevent/")
    row = next(r for r in re.findall(r"<tr.*?</tr>", response.content.decode(), re.S) if "Postadres gewijzigd" in r)
    cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<t[dh][^>]*>.*?</t[dh]>", row, re.S)]
    assert "Gewijzigd via beheer" in cells and "Gemeente" in cells and admin.get_full_name() in cells
    assert "beheer.gewijzigd" not in row and "regions.municipality" not in row
    filters = visible_text(response).split("Filter", 1)[1]
    assert "Gewijzigd via beheer" in filters and "regions.municipality" not in filters
