"""Settings for SPUK-portaal, read from the environment (see README, "Configuratie").

Embedded default (nothing set): SQLite in var/, Celery tasks run eagerly, mail to the console.
Production shape: DATABASE_URL=postgres://… and REDIS_URL=redis://….
"""

import datetime
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("SPUK_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env(
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    TIME_ZONE=(str, "Europe/Amsterdam"),
)
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off", "")


def env_bool(name, default=False):
    """A switch from the environment. Only true/1/yes/on and false/0/no/off (any case) are understood; anything
    else (`SPUK_PRODUCTION=ja`) stops the start instead of silently meaning "off"."""
    value = environ.Env().str(name, default="true" if default else "false").strip().lower()
    if value not in _TRUE + _FALSE:
        raise environ.ImproperlyConfigured(
            f"{name}={value!r} wordt niet begrepen: gebruik true of false (ook 1/0, yes/no, on/off).")
    return value in _TRUE


def strong_enough_secret(key):
    """A real secret key: at least 50 characters that are hard to guess as a whole (zxcvbn's estimate of at
    least 10^40 guesses); a repeated pattern such as `abcde` × 10 is far below that."""
    # Imported here: zxcvbn builds its word lists on import, and only a production start checks the key.
    from zxcvbn import zxcvbn

    return len(key) >= 50 and zxcvbn(key[:72])["guesses_log10"] >= 40


DEBUG = env_bool("DEBUG", default=False)
# Production (SPUK_PRODUCTION=true, as in docker-compose.yml): a real secret key is required, HTTPS only
# (SSL redirect, HSTS, secure cookies). SPUK_REQUIRE_SECRET_KEY is the older name of the same switch.
PRODUCTION = env_bool("SPUK_PRODUCTION", default=env_bool("SPUK_REQUIRE_SECRET_KEY", default=False))
_DEV_SECRET = "onveilig-alleen-voor-lokaal-gebruik-niet-in-productie"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or env.str("SECRET_KEY", default=_DEV_SECRET)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or not strong_enough_secret(SECRET_KEY)):
    raise environ.ImproperlyConfigured(
        "Productie start niet zonder echte geheime sleutel: zet DJANGO_SECRET_KEY (ten minste 50 willekeurige "
        "tekens, bijvoorbeeld uit `python -c 'import secrets; print(secrets.token_urlsafe(64))'`).")
