"""Logging in with eHerkenning for gemeente officers (SAML2 through django-digid-eherkenning).

Off by default (settings.EHERKENNING_ENABLED): then this module is not imported, its URLs are not routed and its
backend is not installed. When on:

- The login page shows "Inloggen met eHerkenning". The library's login view sends a signed AuthnRequest to the
  broker (HTTP-POST); the broker sends the browser back to our ACS with an artifact, which the library resolves
  over the back channel (SOAP, signed, with the client certificate) and checks (signature, InResponseTo, issuer,
  audience, times). Metadata, certificate and service catalogue: the library's configuration in the beheer,
  filled from the environment by `manage.py configure_eherkenning`.
- The organisation the officer acts for (KVK-nummer, or the RSIN inside the gemeente's OIN) must be a gemeente's
  record; the person (the broker's pseudonym for them, the ActingSubjectID) must be linked to an active account
  that holds the officer role for that gemeente. Not linked yet: where the beheer allows it for that gemeente a
  new account with the officer role is made (audited); otherwise the officer logs in once with their password and
  the link is made then (audited). Every refusal is a Dutch message on the login page and an audit row.
- Two-factor: an eHerkenning login at settings.EHERKENNING_LOA_COVERS_2FA (EH3, eIDAS "substantial") or higher
  already had two factors, so the portal's app code is not asked after it; below that our own 2FA step applies as
  after a password. The idle timeout always applies (login() starts the idle clock, spukportal/auth.py).
- settings.EHERKENNING_MOCK (only `make run`): the button leads to a demo broker page in the portal itself, which
  hands a chosen organisation and pseudonym to the same account logic. The library's own mock flow covers DigiD
  only, hence this page. Never on in production (settings refuse it).
"""

import logging
import sys
import time

from digid_eherkenning.backends import eHerkenningBackend
from digid_eherkenning.choices import ConfigTypes
from digid_eherkenning.exceptions import CertificateProblem, SAML2Error
from digid_eherkenning.models import ConfigCertificate, EherkenningConfiguration
from digid_eherkenning.saml2.eherkenning import (
    generate_dienst_catalogus_metadata,
    generate_eherkenning_metadata,
)
from digid_eherkenning.views import eHerkenningLoginView
from digid_eherkenning.views.base import get_redirect_url
from digid_eherkenning.views.metadata import MetadataView
from django import forms
from django.conf import settings
from django.contrib import auth as django_auth
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import include, path, reverse
from django.views import View
from furl import furl
from onelogin.saml2.errors import OneLogin_Saml2_Error, OneLogin_Saml2_ValidationError
from simple_certmanager.constants import CertificateTypes
from simple_certmanager.models import Certificate

from regions.models import Municipality

from . import audit, permissions, two_factor
from .models import EHerkenningIdentity, Role
from .services import role_assign
from .session_user import SessionUserMixin

logger = logging.getLogger("spukportal.eherkenning")

NAME = "eHerkenning"
KVK_QUALIFIER = "urn:etoegang:1.9:EntityConcernedID:KvKnr"
RSIN_QUALIFIER = "urn:etoegang:1.9:EntityConcernedID:RSIN"
# Assurance levels in order (eHerkenning "betrouwbaarheidsniveau"; EH3 = eIDAS substantial, EH4 = high).
LEVELS = {
    "urn:etoegang:core:assurance-class:loa2": ("EH2", 2),
    "urn:etoegang:core:assurance-class:loa2plus": ("EH2+", 2.5),
    "urn:etoegang:core:assurance-class:loa3": ("EH3", 3),
    "urn:etoegang:core:assurance-class:loa4": ("EH4", 4),
}
PENDING_SESSION_KEY = "_spuk_eherkenning_pending"
PENDING_SECONDS = 15 * 60
IDENTIFIER_MAX_LENGTH = 255

