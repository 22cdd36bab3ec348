"""Login hardening: throttling per account and per address with a Dutch lockout
page, failed logins audited, password rules, idle session timeout, password change and reset by e-mail."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from spukportal.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "spuk-demo"  # the demo accounts' password (load_demo_data)


def _login(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_too_many_wrong_passwords_lock_the_account_with_a_dutch_message_and_are_audited(settings):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "gemeente", f"fout-{attempt}", address=f"10.0.1.{attempt}")
        assert response.status_code == 200  # the login page again, with its error
    assert _login(client, "gemeente", "nog-een-keer-fout", address="10.0.1.99").status_code == 429
    response = _login(client, "gemeente", PASSWORD, address="10.0.2.1")  # right password, other address
    assert response.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.filter(action="inloggen.mislukt", object_id="gemeente")
    assert failed.count() == settings.AXES_FAILURE_LIMIT + 1  # the refused attempt while locked counts too
    assert {e.details["adres"] for e in failed} >= {"10.0.1.0", "10.0.1.99"}
    assert AuditEvent.objects.filter(action="inloggen.geblokkeerd", object_id="gemeente").exists()
    # Another account from another address still logs in.
    assert _login(Client(), "gemeente2", PASSWORD, address="10.0.3.1").status_code == 302


def test_many_wrong_passwords_from_one_address_lock_that_address_at_its_own_higher_limit(settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    client = Client()
    for attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        _login(client, f"bestaat-niet-{attempt}", "fout", address="10.9.9.9")
    assert _login(Client(), "gemeente2", PASSWORD, address="10.9.9.9").status_code == 302  # below the limit
    _login(client, "bestaat-ook-niet", "fout", address="10.9.9.9")
    assert _login(client, "gemeente", PASSWORD, address="10.9.9.9").status_code == 429
    assert _login(Client(), "gemeente", PASSWORD, address="10.9.9.10").status_code == 302


def _via_proxy(client, username, password, client_address, proxy="172.18.0.2"):
    """A login through the reverse proxy: the connection comes from the proxy, which appends the address it
    received the request from to X-Forwarded-For."""
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=proxy,
                       HTTP_X_FORWARDED_FOR=client_address)


def test_behind_the_proxy_wrong_passwords_with_made_up_names_lock_out_nobody_else(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT + 2):
        assert _via_proxy(attacker, f"verzonnen-{attempt}", "fout", "203.0.113.66").status_code == 200
    # Every user has the proxy's connection address; they still log in, each from their own address.
    assert _via_proxy(Client(), "gemeente", PASSWORD, "198.51.100.7").status_code == 302
    assert _via_proxy(Client(), "gemeente2", PASSWORD, "198.51.100.8").status_code == 302
    # The audit trail names the client's address, not the proxy's.
    failed = AuditEvent.objects.filter(action="inloggen.mislukt", object_id="verzonnen-0").get()
    assert failed.details["adres"] == "203.0.113.66"


def test_behind_the_proxy_an_account_and_an_account_from_one_address_are_still_locked(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy(Client(), "gemeente", f"fout-{attempt}", "203.0.113.66")
    assert _via_proxy(Client(), "gemeente", PASSWORD, "203.0.113.66").status_code == 429
    assert _via_proxy(Client(), "gemeente", PASSWORD, "198.51.100.7").status_code == 429  # per account
    assert _via_proxy(Client(), "gemeente2", PASSWORD, "203.0.113.66").status_code == 302  # others: not


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    """Otherwise an attacker would pick a new address for every attempt."""
    settings.TRUSTED_PROXY_COUNT = 0
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    for attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        _via_proxy(Client(), f"verzonnen-{attempt}", "fout", f"198.51.100.{attempt}", proxy="10.7.7.7")
    assert _via_proxy(Client(), "gemeente", PASSWORD, "198.51.100.200", proxy="10.7.7.7").status_code == 429
    event = AuditEvent.objects.filter(action="inloggen.mislukt", object_id="verzonnen-0").get()
    assert event.details["adres"] == "10.7.7.7"


@pytest.mark.parametrize("count,header,expected", [
    (1, "203.0.113.66", "203.0.113.66"),
    (1, "1.2.3.4, 203.0.113.66", "203.0.113.66"),           # the client's own claim (1.2.3.4) is not believed
    (2, "1.2.3.4, 203.0.113.66, 10.0.0.5", "203.0.113.66"),
    (1, "niet-een-adres", "172.18.0.2"),
    (1, "", "172.18.0.2"),
    (0, "203.0.113.66", "172.18.0.2"),
])
def test_the_client_address_is_read_in_one_place(settings, rf, count, header, expected):
    from spukportal.client_address import client_address

    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR=header)
    assert client_address(request) == expected


@pytest.mark.parametrize("password,message", [
    ("kort-12", "te kort"),
    ("password1234", "te algemeen"),
    ("839201746583", "alleen cijfers"),
    ("aaaaaaaaaaaa", "te makkelijk te raden"),
    ("abcdefghijkl", "te makkelijk te raden"),
    ("welkom123456", "te makkelijk te raden"),
])
def test_weak_passwords_are_refused_on_change(login, password, message):
    client = login("gemeente")
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["new_password2"])
    assert get_user_model().objects.get(username="gemeente").check_password(PASSWORD)


def test_password_change_is_saved_and_audited():
    client = Client()
    assert _login(client, "gemeente", PASSWORD).status_code == 302
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "Wachtwoord wijzigen" in page.content.decode()
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Zeven groene Bomen!", "new_password2": "Zeven groene Bomen!"})
    assert response["Location"] == reverse("password_change_done")
    assert get_user_model().objects.get(username="gemeente").check_password("Zeven groene Bomen!")
    assert AuditEvent.objects.filter(action="wachtwoord.gewijzigd", actor__username="gemeente").exists()


def test_production_stores_passwords_with_pbkdf2_and_logs_in_with_them(settings):
    """The suite hashes with MD5 for speed (tests/conftest.py); this test runs with the hashers of the production
    settings: a password is stored as PBKDF2-SHA256 with Django's full number of rounds and a login with it works."""
    from django.conf import global_settings
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    import spukportal.settings as production

    hashers = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert "django.contrib.auth.hashers.MD5PasswordHasher" not in hashers
    settings.PASSWORD_HASHERS = hashers
    user = get_user_model().objects.get(username="gemeente")
    user.set_password(PASSWORD)
    user.save()
    algorithm, rounds, _salt, _hash = user.password.split("$")
    assert (algorithm, int(rounds)) == ("pbkdf2_sha256", PBKDF2PasswordHasher.iterations)
    client = Client()
    assert _login(client, "gemeente", PASSWORD).status_code == 302
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Zeven groene Bomen!", "new_password2": "Zeven groene Bomen!"})
    assert response["Location"] == reverse("password_change_done")
    changed = get_user_model().objects.get(username="gemeente")
    assert changed.password.startswith("pbkdf2_sha256$") and changed.check_password("Zeven groene Bomen!")


