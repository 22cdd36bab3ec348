"""Logging in through the organisation's identity provider (OpenID Connect, mozilla-django-oidc).

Off by default (settings.OIDC_ENABLED, from the environment): then this module is not imported, its URLs are
not routed and its backend is not installed.

When on:
- The login page shows "Inloggen met <OIDC_PROVIDER_NAME>" (authorization code flow with PKCE, state and nonce).
- The IdP's user is mapped to an EXISTING, active account by its e-mail address, and only when the IdP says
  the address is verified (`email_verified` is true). No account is ever created: the portal gives roles
  itself (beheer). An unknown address, an unverified one, or one that two accounts share is refused with a
  Dutch message on the login page.
- Audit: a successful OIDC login is recorded as `inloggen.oidc`, an unknown address as `oidc.onbekend`, every
  other refusal (unverified address, provider error, invalid token, cancelled at the IdP) as `inloggen.mislukt`
  with the reason. django-axes counts the refusals per address like wrong passwords (the user_login_failed
  signal), so the callback cannot be hammered either.
- Two-factor: our own TOTP step still applies. The IdP's `acr`/`amr` claims are not trusted, because their
  values are not standardised between providers (an IdP that sends `amr: ["pwd"]` today and is reconfigured
  tomorrow would silently take away the second factor of the kerngroep and the ministry). So after the IdP,
  TwoFactorMiddleware asks kerngroep, ministry and beheerders (with SPUK_REQUIRE_2FA) for their app code,
  exactly as after a password; officers who turned 2FA on are asked too.
- The idle timeout holds: login() sends user_logged_in, which starts the idle clock (spukportal/auth.py), and
  the session is ours (no token refresh keeps it alive). Logging out ends the portal session only.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import auth as django_auth
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .client_address import client_address
from . import audit
from .session_user import SessionUserMixin

logger = logging.getLogger("spukportal.oidc")

# Why a login was refused (set on the request by the backend, read by the callback view).
UNKNOWN, UNVERIFIED, AMBIGUOUS, PROVIDER, CANCELLED, EXPIRED, REFUSED = (
    "onbekend", "niet_geverifieerd", "dubbel", "aanbieder", "afgebroken", "verlopen", "geweigerd")
MESSAGES = {
    UNKNOWN: "Er is geen account in het SPUK-portaal met het e-mailadres dat {provider} doorgaf. Accounts worden "
             "niet automatisch aangemaakt: vraag de beheerder van het portaal om een account met dit e-mailadres, "
             "of log in met uw gebruikersnaam en wachtwoord.",
    UNVERIFIED: "{provider} meldt dat uw e-mailadres niet is bevestigd. Bevestig het eerst bij {provider} en probeer "
                "het daarna opnieuw.",
    AMBIGUOUS: "Uw e-mailadres hoort bij meer dan één account in het SPUK-portaal, daarom kunt u niet via "
               "{provider} inloggen. Neem contact op met de beheerder van het portaal.",
    PROVIDER: "Inloggen met {provider} lukte niet: {provider} gaf geen geldig antwoord. Probeer het later opnieuw "
              "of log in met uw gebruikersnaam en wachtwoord.",
    CANCELLED: "Inloggen met {provider} is afgebroken. Probeer het opnieuw of log in met uw gebruikersnaam en "
               "wachtwoord.",
    EXPIRED: "Het inloggen met {provider} duurde te lang of werd in een ander venster gestart. Probeer het opnieuw.",
    REFUSED: "Inloggen met {provider} lukte niet. Probeer het later opnieuw.",
}
CLAIM_MAX_LENGTH = 254  # an e-mail address is never longer


def _address(request):
    return client_address(request)


def _fail(request, reason, email=""):
    request.spuk_oidc_failure = (reason, str(email or "")[:CLAIM_MAX_LENGTH])


class PortalOIDCBackend(SessionUserMixin, OIDCAuthenticationBackend):
    """Maps the IdP's verified e-mail address to one existing active account; never creates one."""

    def verify_claims(self, claims):
        email = claims.get("email")
        return isinstance(email, str) and 0 < len(email) <= CLAIM_MAX_LENGTH and claims.get("email_verified") is True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"], is_active=True)

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = claims.get("email") if isinstance(claims, dict) else ""
        if not isinstance(claims, dict) or not self.verify_claims(claims):
            _fail(self.request, UNVERIFIED, email if isinstance(email, str) else "")
            return None
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) != 1:
            _fail(self.request, UNKNOWN if not users else AMBIGUOUS, email)
            return None
        return users[0]

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET or "state" not in request.GET:
            return None  # a password login: not ours
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, ValueError, KeyError, TypeError, jwt.PyJWTError,
                SuspiciousOperation) as exc:
            # The provider did not answer, answered an error or something that is not valid JSON, or the ID
            # token's signature, algorithm or nonce is wrong. The reason goes to the log (without secrets).
            logger.warning("OIDC-login geweigerd: %s", type(exc).__name__)
            _fail(request, PROVIDER)
            return None


def provider_name():
    return settings.OIDC_PROVIDER_NAME


class CallbackView(OIDCAuthenticationCallbackView):
    """The IdP sends the browser back here: log in, or back to the login page with the reason, audited."""

    def get(self, request):
        request.spuk_oidc_login = True  # spukportal.auth leaves the audit of refusals to this view
        if request.GET.get("error"):
            _fail(request, CANCELLED)
        elif "oidc_states" not in request.session or request.GET.get("state") not in request.session["oidc_states"]:
            _fail(request, EXPIRED)
            return self.login_failure()
        return super().get(request)

    def login_success(self):
        response = super().login_success()  # django login(): new session key, user_logged_in (idle clock, 2FA)
        with transaction.atomic():
            audit.record(actor=self.user, action="inloggen.oidc", obj=self.user,
                         message=f"Ingelogd via {provider_name()}", details={"adres": _address(self.request)})
        return response

    def login_failure(self):
        request = self.request
        reason, email = getattr(request, "spuk_oidc_failure", (REFUSED, ""))
        with transaction.atomic():
            if reason == UNKNOWN:
                audit.record(actor=None, action="oidc.onbekend", object_type="auth.user", object_id=email,
                             message=f"Inloggen via {provider_name()} geweigerd: e-mailadres ‘{email}’ niet bekend",
                             details={"adres": _address(request)})
            else:
                audit.record(actor=None, action="inloggen.mislukt", object_type="auth.user", object_id=email,
                             message=f"Inloggen via {provider_name()} mislukt ({reason})",
                             details={"adres": _address(request), "via": "oidc", "reden": reason})
        if request.user.is_authenticated:
            django_auth.logout(request)
        messages.error(request, MESSAGES[reason].format(provider=provider_name()))
        return HttpResponseRedirect(reverse("login"))

    @property
    def success_url(self):
        return self.request.session.get("oidc_login_next") or reverse(settings.LOGIN_REDIRECT_URL)


urlpatterns = [
    path("inloggen/oidc/", login_not_required(OIDCAuthenticationRequestView.as_view()),
         name="oidc_authentication_init"),
    path("inloggen/oidc/terug/", login_not_required(CallbackView.as_view()), name="oidc_authentication_callback"),
]
