"""eHerkenning login for gemeente officers (django-digid-eherkenning): off by default; when on, a real SAML round
trip against a local broker (pysaml2 identity provider, tests/spukportal/saml_idp.py) — signed AuthnRequest,
artifact, SOAP artifact resolution over HTTP on 127.0.0.1, signed assertion — and our account rules after it."""

import html
import importlib
import io
import re
import shutil

import pytest
from django.test import Client
from django.urls import clear_url_caches, reverse

from regions.models import Municipality
from spukportal.models import AuditEvent, EHerkenningIdentity

pytestmark = pytest.mark.django_db

ALMERE_KVK = "12345678"  # test values, not the real numbers
UNKNOWN_KVK = "87654321"
ANNA = "pseudoniem-anna-almere"
needs_xmlsec1 = pytest.mark.skipif(shutil.which("xmlsec1") is None,
                                   reason="Debian-pakket xmlsec1 ontbreekt (scripts/run-tests installeert het)")


def _reload_urls():
    import spukportal.urls

    clear_url_caches()
    importlib.reload(spukportal.urls)
    clear_url_caches()


@pytest.fixture
def almere():
    municipality = Municipality.objects.get(cbs_code="GM0034")
    municipality.kvk_number = ALMERE_KVK
    municipality.save()
    return municipality


@pytest.fixture
def eherkenning_on(settings, tmp_path, almere):
    from digid_eherkenning.saml2.eherkenning import generate_eherkenning_metadata

    from spukportal.eherkenning import configuration_save
    from tests.spukportal.saml_idp import LocalBroker, key_pair

    settings.EHERKENNING_ENABLED = True
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "privaat")
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                        "spukportal.eherkenning.PortalEHerkenningBackend"]
    _reload_urls()
    broker = LocalBroker(tmp_path)
    sp_key, sp_cert = key_pair("spukportaal", tmp_path)
    configuration_save(actor=None, entity_id="https://spuk.test/eherkenning", base_url="http://localhost",
                       certificate_pem=sp_cert.read_bytes(), private_key_pem=sp_key.read_bytes(),
                       idp_metadata_xml=broker.metadata_xml(), idp_entity_id=broker.entity_id,
                       service_name="SPUK-portaal", service_description="Aanvragen en verantwoorden SPUK",
                       privacy_policy="https://spuk.test/privacy/",
                       oin="00000000000000000001", makelaar_id="00000000000000000002")  # test values
    broker.trust(generate_eherkenning_metadata())
    broker.start()
    yield broker
    broker.stop()
    settings.EHERKENNING_ENABLED = False
    _reload_urls()


def _start(client, broker, next_url="/gemeenten/"):
    """The login page's button: the library renders a self-submitting form that posts the signed AuthnRequest."""
    page = client.get(reverse("eherkenning:login") + f"?next={next_url}")
    assert page.status_code == 200
    content = page.content.decode()
    action = html.unescape(re.search(r'action="([^"]+)"', content).group(1))
    saml_request = html.unescape(re.search(r'name="SAMLRequest" value="([^"]+)"', content).group(1))
    relay_state = html.unescape(re.search(r'name="RelayState" value="([^"]*)"', content).group(1))
    assert action == broker.sso_url
    assert f"form-action 'self' {broker.base}" in page["Content-Security-Policy"]  # the form may post there
    return saml_request, relay_state


def _round_trip(client, broker, *, kvk=ALMERE_KVK, subject=ANNA, next_url="/gemeenten/", **kwargs):
    saml_request, relay_state = _start(client, broker, next_url)
    artifact = broker.authenticate(saml_request, kvk=kvk, subject=subject, **kwargs)
    return client.get(reverse("eherkenning:acs"), {"SAMLart": artifact, "RelayState": relay_state})


def _link_anna(almere, django_user_model):
    return EHerkenningIdentity.objects.create(user=django_user_model.objects.get(username="gemeente"),
                                              municipality=almere, acting_subject_id=ANNA)


def _refusal(client, response):
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302  # not logged in
    return html.unescape(client.get(response["Location"]).content.decode())