def test_password_reset_by_email():
    user = get_user_model().objects.get(username="gemeente2")
    user.email = "medewerker@lelystad.example"
    user.save()
    client = Client()
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in page
    response = client.post(reverse("password_reset"), {"email": "MEDEWERKER@lelystad.example"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and "nieuw wachtwoord" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/wachtwoord/herstellen/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": "Lange zin als Wachtwoord", "new_password2":
                                      "Lange zin als Wachtwoord"})
    assert response["Location"] == reverse("password_reset_complete")
    assert _login(Client(), "gemeente2", "Lange zin als Wachtwoord").status_code == 302
    actions = set(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))
    assert {"wachtwoord.herstel_aangevraagd", "wachtwoord.hersteld"} <= actions
    assert client.get(link).status_code in (200, 302)  # a used link no longer works:
    assert "ongeldig of verlopen" in client.get(link, follow=True).content.decode()


def test_a_session_ends_after_30_minutes_without_requests_and_each_request_renews_it():
    client = Client()
    assert _login(client, "gemeente", PASSWORD).status_code == 302
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date <= timezone.now() + datetime.timedelta(minutes=31)
    # Nearly idle for 30 minutes: a request renews the session for another 30.
    store = SessionStore(session_key=session.pk)
    store["_last_request"] = store["_last_request"] - 29 * 60
    store.save()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    assert client.get(reverse("home")).status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > timezone.now() + datetime.timedelta(minutes=29)
    # Idle for longer: the next request goes to the login page.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _home_status(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200 or response["Location"].startswith(reverse("login"))
    return response.status_code


def test_the_idle_timeout_counts_from_the_last_request_exactly(settings, time_machine):
    """The clock is moved instead of waited for (time.time, datetime and the session's stored expiry alike)."""
    time_machine.move_to(timezone.now())
    settings.SESSION_COOKIE_AGE = 5  # idle seconds (SESSION_IDLE_MINUTES)
    client = Client()
    assert _login(client, "gemeente", PASSWORD).status_code == 302
    time_machine.shift(3)
    assert _home_status(client) == 200
    time_machine.shift(3)  # 6 s after logging in, 3 s after the last request
    assert _home_status(client) == 200
    time_machine.shift(5.5)  # longer than the idle timeout since the last request
    assert _home_status(client) == 302
    assert "_auth_user_id" not in client.session


def test_a_session_ends_at_its_absolute_lifetime_however_active(settings, time_machine):
    time_machine.move_to(timezone.now())
    settings.SESSION_COOKIE_AGE, settings.SESSION_MAX_SECONDS = 5, 8
    client = Client()
    assert _login(client, "gemeente", PASSWORD).status_code == 302
    for _ in range(2):
        time_machine.shift(3)
        assert _home_status(client) == 200
    time_machine.shift(3)  # more than 8 s after logging in, 3 s after the last request
    assert _home_status(client) == 302
    assert _login(client, "gemeente", PASSWORD).status_code == 302  # logging in again starts new clocks
    assert _home_status(client) == 200
