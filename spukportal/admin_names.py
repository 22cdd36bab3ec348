"""Dutch names in the beheer for the installed apps that have none (django-axes, django-otp, simple-certmanager).

Set on the app configs and the models' options at start-up (spukportal.apps). Only the displayed names change:
the options' `original_attrs` and the fields' `_verbose_name` (what migrations read) stay as the apps ship them,
so no migration of an installed app follows. Help texts do go into migrations: they are wrapped in gettext_lazy
with their original English (which migrations compare, with translation off) and translated in
locale/nl/LC_MESSAGES/django.po."""

from django.apps import apps
from django.utils.translation import gettext_lazy

APPS = {
    "axes": "Inlogbeveiliging",
    "otp_totp": "Tweestapsverificatie",
    "otp_static": "Tweestapsverificatie (reservecodes)",
    "simple_certmanager": "Certificaatbeheer",
}

MODELS = {
    "axes.accessattempt": ("inlogpoging", "inlogpogingen (geblokkeerd of geteld)"),
    "axes.accessfailurelog": ("mislukte inlogpoging", "mislukte inlogpogingen"),
    "axes.accesslog": ("inlogregistratie", "inlogregistraties"),
    "axes.accessattemptexpiration": ("verloop van een inlogpoging", "verloop van inlogpogingen"),
    "otp_totp.totpdevice": ("authenticator-app", "authenticator-apps"),
    "otp_static.staticdevice": ("set reservecodes", "reservecodes"),
    "simple_certmanager.signingrequest": ("certificaataanvraag (CSR)", "certificaataanvragen (CSR)"),
}

FIELDS = {
    "axes.accessattempt": {"user_agent": "browser (user agent)", "ip_address": "IP-adres", "username": "gebruikersnaam",
                           "http_accept": "HTTP Accept", "path_info": "pad", "attempt_time": "tijdstip poging",
                           "get_data": "GET-gegevens", "post_data": "POST-gegevens",
                           "failures_since_start": "mislukte pogingen", "expiration": "verloopt"},
    "axes.accessfailurelog": {"user_agent": "browser (user agent)", "ip_address": "IP-adres",
                           "username": "gebruikersnaam", "http_accept": "HTTP Accept", "path_info": "pad",
                           "attempt_time": "tijdstip poging", "locked_out": "geblokkeerd"},
    "axes.accesslog": {"user_agent": "browser (user agent)", "ip_address": "IP-adres", "username": "gebruikersnaam",
                       "http_accept": "HTTP Accept", "path_info": "pad", "attempt_time": "tijdstip inloggen",
                       "logout_time": "tijdstip uitloggen", "session_hash": "sessiesleutel (hash)"},
    "otp_totp.totpdevice": {"user": "gebruiker", "name": "naam", "confirmed": "bevestigd",
                            "created_at": "aangemaakt op", "last_used_at": "laatst gebruikt op"},
}

HELP_TEXTS = {"otp_totp.totpdevice": ("user", "name", "confirmed", "created_at", "last_used_at")}


def apply():
    for label, name in APPS.items():
        if apps.is_installed(label) or label in {c.label for c in apps.get_app_configs()}:
            apps.get_app_config(label).verbose_name = name
    for model_label, (singular, plural) in MODELS.items():
        model = _model(model_label)
        if model is not None:
            model._meta.verbose_name, model._meta.verbose_name_plural = singular, plural
    for model_label, names in FIELDS.items():
        model = _model(model_label)
        for field_name, name in names.items() if model is not None else ():
            try:
                model._meta.get_field(field_name).verbose_name = name
            except LookupError:
                continue
    for model_label, field_names in HELP_TEXTS.items():
        model = _model(model_label)
        for field_name in field_names if model is not None else ():
            field = model._meta.get_field(field_name)
            if field.help_text and isinstance(field.help_text, str):
                field.help_text = gettext_lazy(field.help_text)


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None