# --- off by default ----------------------------------------------------------------------------------

def test_off_by_default_nothing_of_eherkenning_is_reachable(settings):
    assert settings.EHERKENNING_ENABLED is False and settings.EHERKENNING_MOCK is False
    assert not any("eherkenning" in backend for backend in settings.AUTHENTICATION_BACKENDS)
    client = Client()
    for url in ("/eherkenning/inloggen/", "/eherkenning/terug/?SAMLart=x", "/eherkenning/metadata/",
                "/eherkenning/demo/"):
        assert client.get(url).status_code == 404
    assert "eHerkenning" not in client.get(reverse("login")).content.decode()


# --- the SAML round trip -----------------------------------------------------------------------------

@needs_xmlsec1
def test_linked_officer_logs_in_through_the_broker_and_lands_on_the_page_asked_for(eherkenning_on, almere,
                                                                                  django_user_model):
    _link_anna(almere, django_user_model)
    page = Client().get(reverse("login")).content.decode()
    assert "Inloggen met eHerkenning" in page and 'href="/eherkenning/inloggen/' in page

    client = Client()
    response = _round_trip(client, eherkenning_on)
    assert response.status_code == 302 and response["Location"] == "/gemeenten/"
    page = client.get("/gemeenten/")
    assert page.status_code == 200 and page.wsgi_request.user.username == "gemeente"
    # the back channel was used: one signed ArtifactResolve reached the broker over HTTP
    assert len(eherkenning_on.resolve_requests) == 1 and "SignatureValue" in eherkenning_on.resolve_requests[0]
    event = AuditEvent.objects.get(action="inloggen.eherkenning")
    assert event.actor.username == "gemeente" and "EH3" in event.message and "Almere" in event.message
    # EH3 covers two factors: no app code is asked even though the officer has an app set up later in the session
    assert client.session["_spuk_2fa_covered_by"] == "eHerkenning EH3"
    assert client.session.get_expiry_age() <= 30 * 60  # the idle timeout holds


@needs_xmlsec1
def test_an_artifact_cannot_be_used_twice(eherkenning_on, almere, django_user_model):
    _link_anna(almere, django_user_model)
    client = Client()
    saml_request, relay_state = _start(client, eherkenning_on)
    artifact = eherkenning_on.authenticate(saml_request, kvk=ALMERE_KVK, subject=ANNA)
    assert client.get(reverse("eherkenning:acs"), {"SAMLart": artifact, "RelayState": relay_state}).status_code == 302
    other = Client()
    response = other.get(reverse("eherkenning:acs"), {"SAMLart": artifact, "RelayState": relay_state})
    assert "geen geldig antwoord" in _refusal(other, response)


@needs_xmlsec1
def test_a_lower_assurance_level_leaves_the_portals_own_2fa_in_place(eherkenning_on, almere, django_user_model):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    identity = _link_anna(almere, django_user_model)
    TOTPDevice.objects.create(user=identity.user, name="Authenticator-app", confirmed=True)
    client = Client()
    response = _round_trip(client, eherkenning_on, loa="urn:etoegang:core:assurance-class:loa2plus")
    assert response.status_code == 302
    page = client.get("/gemeenten/")
    assert page.status_code == 302 and page["Location"].startswith(reverse("two_factor_verify"))
    assert "EH2+" in AuditEvent.objects.get(action="inloggen.eherkenning").message


@needs_xmlsec1
def test_unknown_kvk_is_refused_in_dutch_and_audited(eherkenning_on):
    client = Client()
    page = _refusal(client, _round_trip(client, eherkenning_on, kvk=UNKNOWN_KVK))
    assert f"(KVK-nummer {UNKNOWN_KVK}) die geen gemeente in het SPUK-portaal is" in page
    event = AuditEvent.objects.get(action="eherkenning.geweigerd")
    assert event.details["reden"] == "onbekende_organisatie" and event.details["kvk"] == UNKNOWN_KVK
    assert not AuditEvent.objects.filter(action="inloggen.mislukt").exists()  # audited once, with the reason