if PRODUCTION and DEBUG:
    raise environ.ImproperlyConfigured("DEBUG staat aan in productie: zet DEBUG=false.")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "spukportal.apps.AdminConfig",
    "crispy_forms",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # eHerkenning (django-digid-eherkenning): its SAML configuration and certificates are edited in the beheer
    "privates",
    "solo",
    "simple_certmanager",
    "digid_eherkenning",
    "spukportal",
    "regions",
    "budgets",
    "applications",
    "monitoring",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "spukportal.middleware.RequestIdMiddleware",  # first: every response (redirects too) carries the id
    # HTML, JSON, CSV and SVG compressed for browsers that ask (the national map page: ~400 kB -> ~50 kB). Django's
    # middleware pads compressed responses with random bytes against BREACH; CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "spukportal.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): a second factor was given in this session (django-otp's; the device read with SQL
    # written once)
    "spukportal.two_factor.OTPMiddleware",
    "spukportal.middleware.PrivatePagesNotCachedMiddleware",
    "spukportal.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "spukportal.two_factor.TwoFactorMiddleware",  # who must give a code reaches only the 2FA pages and logout
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "spukportal.urls"
WSGI_APPLICATION = "spukportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "spukportal.context_processors.navigation",
                "spukportal.context_processors.portal",
            ],
        },
    }
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'spukportal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections (load test): a new PostgreSQL connection per request cost ~10 ms and a
    # server process. Each gunicorn/Celery process keeps one for up to DB_CONN_MAX_AGE seconds; the health
    # check replaces a connection that died (a database restart) before the request uses it.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Server-side parameter binding and prepared statements (Django's options for psycopg 3): the values travel
    # beside the SQL instead of being quoted into it in Python, and a statement that a connection runs for the
    # sixth time is prepared, so PostgreSQL parses and plans the queries of every request once per connection.
    # Both off (DB_PREPARED_STATEMENTS=false) behind a pooler in transaction mode (PgBouncer), which cannot keep
    # prepared statements; Django's default is off for that reason. Measured: benchmarks/bench_load.py --capacity.
    if env.bool("DB_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (`make run`): writers take turns. A transaction starts IMMEDIATE (it takes the write lock at its
    # start, so a second one waits up to `timeout` seconds instead of failing with "database is locked");
    # WAL lets pages be read while a run is written.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
    # The test database is a file too, not Django's shared-cache in-memory database: with that one, a test whose
    # threads (live server, simultaneous submits) write at the same time fails with "database table is locked"
    # instead of waiting its turn. pytest-xdist gives every process its own file.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-spukportal.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "spukportal.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "spukportal.passwords.GuessablePasswordValidator"},  # zxcvbn: no `aaaaaaaaaaaa`
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account or address before the password check
    # Django's ModelBackend, loading the session's user with its roles and unread count in one query
    # (spukportal/session_user.py)
    "spukportal.session_user.PortalModelBackend",
]
# Login throttling (django-axes, spukportal/login_throttle.py): after AXES_FAILURE_LIMIT failed logins for one
# account (from any address, and so also for one account from one address) further attempts are refused for
# AXES_COOLOFF_TIME (Dutch page, HTTP 429); one address alone is locked only after AXES_ADDRESS_FAILURE_LIMIT
# failures, so that wrong passwords with made-up names do not lock out everyone behind the same address. Failed
# logins are audited (spukportal/auth.py) with the client's address (spukportal/client_address.py).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=100)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"], "ip_address"]
AXES_HANDLER = "spukportal.login_throttle.PortalAxesHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The client's address behind our own reverse proxies: X-Forwarded-For is believed only with TRUSTED_PROXY_COUNT
# set to the number of proxies in front of the portal (docker-compose: 1). AXES_IPWARE_PROXY_COUNT is the older
# name (it did nothing: django-ipware is not installed).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AXES_IPWARE_PROXY_COUNT", default=0))
AXES_CLIENT_IP_CALLABLE = "spukportal.client_address.client_address"
# Two-factor authentication (django-otp: TOTP app plus single-use recovery codes, spukportal/two_factor.py).
# With SPUK_REQUIRE_2FA on, the kerngroep, the ministry, beheerders and superusers must set up and use a code;
# municipal officers may turn it on themselves. Whoever has set it up is asked for a code after the password,
# whatever this switch says. Off by default outside production, so `make run` demo logins work by password.
SPUK_REQUIRE_2FA = env_bool("SPUK_REQUIRE_2FA", default=PRODUCTION)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="SPUK-portaal")
OTP_TOTP_THROTTLE_FACTOR = 1  # after n wrong codes in a row, the next is refused for 2^(n-1) seconds
OTP_STATIC_THROTTLE_FACTOR = 1
# Logging in through the organisation's identity provider (OpenID Connect, spukportal/oidc.py). Off by default:
# then no OIDC URL is routed and no OIDC backend installed. When on, an IdP user is let in only as the EXISTING
# active account with the same, verified e-mail address (no account is created), and our own 2FA step still
# applies after the IdP. The provider's endpoints are in its discovery document (/.well-known/openid-configuration).
OIDC_ENABLED = env_bool("OIDC_ENABLED", default=False)
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="uw organisatie-account")  # "Inloggen met …"
if OIDC_ENABLED:
    OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="") or None
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES", "PS")) and not OIDC_OP_JWKS_ENDPOINT:
        raise environ.ImproperlyConfigured(f"OIDC_RP_SIGN_ALGO={OIDC_RP_SIGN_ALGO} vraagt om OIDC_OP_JWKS_ENDPOINT.")
    OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email")
    OIDC_USE_PKCE = True
    OIDC_USE_NONCE = True
    OIDC_CREATE_USER = False  # the portal decides who has an account and which roles
    OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
    OIDC_STORE_ACCESS_TOKEN = OIDC_STORE_ID_TOKEN = False
    AUTHENTICATION_BACKENDS.append("spukportal.oidc.PortalOIDCBackend")
# Logging in with eHerkenning (SAML2 through django-digid-eherkenning, spukportal/eherkenning.py). Off by default:
# then no eHerkenning URL is routed and no backend installed. The SAML configuration (broker metadata, certificate,
# service catalogue) is kept in the beheer ("eHerkenning/eIDAS-configuratie"), filled from the environment by
# `manage.py configure_eherkenning`. EHERKENNING_MOCK=true (only `make run`, never production) routes the
# "Inloggen met eHerkenning" button to a demo broker in the portal itself instead of a real one.
EHERKENNING_ENABLED = env.bool("EHERKENNING_ENABLED", default=False)
EHERKENNING_MOCK = env.bool("EHERKENNING_MOCK", default=False)
if EHERKENNING_MOCK and PRODUCTION:
    raise environ.ImproperlyConfigured("EHERKENNING_MOCK staat aan in productie: zet EHERKENNING_MOCK=false.")