# Why a login was refused (set on the request by the backend, read by the ACS view).
UNKNOWN_ORGANISATION, NOT_LINKED, INACTIVE, NO_ROLE, NO_IDENTITY, CANCELLED, PROVIDER = (
    "onbekende_organisatie", "niet_gekoppeld", "inactief", "geen_rol", "geen_identiteit", "afgebroken", "aanbieder")
MESSAGES = {
    UNKNOWN_ORGANISATION: "U logde met eHerkenning in namens een organisatie (KVK-nummer {kvk}) die geen gemeente in "
                          "het SPUK-portaal is. Kies in eHerkenning de machtiging van uw gemeente, of vraag de "
                          "beheerder van het portaal het KVK-nummer of OIN van uw gemeente vast te leggen.",
    NOT_LINKED: "Uw eHerkenning is nog niet gekoppeld aan een account in het SPUK-portaal, en {gemeente} laat "
                "geen accounts aanmaken via eHerkenning. Heeft u al een account? Log dan hieronder één keer in met "
                "uw gebruikersnaam en wachtwoord: daarna is uw eHerkenning gekoppeld. Anders vraagt u de "
                "beheerder van het portaal om een account.",
    INACTIVE: "Het account dat aan uw eHerkenning is gekoppeld, is niet actief. Neem contact op met de beheerder "
              "van het portaal.",
    NO_ROLE: "Uw account is niet (meer) gemeentelijk medewerker van {gemeente}, de organisatie waarvoor u met "
             "eHerkenning inlogde. Neem contact op met de beheerder van het portaal.",
    NO_IDENTITY: "eHerkenning gaf niet door wie u bent of namens welke organisatie u inlogt. Probeer het opnieuw; "
                 "lukt het niet, neem dan contact op met uw eHerkenningsmakelaar.",
    CANCELLED: "Inloggen met eHerkenning is afgebroken of niet gelukt. Probeer het opnieuw of log in met uw "
               "gebruikersnaam en wachtwoord.",
    PROVIDER: "Inloggen met eHerkenning lukte niet: de eHerkenningsdienst gaf geen geldig antwoord. Probeer het "
              "later opnieuw of log in met uw gebruikersnaam en wachtwoord.",
}


def _address(request):
    return request.META.get("REMOTE_ADDR", "")


def _fail(request, reason, **context):
    request.spuk_eherkenning_failure = (reason, context)
    return None


def level_label(loa: str) -> str:
    return LEVELS.get(loa, (loa or "onbekend", 0))[0]


def level_covers_two_factor(loa: str) -> bool:
    threshold = LEVELS.get(settings.EHERKENNING_LOA_COVERS_2FA, ("", 3))[1]
    return LEVELS.get(loa, ("", 0))[1] >= threshold


def municipality_for(*, kvk: str = "", rsin: str = ""):
    """The gemeente an eHerkenning login acts for: by KVK-nummer, else by the RSIN inside its OIN."""
    query = Q()
    if kvk:
        query |= Q(kvk_number=kvk)
    if rsin:
        query |= Q(oin=f"00000001{rsin}000")
    return Municipality.objects.filter(query).first() if query else None


# --- services --------------------------------------------------------------------------------------

def identity_link(*, user, municipality, acting_subject_id, how: str) -> EHerkenningIdentity:
    """Link an eHerkenning pseudonym (acting for `municipality`) to `user`, audited."""
    with transaction.atomic():
        identity = EHerkenningIdentity.objects.create(user=user, municipality=municipality,
                                                      acting_subject_id=acting_subject_id)
        audit.record(actor=user, action="eherkenning.gekoppeld", obj=user,
                     message=f"eHerkenning gekoppeld voor {municipality} ({how})",
                     details={"gemeente": municipality.cbs_code, "manier": how})
    return identity