@needs_xmlsec1
def test_no_linked_account_is_refused_then_linked_by_one_password_login(eherkenning_on, almere, django_user_model):
    users_before = django_user_model.objects.count()
    client = Client()
    page = _refusal(client, _round_trip(client, eherkenning_on))
    assert "Uw eHerkenning is nog niet gekoppeld aan een account" in page and "Almere laat geen accounts" in page
    assert django_user_model.objects.count() == users_before
    assert AuditEvent.objects.get(action="eherkenning.geweigerd").details["reden"] == "niet_gekoppeld"

    # the officer logs in once with their password: the eHerkenning pseudonym is linked to that account
    response = client.post(reverse("login"), {"username": "gemeente", "password": "spuk-demo"}, follow=True)
    assert "Uw eHerkenning is gekoppeld aan dit account" in html.unescape(response.content.decode())
    identity = EHerkenningIdentity.objects.get(municipality=almere, acting_subject_id=ANNA)
    assert identity.user.username == "gemeente"
    assert AuditEvent.objects.filter(action="eherkenning.gekoppeld", actor=identity.user).exists()

    client.post(reverse("logout"))
    fresh = Client()
    assert _round_trip(fresh, eherkenning_on)["Location"] == "/gemeenten/"
    assert fresh.get("/gemeenten/").wsgi_request.user.username == "gemeente"