# From this assurance level on, the eHerkenning login counts as two-factor: the portal asks no app code after it.
EHERKENNING_LOA_COVERS_2FA = env.str("EHERKENNING_LOA_COVERS_2FA", default="urn:etoegang:core:assurance-class:loa3")
if EHERKENNING_ENABLED or EHERKENNING_MOCK:
    AUTHENTICATION_BACKENDS.append("spukportal.eherkenning.PortalEHerkenningBackend")
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for one hour
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
# The portal's own catalog first: it keeps Django's Dutch form messages where an app's catalog translates them
# differently (locale/nl/LC_MESSAGES/django.po says which and why).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = env("TIME_ZONE")
USE_I18N = True
USE_TZ = True
# No implicit grouping of numbers: with it, every {{ number }} became "2.025" or "1.789" — years, and ids in
# attributes (a checkbox value "1.789" no longer matched its choice, a field name "point_1.234" lost its answer).
# Amounts and counts are written the Dutch way on purpose, with the |euro and |getal filters (spukportal.money).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env.bool("SPUK_HASHED_STATIC", default=True)  # the test suite: no collectstatic
            # Hashed names (css/portal.3f2a…css) and gzip/brotli copies, made by collectstatic: whitenoise
            # serves a hashed file with a cache lifetime of ten years, so a browser asks for it once per
            # release. The PDF renderer reads the same files (spukportal.pdf).
            else "spukportal.static_storage.StaticFilesStorage"
        )
    },
    # Private files (uploaded PDFs, generated reports): never served directly, only through views
    # that check permission.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))))},
    },
}
# django-private-storage (the eHerkenning certificates and broker metadata): the same private folder, never served.
PRIVATE_MEDIA_ROOT = STORAGES["private"]["OPTIONS"]["location"]
PRIVATE_MEDIA_URL = "/privaat/"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Files above bounds.MAX_UPLOAD_BYTES are refused before they are read (spukportal/uploads.py); form fields
# (without files) may take at most 5 MB (a plan section is at most 20.000 characters).
FILE_UPLOAD_HANDLERS = [
    "spukportal.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Reference data shipped with the product (copies of the published sources, see data/reference/README.md)
REFERENCE_DATA_DIR = BASE_DIR / "data" / "reference"

def _portal_version():
    # Imported here: the settings module keeps its top to what every setting needs.
    from importlib import metadata

    try:
        return metadata.version("spukportal")
    except metadata.PackageNotFoundError:
        return "onbekend"


# Shown in the footer of every page; the release pipeline may set SPUK_VERSION (e.g. "1.4.0+abc1234").
PORTAL_VERSION = env.str("SPUK_VERSION", default="") or _portal_version()
# Where users turn with questions (footer, contact page, error pages).
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="spuk-portaal@minvws.example")

# The open API (api/, /api/v1/): everything but these is set on the API's own views (api/views.py). Requests
# per minute per token (anonymous callers: per address), counted in the cache of each process.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
                  "DEFAULT_AUTHENTICATION_CLASSES": []}
API_THROTTLE_RATES = {"token": env.str("API_RATE_TOKEN", default="600/min"),
                      "anoniem": env.str("API_RATE_ANONYMOUS", default="120/min")}
SPECTACULAR_SETTINGS = {
    "TITLE": "SPUK-portaal open API",
    "DESCRIPTION": "Gemeenten, IZA-regio's, onderdelen en gepubliceerde verdelingen (openbaar); aanvragen, "
                   "beschikkingen en verantwoordingen per organisatie (met token). Alleen lezen.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Django's form renderer, with <input> widgets written without their three templates (spukportal/form_renderer.py).
FORM_RENDERER = "spukportal.form_renderer.FormRenderer"

# Our own template pack (templates/nlds/): NL Design System form fields, the only one (no Bootstrap pack).
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nlds",)
CRISPY_TEMPLATE_PACK = "nlds"

# Mail: to the console outside production (`make run`). Production sends by SMTP (EMAIL_HOST …) and refuses to
# start with the console backend: that would put password-reset links and notifications in the container log.
_CONSOLE_MAIL = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend" if PRODUCTION
                        else _CONSOLE_MAIL)
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)  # implicit TLS (port 465)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=not EMAIL_USE_SSL)  # STARTTLS (port 587)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT_SECONDS", default=10)
if PRODUCTION and EMAIL_BACKEND == _CONSOLE_MAIL:
    raise environ.ImproperlyConfigured(
        "Productie start niet met mail naar de console (herstellinks en meldingen zouden in de log staan): "
        "zet EMAIL_HOST (en zo nodig EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) voor SMTP.")
