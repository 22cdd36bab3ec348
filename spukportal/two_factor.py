"""Two-factor authentication: a code from an authenticator app (django-otp TOTP) after the password,
with ten single-use recovery codes (django-otp static device).

- Who must: with settings.SPUK_REQUIRE_2FA on, the kerngroep, the ministry, beheerders and superusers.
  Municipal officers may turn it on themselves (account page). Whoever has a confirmed app is asked for a code
  after the password, whatever the switch says.
- TwoFactorMiddleware: a logged-in user who must give a code but has not yet done so in this session reaches
  only the 2FA pages, logout and the public pages (health, static files); everything else, /beheer/ included,
  sends them to the code page, or to enrollment when they have no app yet.
- Wrong codes are throttled by django-otp (exponential delay per device) and audited.

Whether a user has an app is kept in the session (set at login, changed by these views), so that users
without 2FA cost no extra query per request.
"""

from base64 import b32encode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import Signal, receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.middleware import OTPMiddleware as _OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
import segno

from . import audit, permissions
from .client_address import client_address
from .prepared import PreparedQuery

HAS_DEVICE_SESSION_KEY = "_spuk_2fa_device"
RECOVERY_CODES_SESSION_KEY = "_spuk_2fa_recovery_codes"
# Set by a login whose own assurance already had two factors (eHerkenning EH3 or higher, spukportal/eherkenning.py):
# then no app code is asked in this session. Its value says which login covered it.
COVERED_SESSION_KEY = "_spuk_2fa_covered_by"
RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator-app"
RECOVERY_NAME = "Herstelcodes"

# Sent when a user has given their second factor in this session (code, recovery code, or a newly set-up app):
# only then is a password login complete for what waits on it (spukportal/eherkenning.py links an eHerkenning).
second_factor_given = Signal()

# URL names a user who still has to give a code may open (besides the public ones).
TWO_FACTOR_URL_NAMES = {"two_factor_verify", "two_factor_setup", "two_factor_recovery_codes", "logout"}
PUBLIC_URL_NAMES = {"health", "privacy", "accessibility", "contact"}


# --- policy ----------------------------------------------------------------------------------------

def is_required(user) -> bool:
    """Must this user use a second factor? Only when SPUK_REQUIRE_2FA is on, for the staff roles."""
    if not settings.SPUK_REQUIRE_2FA or not user.is_authenticated:
        return False
    return (user.is_superuser or permissions.is_reviewer(user) or permissions.is_ministry(user)
            or permissions.is_administrator(user))


def app_device(user, confirmed=True):
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).order_by("id").first()


def has_app(request) -> bool:
    """Does the logged-in user have a confirmed app? Cached in the session."""
    if HAS_DEVICE_SESSION_KEY not in request.session:
        request.session[HAS_DEVICE_SESSION_KEY] = app_device(request.user) is not None
    return request.session[HAS_DEVICE_SESSION_KEY]


def pending(request) -> str:
    """What the logged-in user still has to do before using the portal: "code", "setup" or "" (nothing)."""
    user = request.user
    if not user.is_authenticated or request.session.get(COVERED_SESSION_KEY):
        return ""
    if has_app(request):
        return "" if user.is_verified() else "code"
    return "setup" if is_required(user) else ""


@receiver(user_logged_in, dispatch_uid="spukportal.two_factor.remember_device")
def remember_device(sender, request=None, user=None, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE_SESSION_KEY] = app_device(user) is not None