@needs_xmlsec1
def test_with_an_app_the_link_waits_for_the_code_not_just_the_password(eherkenning_on, almere, django_user_model):
    """An EH3 login skips the app code, so a stolen password alone must not be enough to link an eHerkenning."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    anna = django_user_model.objects.get(username="gemeente")
    device = TOTPDevice.objects.create(user=anna, name="Authenticator-app", confirmed=True)
    client = Client()
    _refusal(client, _round_trip(client, eherkenning_on))
    response = client.post(reverse("login"), {"username": "gemeente", "password": "spuk-demo"})
    assert client.get("/gemeenten/")["Location"].startswith(reverse("two_factor_verify"))
    assert not EHerkenningIdentity.objects.filter(acting_subject_id=ANNA).exists()  # password alone: nothing

    response = client.post(reverse("two_factor_verify"), {"code": f"{totp(device.bin_key):06d}"}, follow=True)
    assert "Uw eHerkenning is gekoppeld aan dit account" in html.unescape(response.content.decode())
    assert EHerkenningIdentity.objects.get(acting_subject_id=ANNA).user == anna


@needs_xmlsec1
def test_a_password_login_of_an_officer_of_another_gemeente_links_nothing(eherkenning_on, almere):
    client = Client()
    _refusal(client, _round_trip(client, eherkenning_on))
    client.post(reverse("login"), {"username": "gemeente2", "password": "spuk-demo"})  # Lelystad
    assert not EHerkenningIdentity.objects.filter(acting_subject_id=ANNA).exists()


@needs_xmlsec1
def test_where_the_gemeente_allows_it_the_first_login_makes_an_officer_account(eherkenning_on, almere,
                                                                             django_user_model):
    almere.eherkenning_creates_accounts = True
    almere.save()
    client = Client()
    response = _round_trip(client, eherkenning_on, subject="pseudoniem-nieuwe-collega")
    assert response.status_code == 302 and response["Location"] == "/gemeenten/"
    user = client.get("/gemeenten/").wsgi_request.user
    assert user.username.startswith("eh-gm0034-") and not user.has_usable_password()
    assert list(user.role_assignments.values_list("role__code", "municipality__cbs_code")) == [("gemeente", "GM0034")]
    assert AuditEvent.objects.filter(action="eherkenning.account_aangemaakt", object_id=str(user.pk)).exists()
    # the next login is the same account, not a second one
    again = Client()
    _round_trip(again, eherkenning_on, subject="pseudoniem-nieuwe-collega")
    assert again.get("/gemeenten/").wsgi_request.user == user
    assert django_user_model.objects.filter(username__startswith="eh-gm0034-").count() == 1


@needs_xmlsec1
def test_inactive_account_and_an_account_without_the_gemeente_role_are_refused(eherkenning_on, almere,
                                                                             django_user_model):
    identity = _link_anna(almere, django_user_model)
    identity.user.is_active = False
    identity.user.save()
    client = Client()
    assert "is niet actief" in _refusal(client, _round_trip(client, eherkenning_on))

    identity.user.is_active = True
    identity.user.save()
    identity.user.role_assignments.all().delete()
    client = Client()
    assert "niet (meer) gemeentelijk medewerker van Almere" in _refusal(client, _round_trip(client, eherkenning_on))
    reasons = list(AuditEvent.objects.filter(action="eherkenning.geweigerd").values_list("details__reden", flat=True))
    assert sorted(reasons) == ["geen_rol", "inactief"]


@needs_xmlsec1
def test_cancelled_at_the_broker_is_refused_with_a_message(eherkenning_on):
    from saml2.samlp import STATUS_AUTHN_FAILED

    client = Client()
    response = _round_trip(client, eherkenning_on, status=(STATUS_AUTHN_FAILED, "Afgebroken door de gebruiker"))
    assert "Inloggen met eHerkenning is afgebroken of niet gelukt" in _refusal(client, response)


def test_broker_unreachable_or_not_configured_gives_a_message_not_a_500(settings, tmp_path, almere):
    settings.EHERKENNING_ENABLED = True
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                        "spukportal.eherkenning.PortalEHerkenningBackend"]
    _reload_urls()
    try:
        client = Client()
        response = client.get(reverse("eherkenning:login"))  # no certificate configured yet
        assert response.status_code == 302 and "nu niet beschikbaar" in html.unescape(
            client.get(response["Location"]).content.decode())
        client = Client()
        page = _refusal(client, client.get(reverse("eherkenning:acs"), {"SAMLart": "AAQAAA=="}))
        assert "geen geldig antwoord" in page
    finally:
        settings.EHERKENNING_ENABLED = False
        _reload_urls()


@needs_xmlsec1
def test_metadata_and_service_catalogue_are_served_for_the_broker(eherkenning_on):
    client = Client()
    metadata = client.get(reverse("eherkenning:metadata"))
    assert metadata.status_code == 200 and b"https://spuk.test/eherkenning" in metadata.content
    assert b"http://localhost/eherkenning/terug/" in metadata.content  # the ACS, artifact binding
    catalogue = client.get(reverse("eherkenning:service_catalogue"))
    assert catalogue.status_code == 200 and b"ServiceCatalogue" in catalogue.content


def test_configure_command_reads_the_environment_and_names_what_is_missing(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("EHERKENNING_")}
    result = subprocess.run([sys.executable, "manage.py", "configure_eherkenning"], env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode != 0 and "EHERKENNING_ENTITY_ID" in result.stderr


# --- the demo broker of `make run` -----------------------------------------------------------------------

@pytest.fixture
def mock_on(settings):
    settings.EHERKENNING_MOCK = True
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                        "spukportal.eherkenning.PortalEHerkenningBackend"]
    _reload_urls()
    yield settings
    settings.EHERKENNING_MOCK = False
    _reload_urls()


def test_demo_broker_logs_the_demo_officer_into_almere(mock_on, almere, django_user_model):
    _link_anna(almere, django_user_model)
    client = Client()
    login_page = client.get(reverse("login")).content.decode()
    assert 'href="/eherkenning/demo/' in login_page and "Inloggen met eHerkenning" in login_page
    page = client.get(reverse("eherkenning_mock")).content.decode()
    assert "Dit is geen echte eHerkenning" in page
    response = client.post(reverse("eherkenning_mock"), {"municipality": almere.pk, "subject": ANNA,
                                                          "level": "urn:etoegang:core:assurance-class:loa3"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user.username == "gemeente"


def test_the_demo_answer_is_refused_when_the_demo_broker_is_off(settings, almere, django_user_model):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    _link_anna(almere, django_user_model)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                        "spukportal.eherkenning.PortalEHerkenningBackend"]
    request = RequestFactory().get("/")
    request.session = {}
    assert authenticate(request=request, eherkenning_mock={"kvk": ALMERE_KVK, "subject": ANNA}) is None


def test_mock_is_refused_in_production():
    import os
    import subprocess
    import sys

    import secrets

    # Production that would otherwise start (a real key, a mail server): only the demo broker stops it.
    env = {**os.environ, "SPUK_PRODUCTION": "true", "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
           "EMAIL_HOST": "smtp.example.nl", "EHERKENNING_MOCK": "true"}
    code = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'spukportal.settings'); django.setup()"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "EHERKENNING_MOCK staat aan in productie" in result.stderr


def test_kvk_and_oin_are_checked_and_a_gemeente_is_found_by_the_rsin_in_its_oin(almere):
    from django.core.exceptions import ValidationError

    from spukportal.eherkenning import municipality_for

    almere.oin = "00000001123456789000"
    almere.save()
    assert almere.rsin == "123456789"
    assert municipality_for(rsin="123456789") == almere and municipality_for(kvk=ALMERE_KVK) == almere
    assert municipality_for(kvk=UNKNOWN_KVK) is None and municipality_for() is None
    almere.kvk_number = "1234"
    with pytest.raises(ValidationError) as error:
        almere.full_clean()
    assert "Een KVK-nummer bestaat uit 8 cijfers." in str(error.value)


# --- access: every eHerkenning URL for every role (public by design: the broker and the not-yet-logged-in
# officer reach them) -------------------------------------------------------------------------------------

ROLES = [None, "gemeente", "kerngroep", "ministerie", "beheer"]
# (url name, method, expected status, expected redirect or "")
EHERKENNING_MATRIX = [
    ("eherkenning:login", "get", 200, ""),
    ("eherkenning:login", "post", 405, ""),
    ("eherkenning:acs", "get", 302, "/inloggen/"),  # no artifact: refused with a message, nobody logged out
    ("eherkenning:acs", "post", 405, ""),
    ("eherkenning:metadata", "get", 200, ""),
    ("eherkenning:service_catalogue", "get", 200, ""),
    ("eherkenning_mock", "get", 200, ""),
]


@needs_xmlsec1
@pytest.mark.parametrize("username", ROLES)
def test_every_eherkenning_url_for_every_role(eherkenning_on, settings, username, django_user_model):
    settings.EHERKENNING_MOCK = True
    _reload_urls()
    try:
        for url_name, method, status, location in EHERKENNING_MATRIX:
            client = Client()
            if username:
                client.force_login(django_user_model.objects.get(username=username))
            response = getattr(client, method)(reverse(url_name))
            assert response.status_code == status, (username, url_name, method, response.status_code)
            if location:
                assert response["Location"] == location
            if username:
                assert client.get(reverse("home")).wsgi_request.user.username == username
    finally:
        settings.EHERKENNING_MOCK = False  # before eherkenning_on reloads the URLs without eHerkenning


def test_beheer_sets_kvk_oin_and_account_creation_per_gemeente_and_sees_the_saml_configuration(almere):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="beheer"))
    page = client.get(f"/beheer/regions/municipality/{almere.pk}/change/").content.decode()
    assert "KVK-nummer" in page and "OIN" in page and "Accounts aanmaken via eHerkenning" in page
    response = client.post(f"/beheer/regions/municipality/{almere.pk}/change/", {
        "cbs_code": "GM0034", "name": "Almere", "province": "Flevoland", "kvk_number": "1234567",
        "oin": "", "statistics-TOTAL_FORMS": "0", "statistics-INITIAL_FORMS": "0"})
    assert response.status_code == 200 and "Een KVK-nummer bestaat uit 8 cijfers." in html.unescape(
        response.content.decode())
    almere.refresh_from_db()
    assert almere.kvk_number == ALMERE_KVK  # nothing stored
    assert client.get("/beheer/digid_eherkenning/eherkenningconfiguration/").status_code == 200
    assert client.get("/beheer/spukportal/eherkenningidentity/").status_code == 200


def test_import_gemeenten_takes_kvk_and_oin_when_given_and_keeps_them_when_absent(tmp_path, almere):
    from django.core.management import CommandError, call_command

    with_ids = tmp_path / "gemeenten_ids.csv"
    with_ids.write_text("cbs_code,naam,provincie,kvk_nummer,oin\n"
                        "GM0034,Almere,Flevoland,11112222,00000001111122223000\n"
                        "GM0995,Lelystad,Flevoland,,\n", encoding="utf-8")
    call_command("import_gemeenten", str(with_ids), stdout=io.StringIO())
    almere.refresh_from_db()
    assert (almere.kvk_number, almere.oin, almere.rsin) == ("11112222", "00000001111122223000", "111122223")
    assert Municipality.objects.get(cbs_code="GM0995").kvk_number == ""

    # the shipped reference file has no such columns: importing it again keeps what was set
    call_command("import_gemeenten", "data/reference/gemeenten.csv", stdout=io.StringIO())
    almere.refresh_from_db()
    assert almere.kvk_number == "11112222"

    bad = tmp_path / "fout.csv"
    bad.write_text("cbs_code,naam,provincie,kvk_nummer\nGM0034,Almere,Flevoland,1234\n", encoding="utf-8")
    with pytest.raises(CommandError, match="regel 2.*kvk_nummer '1234' is ongeldig"):
        call_command("import_gemeenten", str(bad))
    twice = tmp_path / "dubbel.csv"
    twice.write_text("cbs_code,naam,provincie,kvk_nummer\nGM0034,Almere,Flevoland,11112222\n"
                     "GM0995,Lelystad,Flevoland,11112222\n", encoding="utf-8")
    with pytest.raises(CommandError, match="KVK-nummer '11112222' staat dubbel"):
        call_command("import_gemeenten", str(twice))
    almere.refresh_from_db()
    assert almere.kvk_number == "11112222"  # nothing partially stored


def test_with_eherkenning_on_and_redis_the_authn_request_ids_are_kept_in_a_shared_cache():
    """The broker's answer may reach another worker than the one that sent the AuthnRequest."""
    import os
    import subprocess
    import sys

    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'spukportal.settings'); "
            "django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])")
    for enabled, expected in (("true", "django.core.cache.backends.redis.RedisCache"),
                              ("false", "django.core.cache.backends.locmem.LocMemCache")):
        env = {**os.environ, "EHERKENNING_ENABLED": enabled, "REDIS_URL": "redis://127.0.0.1:6379/8"}
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
        assert result.stdout.strip() == expected, result.stderr


