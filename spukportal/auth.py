"""Logging in and passwords: failed logins and lockouts audited, password change and reset (by e-mail) with
an audit event. Throttling itself is django-axes (settings: AXES_*)."""

import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse_lazy

from .client_address import client_address
from . import audit


def _address(request):
    return client_address(request)


def _username(credentials) -> str:
    return str((credentials or {}).get("username") or "")[:150]


@receiver(user_logged_in)
def start_idle_clock(sender, request=None, user=None, **kwargs):
    """The session was just made for the login: its idle and absolute clocks start now (spukportal.middleware)."""
    if request is not None and hasattr(request, "session"):
        request.session["_started_at"] = request.session["_last_request"] = time.time()


@receiver(user_login_failed)
def audit_failed_login(sender, credentials=None, request=None, **kwargs):
    if getattr(request, "spuk_oidc_login", False) or getattr(request, "spuk_eherkenning_login", False):
        return  # an OIDC or eHerkenning login: its own view audits it, with the reason
    username = _username(credentials)
    with transaction.atomic():
        audit.record(actor=None, action="inloggen.mislukt", object_type="auth.user", object_id=username,
                     message=f"Inloggen mislukt voor ‘{username}’", details={"adres": _address(request)})


@receiver(user_locked_out)
def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    with transaction.atomic():
        audit.record(actor=None, action="inloggen.geblokkeerd", object_type="auth.user",
                     object_id=str(username or "")[:150],
                     message=f"Inloggen geblokkeerd voor ‘{username}’ (adres {ip_address})",
                     details={"adres": ip_address or ""})


class LoginView(auth_views.LoginView):
    """The login page; with OIDC on (settings.OIDC_ENABLED) it also offers "Inloggen met <provider>"."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME if settings.OIDC_ENABLED else ""
        if settings.EHERKENNING_ENABLED or settings.EHERKENNING_MOCK:
            # Imported here: eHerkenning (and its library) is loaded only when it is switched on.
            from .eherkenning import login_url_name

            context["eherkenning_url_name"] = login_url_name()
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(actor=self.request.user, action="wachtwoord.gewijzigd", obj=self.request.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        with transaction.atomic():
            for user in get_user_model().objects.filter(email__iexact=email, is_active=True):
                audit.record(actor=None, action="wachtwoord.herstel_aangevraagd", obj=user,
                             details={"adres": _address(self.request)})
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(actor=form.user, action="wachtwoord.hersteld", obj=form.user,
                         details={"adres": _address(self.request)})
        return response