def officer_account_create(*, municipality, acting_subject_id, request):
    """A new account with the officer role for `municipality`, linked to the pseudonym (the gemeente allows it)."""
    User = get_user_model()
    with transaction.atomic():
        number = EHerkenningIdentity.objects.filter(municipality=municipality).count() + 1
        base = f"eh-{municipality.cbs_code.lower()}-"
        while User.objects.filter(username=f"{base}{number}").exists():
            number += 1
        user = User.objects.create_user(username=f"{base}{number}", password=None)  # no password: eHerkenning only
        role_assign(actor=None, user=user, role_code=Role.OFFICER, municipality=municipality)
        EHerkenningIdentity.objects.create(user=user, municipality=municipality, acting_subject_id=acting_subject_id)
        audit.record(actor=None, action="eherkenning.account_aangemaakt", obj=user,
                     message=f"Account {user.username} aangemaakt bij de eerste eHerkenning-login voor {municipality}",
                     details={"gemeente": municipality.cbs_code, "adres": _address(request)})
    return user


def user_for_login(request, *, kvk: str, rsin: str, acting_subject_id: str):
    """The account for an eHerkenning login that the broker vouched for, or None with the reason on the request."""
    kvk, rsin = str(kvk or "")[:20], str(rsin or "")[:20]
    acting_subject_id = str(acting_subject_id or "")[:IDENTIFIER_MAX_LENGTH]
    if not acting_subject_id or not (kvk or rsin):
        return _fail(request, NO_IDENTITY)
    municipality = municipality_for(kvk=kvk, rsin=rsin)
    if municipality is None:
        return _fail(request, UNKNOWN_ORGANISATION, kvk=kvk or f"onbekend, RSIN {rsin}")
    request.spuk_eherkenning_municipality = municipality
    identity = (EHerkenningIdentity.objects.select_related("user")
                .filter(municipality=municipality, acting_subject_id=acting_subject_id).first())
    if identity is None:
        if not municipality.eherkenning_creates_accounts:
            request.session[PENDING_SESSION_KEY] = {"municipality": municipality.pk, "subject": acting_subject_id,
                                                    "at": int(time.time())}
            return _fail(request, NOT_LINKED, gemeente=municipality)
        try:
            return officer_account_create(municipality=municipality, acting_subject_id=acting_subject_id,
                                          request=request)
        except IntegrityError:  # the same person's second tab won the race: use the account it made
            identity = EHerkenningIdentity.objects.select_related("user").get(
                municipality=municipality, acting_subject_id=acting_subject_id)
    user = identity.user
    if not user.is_active:
        return _fail(request, INACTIVE, gemeente=municipality, user=user)
    if municipality.pk not in permissions.officer_municipality_ids(user):
        return _fail(request, NO_ROLE, gemeente=municipality, user=user)
    return user


def _second_factor_outstanding(request, user) -> bool:
    """Must this user still give (or set up) a second factor in this session?"""
    verified = getattr(request.user, "is_verified", None)  # django-otp; absent on the user login() just set
    if two_factor.app_device(user) is not None:
        return not (verified is not None and verified())
    return two_factor.is_required(user)


@receiver(user_logged_in, dispatch_uid="spukportal.eherkenning.link_after_password")
@receiver(two_factor.second_factor_given, dispatch_uid="spukportal.eherkenning.link_after_second_factor")
def link_after_password(sender, request=None, user=None, **kwargs):
    """An eHerkenning login that found no linked account left its pseudonym in the session; the officer then logs
    in with their password (and, if their account has one, their app code): link the two, when the account is an
    officer of that gemeente. Not before the code: an EH3 login skips the code, so a password alone must never be
    enough to link one."""
    pending = getattr(request, "session", {}).get(PENDING_SESSION_KEY) if request is not None else None
    if not pending or getattr(request, "spuk_eherkenning_login", False):
        return
    if _second_factor_outstanding(request, user):
        return  # wait for the second factor (second_factor_given)
    del request.session[PENDING_SESSION_KEY]
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return
    municipality = Municipality.objects.filter(pk=pending.get("municipality")).first()
    if municipality is None or municipality.pk not in permissions.officer_municipality_ids(user):
        return
    if EHerkenningIdentity.objects.filter(municipality=municipality, acting_subject_id=pending["subject"]).exists():
        return
    identity_link(user=user, municipality=municipality, acting_subject_id=pending["subject"], how="na inloggen met "
                  "wachtwoord")
    messages.success(request, f"Uw eHerkenning is gekoppeld aan dit account. Voortaan kunt u voor {municipality} "
                              "inloggen met eHerkenning.")