def test_configure_command_writes_the_library_configuration_from_the_environment(monkeypatch, settings, tmp_path):
    from digid_eherkenning.models import EherkenningConfiguration
    from django.core.management import call_command

    from tests.spukportal.saml_idp import LocalBroker, key_pair

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "privaat")
    broker = LocalBroker(tmp_path)
    metadata = tmp_path / "makelaar.xml"
    metadata.write_bytes(broker.metadata_xml())
    key, cert = key_pair("spukportaal", tmp_path)
    for name, value in {"EHERKENNING_ENTITY_ID": "https://spuk.test/eherkenning", "EHERKENNING_CERT_FILE": cert,
                        "EHERKENNING_KEY_FILE": key, "EHERKENNING_IDP_METADATA_FILE": metadata,
                        "EHERKENNING_IDP_ENTITY_ID": broker.entity_id, "EHERKENNING_SERVICE_NAME": "SPUK-portaal",
                        "EHERKENNING_BASE_URL": "https://spuk.test/"}.items():
        monkeypatch.setenv(name, str(value))
    out = io.StringIO()
    call_command("configure_eherkenning", stdout=out)
    assert "eHerkenning ingesteld: https://spuk.test/eherkenning" in out.getvalue()
    config = EherkenningConfiguration.get_solo()
    assert (config.entity_id, config.base_url, config.idp_service_entity_id) == (
        "https://spuk.test/eherkenning", "https://spuk.test", broker.entity_id)
    assert config.eh_loa == "urn:etoegang:core:assurance-class:loa3" and config.no_eidas
    current, _next = config.select_certificates()
    with current.public_certificate.open("rb") as stored:
        assert stored.read() == cert.read_bytes()
    assert AuditEvent.objects.filter(action="eherkenning.ingesteld").count() == 1
