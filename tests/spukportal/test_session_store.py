"""The session of every request, read with SQL written once (spukportal/session_store.py): a live session
logs the user in, an expired or unknown one does not and is replaced by a new one."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from spukportal.session_store import SessionStore
from tests.applications import factories as f

pytestmark = pytest.mark.django_db


def test_a_live_session_is_read_and_an_expired_or_unknown_one_is_a_new_anonymous_session(client):
    assert settings.SESSION_ENGINE == "spukportal.session_store"
    client.force_login(f.user("gemeente"))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("home")).status_code == 200
    assert SessionStore(session_key=key).get("_auth_user_id") == str(f.user("gemeente").pk)

    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    expired = SessionStore(session_key=key)
    assert expired.load() == {} and expired.session_key is None  # as Django's: a new key when it is saved
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    for odd in ("onbekend0sessie0sleutel0123456789", "x' OR '1'='1"):
        client.cookies[settings.SESSION_COOKIE_NAME] = odd
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