# --- configuration (from the environment; the beheer edits the same rows) --------------------------------

def configuration_save(*, actor, entity_id: str, base_url: str, certificate_pem: bytes, private_key_pem: bytes,
                       idp_metadata_xml: bytes, idp_entity_id: str, service_name: str, service_description: str,
                       oin: str = "", makelaar_id: str = "", loa: str = "urn:etoegang:core:assurance-class:loa3",
                       privacy_policy: str = "", service_uuid: str = "", service_instance_uuid: str = "",
                       artifact_resolve_content_type: str = "text/xml") -> EherkenningConfiguration:
    """Write the library's eHerkenning configuration and its key pair in one transaction, audited."""
    with transaction.atomic():
        certificate = Certificate.objects.filter(label=CERTIFICATE_LABEL).first() or Certificate(
            label=CERTIFICATE_LABEL, type=CertificateTypes.key_pair)
        certificate.public_certificate.save("eherkenning.crt", ContentFile(certificate_pem), save=False)
        certificate.private_key.save("eherkenning.key", ContentFile(private_key_pem), save=False)
        certificate.save()
        ConfigCertificate.objects.get_or_create(config_type=ConfigTypes.eherkenning, certificate=certificate)
        config = EherkenningConfiguration.get_solo()
        config.entity_id, config.base_url = entity_id, base_url.rstrip("/")
        config.idp_service_entity_id = idp_entity_id
        config.idp_metadata_file.save("eherkenning-idp-metadata.xml", ContentFile(idp_metadata_xml), save=False)
        config.service_name, config.service_description = service_name[:100], service_description[:100]
        config.oin, config.makelaar_id, config.eh_loa, config.privacy_policy = oin, makelaar_id, loa, privacy_policy
        config.no_eidas = True  # gemeenten log in with eHerkenning only
        config.want_assertions_signed = True
        config.artifact_resolve_content_type = artifact_resolve_content_type
        if service_uuid:
            config.eh_service_uuid = service_uuid
        if service_instance_uuid:
            config.eh_service_instance_uuid = service_instance_uuid
        config.save()
        audit.record(actor=actor, action="eherkenning.ingesteld", obj=config,
                     message=f"eHerkenning ingesteld (entity ID {entity_id}, makelaar {idp_entity_id})")
    return config


CERTIFICATE_LABEL = "eHerkenning (SPUK-portaal)"


# --- the SAML backend ------------------------------------------------------------------------------

