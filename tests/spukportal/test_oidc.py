"""OIDC login (mozilla-django-oidc): off by default; when on, an IdP user is let in only as the
existing account with the same verified e-mail address, audited, with our own 2FA step and the idle timeout.

The provider is mocked at the true edge: its token, userinfo and JWKS endpoints answer over HTTP (`responses`
intercepts the requests the backend makes); the ID token is a real RS256 JWT signed by a key made here."""

import importlib
import json
import time
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import responses
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import clear_url_caches, reverse

from spukportal.models import AuditEvent

pytestmark = pytest.mark.django_db

IDP = "https://idp.example.nl"
TOKEN, USERINFO, JWKS = f"{IDP}/token", f"{IDP}/userinfo", f"{IDP}/jwks"
CLIENT_ID = "spukportaal"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _reload_urls():
    import spukportal.urls

    clear_url_caches()
    importlib.reload(spukportal.urls)
    clear_url_caches()


@pytest.fixture
def oidc_on(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Rijksportaal"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "geheim-van-de-client"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{IDP}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = TOKEN
    settings.OIDC_OP_USER_ENDPOINT = USERINFO
    settings.OIDC_OP_JWKS_ENDPOINT = JWKS
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email"
    settings.OIDC_USE_PKCE = True
    settings.OIDC_USE_NONCE = True
    settings.OIDC_CREATE_USER = False
    settings.OIDC_TIMEOUT = 5
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "spukportal.oidc.PortalOIDCBackend"]
    _reload_urls()
    yield settings
    settings.OIDC_ENABLED = False
    _reload_urls()


def _id_token(nonce, *, key=KEY, kid="sleutel-1"):
    now = int(time.time())
    claims = {"iss": IDP, "aud": CLIENT_ID, "sub": "idp-gebruiker-1", "iat": now, "exp": now + 300, "nonce": nonce}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def _jwks():
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    return {"keys": [{**jwk, "kid": "sleutel-1", "alg": "RS256", "use": "sig"}]}


def _start(client, next_url="/aanvragen/"):
    """The login page's button: the portal sends the browser to the IdP with state, nonce and PKCE challenge."""
    response = client.get(reverse("oidc_authentication_init") + f"?next={next_url}")
    assert response.status_code == 302 and response["Location"].startswith(f"{IDP}/authorize?")
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["client_id"] == [CLIENT_ID] and query["code_challenge_method"] == ["S256"]
    return query["state"][0], query["nonce"][0]


def _idp_login(client, userinfo, *, token_status=200, key=KEY, nonce=None):
    """The whole round trip: start, the IdP's endpoints answer, the browser comes back with a code."""
    state, real_nonce = _start(client)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as idp:
        idp.post(TOKEN, status=token_status, json={"id_token": _id_token(nonce or real_nonce, key=key),
                                                    "access_token": "toegang-123", "token_type": "Bearer"}
                 if token_status == 200 else {"error": "server_error"})
        idp.get(JWKS, json=_jwks())
        idp.get(USERINFO, json=userinfo)
        response = client.get(reverse("oidc_authentication_callback") + f"?code=code-xyz&state={state}")
        calls = list(idp.calls)
    return response, calls


def _messages(client, response):
    assert response.status_code == 302 and response["Location"] == reverse("login")
    return client.get(response["Location"]).content.decode()


# --- off by default ----------------------------------------------------------------------------------

def test_off_by_default_nothing_of_oidc_is_reachable(settings):
    assert settings.OIDC_ENABLED is False
    assert not any("oidc" in backend.lower() for backend in settings.AUTHENTICATION_BACKENDS)
    client = Client()
    assert client.get("/inloggen/oidc/").status_code == 404
    assert client.get("/inloggen/oidc/terug/?code=x&state=y").status_code == 404
    assert "Inloggen met" not in client.get(reverse("login")).content.decode()


# --- on ----------------------------------------------------------------------------------------------

def test_login_page_offers_the_provider(oidc_on):
    page = Client().get(reverse("login")).content.decode()
    assert "Inloggen met Rijksportaal" in page and 'href="/inloggen/oidc/' in page


def test_known_verified_email_logs_in_as_that_account_and_is_audited(oidc_on):
    client = Client()
    response, calls = _idp_login(client, {"sub": "idp-gebruiker-1", "email": "GEMEENTE@example.org",
                                          "email_verified": True})
    assert response.status_code == 302 and response["Location"] == "/aanvragen/"
    page = client.get("/aanvragen/")
    assert page.status_code == 200 and page.wsgi_request.user.username == "gemeente"
    token_request = parse_qs(calls[0].request.body)
    assert token_request["code"] == ["code-xyz"] and token_request["code_verifier"][0]  # PKCE
    assert calls[0].request.url == TOKEN and {c.request.url for c in calls[1:]} == {JWKS, USERINFO}
    event = AuditEvent.objects.get(action="inloggen.oidc")
    assert event.actor.username == "gemeente" and "Rijksportaal" in event.message
    # the idle timeout holds: the session lasts SESSION_IDLE_MINUTES and its clock started at login
    assert client.session.get_expiry_age() == oidc_on.SESSION_COOKIE_AGE <= 30 * 60
    assert client.session["_started_at"] >= time.time() - 5