if PRODUCTION and EMAIL_BACKEND.endswith("smtp.EmailBackend") and not EMAIL_HOST:
    raise environ.ImproperlyConfigured(
        "Productie start niet zonder mailserver: zet EMAIL_HOST (en zo nodig EMAIL_PORT, EMAIL_HOST_USER, "
        "EMAIL_HOST_PASSWORD).")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@spukportaal.example")
# The portal's own address, for links in e-mails (notifications, reminders).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Celery: on Redis when REDIS_URL is set, otherwise eager (in-process, for `make run`).
REDIS_URL = env.str("REDIS_URL", default="")
# eHerkenning keeps the id of each AuthnRequest in the cache until the broker's answer comes back, which may reach
# another worker or replica: with eHerkenning on and Redis available, the cache is shared (Redis) instead of
# each process's own memory.
if EHERKENNING_ENABLED and REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "spuk"}}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 100
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 660
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only when it is done (acks_late); a message whose worker died is delivered again
# after the visibility timeout, which must be longer than the hard time limit, or a long task would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 240}
# Queue down: a start request must fail within about 2 s with the Dutch message (spukportal.jobs), not retry for
# 20 s. One connection attempt of at most 1 s to the broker and to the result backend, one quick retry.
_QUICK_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 240,
                                           "retry_policy": _QUICK_RETRY}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = _QUICK_RETRY
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
# A decision batch whose parts have not reported for this long is shown as standing still, with "Opnieuw starten".
DECISION_BATCH_SILENT_SECONDS = env.int("DECISION_BATCH_SILENT_SECONDS", default=90)
# Under the name of whoever decides, letters say in which function they sign on the minister's behalf.
LETTER_SIGNATORY_TITLE = env.str("LETTER_SIGNATORY_TITLE", default="directeur Publieke Gezondheid")
CELERY_BEAT_SCHEDULE = {
    "stilstaande-taken": {"task": "spukportal.tasks.sweep_stale_jobs", "schedule": 300.0},
}

CSRF_FAILURE_VIEW = "spukportal.views.csrf_failure"

SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "spukportal.session_store"  # Django's database sessions, read with SQL written once
# Session limits (spukportal.middleware.IdleSessionMiddleware), both exact: a session ends SESSION_IDLE_MINUTES
# after the last request, SESSION_MAX_HOURS after logging in whatever the activity, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_MAX_SECONDS = env.int("SESSION_MAX_HOURS", default=10) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^gezondheid/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION

# Content-Security-Policy (django-csp): scripts only from this site, no inline scripts; inline style attributes
# (progress bars) are allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# LOG_FORMAT=text (default, for `make run`): one readable line per message. LOG_FORMAT=json: one JSON object per
# line with the request id (X-Request-ID), for a log collector. Both leave out e-mail addresses, passwords,
# session keys and reset links (spukportal.middleware.redact).
LOG_FORMAT = env.str("LOG_FORMAT", default="text").lower()
if LOG_FORMAT not in ("text", "json"):
    raise environ.ImproperlyConfigured("LOG_FORMAT moet 'text' of 'json' zijn.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # 403 and 404 are logged as one line, without a traceback (they are answers, not errors).
        "no_traceback_for_4xx": {"()": "spukportal.middleware.NoTracebackFor4xx"},
        "request_id": {"()": "spukportal.middleware.RequestIdFilter"},
    },
    "formatters": {
        "text": {"()": "spukportal.middleware.RedactingFormatter"},
        "json": {"()": "spukportal.middleware.JsonFormatter"},
    },
    # The 4xx filter sits on the handler: a logger's own filters do not see its children's records
    # (django.security.RequestDataTooBig, django.security.DisallowedHost, …).
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["request_id", "no_traceback_for_4xx"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["no_traceback_for_4xx"]},
        "django.security": {"filters": ["no_traceback_for_4xx"]},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
# With JSON logs the Celery worker writes through the same handler instead of its own text format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
