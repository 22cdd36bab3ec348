"""Two-factor authentication: TOTP with django-otp, recovery codes, enforcement by SPUK_REQUIRE_2FA."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from spukportal.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "spuk-demo"


def _password_login(username):
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def _enroll(client, username):
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"code": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302 and reverse("two_factor_recovery_codes") in response["Location"]
    page = client.get(response["Location"]).content.decode()
    return device, re.findall(r"<li><code>(\w+)</code></li>", page)


def test_enforced_kerngroep_without_app_is_sent_to_enrollment_and_then_gets_recovery_codes(settings):
    settings.SPUK_REQUIRE_2FA = True
    client = _password_login("kerngroep")
    response = client.get(reverse("applications:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_setup"))
    assert client.get("/beheer/").status_code == 302
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "<svg" in page and "Tweestapsverificatie instellen" in page
    device, codes = _enroll(client, "kerngroep")
    assert len(codes) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("applications:list")).status_code == 200
    assert "al eerder getoond" in client.get(reverse("two_factor_recovery_codes")).content.decode()
    assert AuditEvent.objects.filter(action="tweestap.ingesteld", actor__username="kerngroep").exists()


def test_wrong_code_is_refused_in_dutch_and_audited_and_a_recovery_code_works_once(settings):
    settings.SPUK_REQUIRE_2FA = True
    _, codes = _enroll(_password_login("ministerie"), "ministerie")
    client = _password_login("ministerie")
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    response = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert response.status_code == 200 and "Deze code klopt niet" in response.content.decode()
    assert AuditEvent.objects.filter(action="tweestap.mislukt", actor__username="ministerie").exists()
    assert client.get(reverse("home")).status_code == 302
    assert client.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="tweestap.herstelcode_gebruikt").exists()
    again = _password_login("ministerie")
    import time
    time.sleep(1.1)  # the failed attempt above throttled this device's recovery codes for one second
    response = again.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 200 and "klopt niet" in response.content.decode()


def test_officer_without_app_is_not_forced_and_nothing_changes_when_not_enforced(settings):
    settings.SPUK_REQUIRE_2FA = True
    assert _password_login("gemeente").get(reverse("applications:list")).status_code == 200
    settings.SPUK_REQUIRE_2FA = False
    client = _password_login("kerngroep")
    assert client.get(reverse("applications:list")).status_code == 200
    assert client.get("/beheer/").status_code == 403


def test_officer_can_turn_it_on_and_off(settings):
    client = _password_login("gemeente")
    _enroll(client, "gemeente")
    assert get_user_model().objects.get(username="gemeente").totpdevice_set.filter(confirmed=True).exists()
    assert _password_login("gemeente").get(reverse("home")).status_code == 302  # a code is now asked
    client.post(reverse("two_factor_account"), {"action": "uitzetten"})
    assert not TOTPDevice.objects.filter(user__username="gemeente").exists()


def test_beheer_sees_who_has_an_app_without_the_secret(login):
    client = Client()
    _enroll(_password_login("gemeente"), "gemeente")
    device = TOTPDevice.objects.get(user__username="gemeente")
    client = login("beheer")
    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 200
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=(device.pk,))).content.decode()
    assert device.key not in page


def test_the_sessions_device_is_the_one_django_otp_would_find(django_assert_num_queries):
    """spukportal.two_factor.OTPMiddleware reads the session's device with SQL written once: for every kind of
    persistent id it must give the device (or none) that django-otp's own middleware gives, so is_verified() means
    the same: the user's own confirmed app or recovery codes; nothing for another user's device, an unconfirmed or
    removed one, or an id that is not a device's."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.middleware import OTPMiddleware as DjangoOtpMiddleware
    from django_otp.plugins.otp_static.models import StaticDevice

    from spukportal.two_factor import OTPMiddleware

    users = get_user_model().objects
    kerngroep, ministerie = users.get(username="kerngroep"), users.get(username="ministerie")
    app = TOTPDevice.objects.create(user=kerngroep, name="app", confirmed=True)
    codes = StaticDevice.objects.create(user=kerngroep, name="codes", confirmed=True)
    unconfirmed = TOTPDevice.objects.create(user=kerngroep, name="nieuw", confirmed=False)
    others = TOTPDevice.objects.create(user=ministerie, name="app", confirmed=True)
    removed = TOTPDevice.objects.create(user=kerngroep, name="weg", confirmed=True)
    removed_id = removed.persistent_id
    removed.delete()
    cases = {"own app": (app.persistent_id, app), "own recovery codes": (codes.persistent_id, codes),
             "unconfirmed": (unconfirmed.persistent_id, None), "another user's": (others.persistent_id, None),
             "removed": (removed_id, None),
             "legacy import path": (f"django_otp.plugins.otp_totp.models.TOTPDevice/{app.pk}", app),
             "not a number": ("otp_totp.totpdevice/x", None), "a kind not installed": ("otp_email.emaildevice/1", None)}

    def device(middleware_class, persistent_id):
        request = RequestFactory().get("/")
        request.session = SessionStore()
        request.session[DEVICE_ID_SESSION_KEY] = persistent_id
        request.user = kerngroep
        middleware_class(lambda r: None)._install_lazy_accessors(request)
        return request.user.otp_device, request.user.is_verified()

    for case, (persistent_id, expected) in cases.items():
        ours, django_otps = device(OTPMiddleware, persistent_id), device(DjangoOtpMiddleware, persistent_id)
        assert ours == django_otps == (expected, expected is not None), case
    with django_assert_num_queries(1):  # the written SQL, run again
        assert device(OTPMiddleware, app.persistent_id) == (app, True)