def test_unknown_email_is_refused_with_a_dutch_message_and_no_account_is_made(oidc_on, django_user_model):
    before = django_user_model.objects.count()
    client = Client()
    response, _ = _idp_login(client, {"sub": "x", "email": "onbekend@gemeente.example", "email_verified": True})
    page = _messages(client, response)
    assert "Er is geen account in het SPUK-portaal met het e-mailadres dat Rijksportaal doorgaf" in page
    assert django_user_model.objects.count() == before
    assert client.get(reverse("home")).status_code == 302  # not logged in
    event = AuditEvent.objects.get(action="oidc.onbekend")
    assert event.object_id == "onbekend@gemeente.example" and event.actor is None
    assert not AuditEvent.objects.filter(action="inloggen.mislukt").exists()  # audited once, with the reason


def test_unverified_email_is_refused(oidc_on):
    client = Client()
    response, _ = _idp_login(client, {"sub": "x", "email": "gemeente@example.org", "email_verified": False})
    assert "meldt dat uw e-mailadres niet is bevestigd" in _messages(client, response)
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="inloggen.mislukt", details__reden="niet_geverifieerd").exists()


def test_a_token_signed_by_another_key_or_with_another_nonce_is_refused(oidc_on):
    for kwargs in ({"key": OTHER_KEY}, {"nonce": "vervalst"}):
        client = Client()
        response, _ = _idp_login(client, {"email": "gemeente@example.org", "email_verified": True}, **kwargs)
        assert "gaf geen geldig antwoord" in _messages(client, response)
        assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="inloggen.mislukt", details__reden="aanbieder").count() == 2
    assert not AuditEvent.objects.filter(action="inloggen.oidc").exists()


def test_provider_error_gives_a_message_not_a_500(oidc_on):
    client = Client()
    response, _ = _idp_login(client, {}, token_status=500)
    assert "gaf geen geldig antwoord" in _messages(client, response)


def test_cancelled_at_the_idp_and_a_replayed_callback_are_refused(oidc_on):
    client = Client()
    state, _ = _start(client)
    response = client.get(reverse("oidc_authentication_callback") + f"?error=access_denied&state={state}")
    assert "is afgebroken" in _messages(client, response)
    response = client.get(reverse("oidc_authentication_callback") + f"?code=oud&state={state}")  # state used up
    assert "duurde te lang" in _messages(client, response)
    assert AuditEvent.objects.filter(action="inloggen.mislukt", details__via="oidc").count() == 2


def test_kerngroep_must_still_give_our_2fa_step_after_the_idp(oidc_on):
    oidc_on.SPUK_REQUIRE_2FA = True
    client = Client()
    response, _ = _idp_login(client, {"email": "kerngroep@example.org", "email_verified": True})
    assert response.status_code == 302
    page = client.get("/aanvragen/beoordeling/")
    assert page.status_code == 302 and page["Location"].startswith(reverse("two_factor_setup"))


def test_the_oidc_urls_are_public_get_only_and_a_bare_callback_is_refused_without_a_500(oidc_on):
    client = Client()
    assert client.post(reverse("oidc_authentication_init")).status_code == 405
    response = client.get(reverse("oidc_authentication_callback"))
    assert "duurde te lang" in _messages(client, response)


def test_settings_from_the_environment_and_a_clear_error_when_a_variable_is_missing():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    base = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    code = ("from django.conf import settings; print(settings.OIDC_ENABLED, settings.OIDC_RP_SIGN_ALGO, "
            "settings.AUTHENTICATION_BACKENDS[-1], settings.OIDC_PROVIDER_NAME)")
    full = {"OIDC_ENABLED": "true", "OIDC_RP_CLIENT_ID": "c", "OIDC_RP_CLIENT_SECRET": "s",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{IDP}/authorize", "OIDC_OP_TOKEN_ENDPOINT": TOKEN,
            "OIDC_OP_USER_ENDPOINT": USERINFO, "OIDC_OP_JWKS_ENDPOINT": JWKS, "OIDC_PROVIDER_NAME": "Rijksportaal"}

    def run(env):
        return subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=root, env={**base, **env},
                              capture_output=True, text=True, timeout=120)

    result = run(full)
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "RS256", "spukportal.oidc.PortalOIDCBackend", "Rijksportaal"], result.stderr
    result = run({k: v for k, v in full.items() if k != "OIDC_OP_JWKS_ENDPOINT"})
    assert result.returncode != 0 and "OIDC_OP_JWKS_ENDPOINT" in result.stderr
    result = run({k: v for k, v in full.items() if k != "OIDC_RP_CLIENT_ID"})
    assert result.returncode != 0 and "OIDC_RP_CLIENT_ID" in result.stderr