class PortalEHerkenningBackend(SessionUserMixin, eHerkenningBackend):
    """The library's eHerkenning backend (artifact resolution and checks), with our account rules instead of its
    RSIN user model. `eherkenning_mock` (a dict) is the demo broker's answer, accepted only with EHERKENNING_MOCK."""

    def authenticate(self, request, eherkenning=None, saml_art=None, eherkenning_mock=None, **kwargs):
        if eherkenning_mock is not None:
            if not settings.EHERKENNING_MOCK or request is None:
                return None
            request.spuk_eherkenning_loa = eherkenning_mock.get("loa", "")
            return user_for_login(request, kvk=eherkenning_mock.get("kvk", ""), rsin="",
                                  acting_subject_id=eherkenning_mock.get("subject", ""))
        if request is None or not eherkenning or not saml_art:
            return None
        try:
            return super().authenticate(request, eherkenning=eherkenning, saml_art=saml_art)
        except Exception as exc:  # noqa: BLE001 - whatever a forged artifact or a broken broker causes: no 500
            # The broker did not answer or answered something invalid, the artifact is malformed (the library then
            # fails with TypeError/ValueError deep inside), or the configuration is incomplete.
            logger.warning("eHerkenning-login geweigerd: %s (%s)", type(exc).__name__, exc)
            return _fail(request, PROVIDER)

    def handle_validation_error(self, request):
        super().handle_validation_error(request)  # logs it
        error = sys.exc_info()[1]
        cancelled = getattr(error, "code", None) == OneLogin_Saml2_ValidationError.STATUS_CODE_AUTHNFAILED
        _fail(request, CANCELLED if cancelled else PROVIDER)

    def get_or_create_user(self, request, saml_response, saml_attributes):
        kvk = self.get_legal_subject_kvk(saml_attributes) or self.get_kvk_number(saml_attributes)
        rsin = self.get_legal_subject_rsin(saml_attributes)
        try:
            subject = saml_response.get_nameid()
        except OneLogin_Saml2_ValidationError:
            subject = ""
        subject = subject or " ".join(saml_attributes.get("urn:etoegang:core:ActingSubjectID", []))
        contexts = saml_response.get_authn_contexts() or [""]
        request.spuk_eherkenning_loa = contexts[0]
        return user_for_login(request, kvk=kvk, rsin=rsin, acting_subject_id=subject), False


# --- views -----------------------------------------------------------------------------------------

def _next_url(request, candidate):
    return get_redirect_url(request, candidate or "", require_https=request.is_secure()) or reverse(
        settings.LOGIN_REDIRECT_URL)


def _refuse(request):
    reason, context = getattr(request, "spuk_eherkenning_failure", (PROVIDER, {}))
    municipality = context.get("gemeente")
    with transaction.atomic():
        audit.record(actor=None, action="eherkenning.geweigerd",
                     obj=context.get("user"), object_type="" if context.get("user") else "auth.user",
                     message=f"Inloggen met eHerkenning geweigerd ({reason})"
                             + (f" voor {municipality}" if municipality else ""),
                     details={"adres": _address(request), "reden": reason, "kvk": context.get("kvk", ""),
                              "gemeente": municipality.cbs_code if municipality else ""})
    # A logged-in user stays logged in: a link to the ACS must not be a way to log someone out.
    messages.error(request, MESSAGES[reason].format(**{"kvk": "", "gemeente": "uw gemeente", **context}))
    return HttpResponseRedirect(reverse("login"))


def _log_in(request, user, next_url):
    loa = getattr(request, "spuk_eherkenning_loa", "")
    django_auth.login(request, user, backend="spukportal.eherkenning.PortalEHerkenningBackend")
    if level_covers_two_factor(loa):
        request.session[two_factor.COVERED_SESSION_KEY] = f"{NAME} {level_label(loa)}"
    municipality = request.spuk_eherkenning_municipality
    with transaction.atomic():
        audit.record(actor=user, action="inloggen.eherkenning", obj=user,
                     message=f"Ingelogd met eHerkenning ({level_label(loa)}) voor {municipality}",
                     details={"adres": _address(request), "niveau": level_label(loa),
                              "gemeente": municipality.cbs_code})
    return HttpResponseRedirect(next_url)


class LoginStartView(eHerkenningLoginView):
    """The library's login view (a signed AuthnRequest posted to the broker by a self-submitting form), allowed by
    the Content-Security-Policy to post to the broker, and with a Dutch message when the configuration is not
    complete."""

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
            response.render()
        except (CertificateProblem, SAML2Error, OneLogin_Saml2_Error, KeyError, ValueError) as exc:
            logger.warning("eHerkenning-login kon niet starten: %s (%s)", type(exc).__name__, exc)
            messages.error(request, "Inloggen met eHerkenning is nu niet beschikbaar. Log in met uw gebruikersnaam "
                                    "en wachtwoord, of probeer het later opnieuw.")
            return HttpResponseRedirect(reverse("login"))
        broker = furl(response.context_data["url"])
        response._csp_update = {"form-action": [f"{broker.scheme}://{broker.netloc}"]}
        return response