class TwoFactorMiddleware:
    """After LoginRequiredMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(settings.STATIC_URL) or not request.user.is_authenticated:
            return None
        todo = pending(request)
        request.two_factor_pending = bool(todo)
        if not todo:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in TWO_FACTOR_URL_NAMES | PUBLIC_URL_NAMES and not match.namespace:
            return None
        target = reverse("two_factor_verify" if todo == "code" else "two_factor_setup")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


def _device_query(model):
    return PreparedQuery(lambda pk: model.objects.filter(pk=pk))


# The device a code was given with in this session, by its persistent id's label ("otp_totp.totpdevice/7").
_DEVICES = {model._meta.label_lower: _device_query(model) for model in (TOTPDevice, StaticDevice)}


class OTPMiddleware(_OTPMiddleware):
    """django-otp's middleware (request.user.otp_device and is_verified()), with the session's device read through
    a prepared query (spukportal/prepared.py): every request of a user who gave a code (all staff) reads it, and
    django-otp has the ORM write that SQL anew each time. What django-otp does with the device is unchanged: one of
    another user or unconfirmed is no device (`_finalize_device`). Other kinds of device go to django-otp.

    request.user is the user itself, read at once, not behind two lazy wrappers (Django's and django-otp's): every
    request of the portal reads the user anyway (IdleSessionMiddleware, the menu, the permission checks), and a
    page reads request.user a few hundred times, each read passing through both wrappers."""

    def _install_lazy_accessors(self, request):
        super()._install_lazy_accessors(request)
        if hasattr(request, "user"):
            request.user = _unwrapped(request.user)

    def _device_from_persistent_id(self, persistent_id: str):
        label, _, pk = self._normalize_persistent_id(persistent_id).rpartition("/")
        query = _DEVICES.get(label)
        if query is None or not (pk.isascii() and pk.isdigit()):
            return super()._device_from_persistent_id(persistent_id)
        rows = query.run(int(pk))
        return rows[0] if rows else None


def _unwrapped(value):
    """The object behind (nested) lazy objects, set up now."""
    while isinstance(value, LazyObject):
        if value._wrapped is empty:
            value._setup()
        value = value._wrapped
    return value


# --- helpers ---------------------------------------------------------------------------------------

def _next_url(request, default="home"):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return reverse(default)


def _address(request):
    return client_address(request)


def _new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes by ten new ones (must run in a transaction)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _wait_message() -> str:
    return ("U heeft te vaak na elkaar een onjuiste code ingevuld. Wacht even (enkele seconden tot minuten) en "
            "probeer het dan opnieuw.")


class CodeForm(forms.Form):
    code = forms.CharField(label="Code", max_length=20, strip=True,
                           help_text="De 6 cijfers uit uw authenticator-app, of een van uw herstelcodes.",
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                                         "spellcheck": "false", "autocapitalize": "off"}))


class SetupCodeForm(forms.Form):
    code = forms.CharField(label="Code uit de app", max_length=10, strip=True,
                           help_text="De 6 cijfers die de app nu toont.",
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "spellcheck": "false"}))


# --- views -----------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def verify(request):
    """"Inlogcode": the second step of logging in, for a user with an app."""
    user = request.user
    if not has_app(request):
        return redirect(_next_url(request))
    if user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = _normalised(form.cleaned_data["code"])
        recovery = not (code.isdigit() and len(code) == 6)
        device = (StaticDevice.objects.filter(user=user).first() if recovery else app_device(user))
        allowed = device is not None and device.verify_is_allowed()[0]
        verified = verify_token(user, device.persistent_id, code) if allowed else None
        if verified is not None:
            request.session.cycle_key()
            otp_login(request, verified)
            second_factor_given.send(sender=verify, request=request, user=user)
            with transaction.atomic():
                if recovery:
                    left = StaticToken.objects.filter(device=verified).count()
                    audit.record(actor=user, action="tweestap.herstelcode_gebruikt", obj=user,
                                 details={"adres": _address(request), "over": left})
                    messages.warning(request, f"U bent ingelogd met een herstelcode. U heeft er nog {left}. "
                                              "Maak nieuwe herstelcodes op de pagina Tweestapsverificatie.")
            return redirect(_next_url(request))
        with transaction.atomic():
            audit.record(actor=user, action="tweestap.mislukt", obj=user,
                         details={"adres": _address(request), "soort": "herstelcode" if recovery else "app",
                                  "geweigerd_wegens_wachttijd": not allowed and device is not None})
        if device is not None and not allowed:
            form.add_error("code", _wait_message())
        else:
            form.add_error("code", "Deze code klopt niet. Controleer de code in uw app (een code is 30 seconden "
                                   "geldig) of gebruik een herstelcode.")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def _qr_svg(device) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, omitsize=True,
                                                               title="QR-code voor uw authenticator-app")


def _secret_text(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrollment: scan the QR code (or type the secret), confirm with a first code, get recovery codes."""
    user = request.user
    if has_app(request):
        # Never a second app without the first code: that would bypass the second factor.
        return redirect("two_factor_account" if user.is_verified() else "two_factor_verify")
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed = device.verify_is_allowed()[0]
        if allowed and verify_token(user, device.persistent_id, _normalised(form.cleaned_data["code"])):
            with transaction.atomic():
                device.refresh_from_db()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                codes = _new_recovery_codes(user)
                audit.record(actor=user, action="tweestap.ingesteld", obj=user, details={"adres": _address(request)})
            request.session.cycle_key()
            otp_login(request, device)
            second_factor_given.send(sender=setup, request=request, user=user)
            request.session[HAS_DEVICE_SESSION_KEY] = True
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect(reverse("two_factor_recovery_codes") + "?" + _next_query(request))
        with transaction.atomic():
            audit.record(actor=user, action="tweestap.mislukt", obj=user,
                         details={"adres": _address(request), "soort": "instellen",
                                  "geweigerd_wegens_wachttijd": not allowed})
        form.add_error("code", _wait_message() if not allowed else
                       "Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat en vul de code in "
                       "die de app nu toont.")
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "qr_svg": _qr_svg(device), "secret": _secret_text(device), "required": is_required(user),
        "next": _next_url(request)})


def _next_query(request):
    return urlencode({"next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """The recovery codes, shown once: right after enrollment, or after "Nieuwe herstelcodes maken" (POST)."""
    user = request.user
    if request.method == "POST":
        if not (has_app(request) and user.is_verified()):
            return redirect("two_factor_account")
        with transaction.atomic():
            codes = _new_recovery_codes(user)
            audit.record(actor=user, action="tweestap.herstelcodes_vernieuwd", obj=user,
                         details={"adres": _address(request)})
    else:
        codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    return render(request, "registration/two_factor_recovery_codes.html", {
        "codes": codes, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def account(request):
    """Tweestapsverificatie: status, turn it on (→ setup) or off (only when not required), new recovery codes."""
    user = request.user
    device = app_device(user)
    required = is_required(user)
    if request.method == "POST" and request.POST.get("action") == "uitzetten":
        if device is None or required:
            messages.error(request, "Tweestapsverificatie is voor uw rol verplicht en kan niet uit.")
        else:
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).delete()
                StaticDevice.objects.filter(user=user).delete()
                audit.record(actor=user, action="tweestap.uitgezet", obj=user, details={"adres": _address(request)})
            request.session[HAS_DEVICE_SESSION_KEY] = False
            messages.success(request, "Tweestapsverificatie staat uit.")
        return redirect("two_factor_account")
    recovery = StaticDevice.objects.filter(user=user).first()
    return render(request, "registration/two_factor_account.html", {
        "device": device, "required": required,
        "recovery_left": recovery.token_set.count() if recovery else 0})