class AssertionConsumerServiceView(View):
    """The broker sends the browser back here with an artifact (SAMLart) and our RelayState."""

    def get(self, request):
        request.spuk_eherkenning_login = True  # spukportal.auth leaves the audit of refusals to this view
        user = django_auth.authenticate(request=request, eherkenning=True, saml_art=request.GET.get("SAMLart"))
        if user is None:
            return _refuse(request)
        return _log_in(request, user, _next_url(request, request.GET.get("RelayState")))


class MockBrokerForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label="Organisatie waarvoor u inlogt", queryset=Municipality.objects.exclude(kvk_number="").order_by("name"),
        empty_label=None, help_text="Alleen gemeenten waarvan het KVK-nummer in het portaal staat.")
    subject = forms.CharField(
        label="Pseudoniem van de medewerker", max_length=IDENTIFIER_MAX_LENGTH, initial="demo-anna-de-vries",
        help_text="Wat een echte eHerkenningsmakelaar als ActingSubjectID doorgeeft. ‘demo-anna-de-vries’ is "
                  "gekoppeld aan de demomedewerker van Almere.")
    level = forms.ChoiceField(label="Betrouwbaarheidsniveau", initial="urn:etoegang:core:assurance-class:loa3",
                              choices=[(urn, label) for urn, (label, _rank) in LEVELS.items()])


class MockBrokerView(View):
    """Demo broker (EHERKENNING_MOCK, `make run` only): choose who logs in, then the same account rules apply."""

    template_name = "registration/eherkenning_mock.html"

    def get(self, request):
        return render(request, self.template_name, {"form": MockBrokerForm(), "next": request.GET.get("next", "")})

    def post(self, request):
        form = MockBrokerForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "next": request.POST.get("next", "")})
        request.spuk_eherkenning_login = True
        answer = {"kvk": form.cleaned_data["municipality"].kvk_number, "subject": form.cleaned_data["subject"],
                  "loa": form.cleaned_data["level"]}
        user = django_auth.authenticate(request=request, eherkenning_mock=answer)
        if user is None:
            return _refuse(request)
        return _log_in(request, user, _next_url(request, request.POST.get("next")))


def login_url_name() -> str:
    return "eherkenning_mock" if settings.EHERKENNING_MOCK else "eherkenning:login"


# The library's client builds the ACS address from the URL name "eherkenning:acs", so our views keep its names.
# The SAML metadata and the service catalogue are public: the broker reads them.
saml_patterns = ([
    path("inloggen/", login_not_required(LoginStartView.as_view()), name="login"),
    path("terug/", login_not_required(AssertionConsumerServiceView.as_view()), name="acs"),
    path("metadata/", login_not_required(MetadataView.as_view(
        config_model=EherkenningConfiguration, metadata_generator=generate_eherkenning_metadata,
        filename="eherkenning-metadata.xml")), name="metadata"),
    path("dienstcatalogus/", login_not_required(MetadataView.as_view(
        config_model=EherkenningConfiguration, metadata_generator=generate_dienst_catalogus_metadata,
        filename="dienstcatalogus.xml")), name="service_catalogue"),
], "eherkenning")



def url_patterns():
    """The routes, read when the URLconf is (re)loaded: the demo broker only with EHERKENNING_MOCK."""
    patterns = [path("eherkenning/", include(saml_patterns))]
    if settings.EHERKENNING_MOCK:
        patterns.append(path("eherkenning/demo/", login_not_required(MockBrokerView.as_view()),
                             name="eherkenning_mock"))
    return patterns
