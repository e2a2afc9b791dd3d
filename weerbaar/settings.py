"""Settings for the Weerbaar Bestuur portal.

Everything is read from the environment (django-environ). The defaults are the
production defaults and are safe: DEBUG off, secure cookies, HSTS, no secret
key and no encryption key unless given. The embedded mode used by ``make run``
(SQLite, a file-system broker, DEBUG) is switched on explicitly by the
environment that ``scripts/run.sh`` writes to ``var/run.env``.
"""

import importlib.util
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("WEERBAAR_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env_file = env.str("WEERBAAR_ENV_FILE", default="")
if env_file:
    environ.Env.read_env(env_file)

DEBUG = env.bool("DEBUG", default=False)
DEMO_MODE = env.bool("DEMO_MODE", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "guardian",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "rest_framework",
    "drf_spectacular",
    "oauth2_provider",
    "weerbaar",
    "incidents",
    "veiligwonen",
    "otwb",
    "monitor",
    "api",
    "webhooks",
]
# The benchmark and the load data (perf/: manage.py bench, seed_load) are not in the
# production image; where the package is, its commands are.
if importlib.util.find_spec("perf") is not None:
    INSTALLED_APPS.append("perf")

MIDDLEWARE = [
    # First: the metrics endpoint answers before HTTPS redirect and sessions, and the request
    # timing covers the whole stack.
    "weerbaar.metrics.middleware.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzip-compressed (a page is 14 KB of HTML, 3.6 KB compressed: on a slow phone the
    # HTML is all a repeat visit downloads). Below whitenoise, which serves static files
    # itself, already compressed at build time. BREACH (secrets guessed from compressed
    # lengths): the CSRF token in a page is masked anew on every response, and Django's
    # GZipMiddleware pads each response with a random number of bytes ("Heal The Breach"),
    # so a length says too little to guess a secret by; see docs/performance.md.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "weerbaar.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "weerbaar.middleware.PortalUserMiddleware",
    "weerbaar.middleware.SessionTimeoutMiddleware",
    "weerbaar.middleware.MFARequiredMiddleware",
    "weerbaar.middleware.ActiveMembershipMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Below the CSP middleware: adds the inline stylesheet's hash to the CSP it then writes,
    # and the stylesheet's version cookie (weerbaar/stylesheet.py).
    "weerbaar.stylesheet.StylesheetMiddleware",
    "weerbaar.middleware.NoStoreMiddleware",
    # /api/ only: Accept-Language, the API-Version header, problem details. Innermost, so
    # the security headers above apply to what it answers too.
    "api.middleware.ApiMiddleware",
]

ROOT_URLCONF = "weerbaar.urls"
# Messages ("Ingelogd als <naam>") live in the server-side session, not in a cookie of their
# own: a cookie would carry the user's full name to the browser and every proxy log.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "weerbaar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "weerbaar.context_processors.portal",
            ],
        },
    },
]

# --- data -------------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Nobody waits for ever on the database: a connection attempt gives up after
    # DB_CONNECT_TIMEOUT seconds, a lock wait after DB_LOCK_TIMEOUT (a row held by a stuck
    # transaction, a migration's table lock), and a transaction left open and idle is ended
    # by the server after DB_IDLE_IN_TRANSACTION_TIMEOUT, so its locks do not block others.
    # Each becomes an OperationalError: on a page, the 503 "probeer het opnieuw" with what
    # was typed (weerbaar/errors.py); in a sweep, a retry of that one row (weerbaar/sweeps.py).
    # Both are well above anything the portal holds a lock or a transaction for.
    _guards = " ".join(
        f"-c {name}={env.str(var, default=default)}"
        for name, var, default in (
            ("lock_timeout", "DB_LOCK_TIMEOUT", "10s"),
            ("idle_in_transaction_session_timeout", "DB_IDLE_IN_TRANSACTION_TIMEOUT", "60s"),
        )
    )
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env.int("DB_CONNECT_TIMEOUT", default=5),
        "options": _guards,
        **DATABASES["default"].get("OPTIONS", {}),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded mode (make run): web threads, worker and beat write one file at once.
    # WAL lets readers go on while one writes; a write transaction starts with BEGIN
    # IMMEDIATE, so it waits (up to the timeout) for the write lock at its start instead of
    # failing with "database is locked" when a read inside it tries to become a write (a
    # deferred transaction cannot wait for that); synchronous=NORMAL is safe with WAL.
    # SELECT ... FOR UPDATE does not exist in SQLite: Django leaves it out, and as a write
    # transaction holds the database's only write lock from its start, what it read stays
    # true until it commits, which is what the row locks guard on PostgreSQL.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT", default=30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
CACHE_URL = env.str("CACHE_URL", default="")
if REDIS_URL:
    CACHES = {
        # Redis, and the database while Redis is down (weerbaar/backends/cache.py): rate
        # limits on login must hold during an outage, and no page may fail for the cache.
        "default": {
            "BACKEND": "weerbaar.backends.cache.RedisWithDatabaseFallback",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="weerbaar"),
            "FALLBACK": "fallback",
            # A Redis that hangs must not hang the page: give up quickly and fall back.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        },
        "fallback": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "weerbaar_cache",
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="weerbaar"),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
elif CACHE_URL:
    # Embedded mode (make run) has no Redis: a file cache shared by web, worker and beat lets
    # /health/ see the worker's heartbeat and makes rate limits hold across processes.
    CACHES = {"default": env.cache("CACHE_URL")}
    if CACHES["default"]["BACKEND"].endswith(".FileBasedCache"):
        # Past MAX_ENTRIES (300 by default) every write deletes a third of the files at
        # random: with a few dozen people signed in (a cached session each, rate-limit
        # counters) that would drop the worker's heartbeat and /health/ would call a
        # healthy worker stale. Writes are atomic (a temporary file renamed into place),
        # so processes sharing the folder never see half a value and never wait on a lock.
        CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered template fragments that are the same for everyone who sends the same input
# (a filter form is a function of the query string and the language): per process, so a
# deploy starts empty and nothing of it leaves the process. Never for anything that depends
# on who asks, nor for what a person wrote or what is known of a case; staff names in a
# picker (the Veilig Wonen adviser choices) only with those choices in the key, so the
# fragment is a function of what every viewer of that form is shown anyway.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "weerbaar-fragments",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 1000},
}
# The national monitor's published figures kept between two refreshes of its summary
# (monitor/snapshot.py, docs/monitor.md "The snapshot"); off: every page protects the
# year's cube itself, as before (for a comparison, or should a snapshot be doubted).
MONITOR_SNAPSHOTS = env.bool("MONITOR_SNAPSHOTS", default=True)

# Keys for encrypted fields: comma separated "id:base64key", newest first. Separate from
# SECRET_KEY so that a leaked SECRET_KEY does not reveal the data, and rotatable on its own.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
# Key of the blind search index (weerbaar/search.py, docs/search.md): urlsafe base64 of 32
# bytes, apart from the field keys. Changing it: set the new one, restart, run
# "manage.py rebuild_search_index" (rotate_encryption_keys does it too).
SEARCH_INDEX_KEY = env.str("SEARCH_INDEX_KEY")

PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))

# Backups (manage.py backup / restore, docs/operations.md). Their own key, apart from the
# field keys and SECRET_KEY: urlsafe base64 of 32 bytes, several comma separated (newest
# first) while it is being replaced. Keep it off the host that holds the backups.
BACKUP_ENCRYPTION_KEY = env.str("BACKUP_ENCRYPTION_KEY", default="")
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
# Kept: the newest backup of each of the last BACKUP_KEEP_DAILY days and of each of the last
# BACKUP_KEEP_WEEKLY ISO weeks (weerbaar/backups/retention.py).
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=7)
BACKUP_KEEP_WEEKLY = env.int("BACKUP_KEEP_WEEKLY", default=5)
# Folder of pg_dump/pg_restore when not on PATH; they must be at least the server's version.
PG_BIN_DIR = env.str("PG_BIN_DIR", default="")

# --- auth -------------------------------------------------------------------------------------

AUTH_USER_MODEL = "weerbaar.User"
AUTHENTICATION_BACKENDS = [
    # allauth's, reading the user with their memberships (weerbaar/backends/auth.py)
    "weerbaar.backends.auth.PortalBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    # ASVS 6.2: at least 12 characters, checked against common passwords, no composition rules.
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

ACCOUNT_ADAPTER = "weerbaar.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# A password reset for an address without an account sends nothing (allauth would mail it an
# invitation to the closed sign-up page); the page says the same whatever the address.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Weerbaar Bestuur] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/key,20/5m/ip",
    "reset_password": "5/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    "manage_email": "10/m/user",
    # Anti-automation on the write paths of reporters (ASVS 2.4.1).
    "melding_submit": "20/h/user",
    "melding_upload": "60/h/user",
    "vw_upload": "60/h/user",
    # The public page to ask for an account (weerbaar/access_request_views.py): per address
    # of the sender, and per email address asked for (that one answers as if it worked).
    "access_request": "10/h/ip",
    "access_request_email": "3/d/key",
}
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Single sign-on with an organisation's own OpenID provider (weerbaar/sso/, docs/sso.md): the
# providers are IdentityProvider rows, SSO signs in existing accounts only and links none.
SOCIALACCOUNT_ADAPTER = "weerbaar.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "weerbaar.sso.provider.PortalOIDCProvider",
        "OAUTH_PKCE_ENABLED": True,
    },
}
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# The provider vouched for the address (email_verified) and the account holds it already.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SOCIALACCOUNT_REQUESTS_TIMEOUT", default=10)
MFA_ADAPTER = "weerbaar.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Weerbaar Bestuur"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# The codes of a second factor (TOTP, recovery codes) are replaced by the portal's forms,
# which count wrong codes per account (weerbaar/mfa_throttle.py, where the arithmetic is).
MFA_FORMS = {
    "authenticate": "weerbaar.mfa_forms.AuthenticateForm",
    "reauthenticate": "weerbaar.mfa_forms.ReauthenticateForm",
}
# After MFA_BACKOFF_FREE_FAILURES wrong codes in a row, wait MFA_BACKOFF_BASE_SECONDS, then
# twice as long after every further wrong code; at MFA_LOCKOUT_FAILURES wrong codes in a row
# code entry is locked for MFA_LOCKOUT_SECONDS (or until the functioneel beheerder lifts it).
# The first wait is allauth's own window for codes (ACCOUNT_RATE_LIMITS "login_failed",
# 5 per 5 minutes per account), so that the wait the page announces is the one that holds.
MFA_BACKOFF_FREE_FAILURES = env.int("MFA_BACKOFF_FREE_FAILURES", default=5)
MFA_BACKOFF_BASE_SECONDS = env.int("MFA_BACKOFF_BASE_SECONDS", default=5 * 60)
MFA_LOCKOUT_FAILURES = env.int("MFA_LOCKOUT_FAILURES", default=10)
MFA_LOCKOUT_SECONDS = env.int("MFA_LOCKOUT_SECONDS", default=24 * 60 * 60)
MFA_RATE_LIMITS = {
    "authenticate": "5/m/user",
    "reauthenticate": "5/m/user",
    "activate_totp": "5/m/user",
}
# Activity tracking ("last seen") costs 5 queries on every request (read the session row,
# read the user again, update the row in a savepoint); the session list still shows when and
# from where each session logged in, and ending a session works the same.
USERSESSIONS_TRACK_ACTIVITY = False

# Inactivity timeout in seconds: short for staff roles that see other people's cases.
SESSION_IDLE_TIMEOUT_STAFF = env.int("SESSION_IDLE_TIMEOUT_STAFF", default=30 * 60)
SESSION_IDLE_TIMEOUT_OTHER = env.int("SESSION_IDLE_TIMEOUT_OTHER", default=60 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Sessions live in the database; with a cache shared by all web processes (Redis, or the file
# cache of make run) a copy of at most a minute spares the session query of every request
# (weerbaar/backends/sessions.py). A per-process cache could keep a session alive in one
# process after it ended in another: without a shared cache, the database only.
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=60)
SESSION_ENGINE = (
    "weerbaar.backends.sessions"
    if REDIS_URL or CACHE_URL
    else "django.contrib.sessions.backends.db"
)

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

# --- security headers ---------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = False

SECURE_TRANSPORT = env.bool("SECURE_TRANSPORT", default=not DEBUG)
if SECURE_TRANSPORT:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are only accepted over HTTPS, for the whole host, without a domain.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- REST API (api/, docs/api.md) ---------------------------------------------------------------
# OAuth 2 client credentials only (no session, no basic auth): a system of an organisation,
# never a person's browser. Tokens live API_TOKEN_SECONDS (default 10 minutes).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("API_TOKEN_SECONDS", default=600),
    "SCOPES": {
        "meldingen:lezen": "Meldingen lezen (registratievelden)",
        "meldingen:inhoud": "Vrije tekst en persoonsgegevens van meldingen",
        "aangifte:schrijven": "Status van de aangifte bijwerken",
        "veiligwonen:lezen": "Veilig Wonen lezen (wachtrij, termijn, kosten, maatregelen)",
        "veiligwonen:persoonsgegevens": "Namen bij aanvragen Veilig Wonen",
        "otwb:lezen": "Sessies en aanmeldingen van het OTWB lezen",
        "otwb:persoonsgegevens": "Namen en e-mailadressen van aangemelde driehoeken",
        "paraatheid:lezen": "Paraatheid van de organisatie lezen",
        "webhooks:beheren": "Eigen webhooks beheren",
    },
    "SCOPES_BACKEND_CLASS": "api.scopes.ClientScopes",
    "ALLOWED_GRANT_TYPES": ["client-credentials"],
    "ERROR_RESPONSE_WITH_SCOPES": False,
    # The OAuth 2.0 Security BCP (RFC 9700) throughout: tokens stored hashed, never taken
    # from a query string (it would land in access logs), no implicit or password grant.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ClientHasScopes"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"client": env.str("API_RATE", default="120/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Weerbaar Bestuur",
    "DESCRIPTION": (
        "Meldingen van agressie en bedreiging van de eigen organisatie, voor de eigen "
        "registratiesystemen van gemeenten, provincies en waterschappen. OAuth 2 client "
        "credentials; zie docs/api.md."
    ),
    "VERSION": "1.0.0",
    "CONTACT": {"name": "Netwerk Weerbaar Bestuur", "url": "https://www.weerbaarbestuur.nl"},
    "LICENSE": {"name": "EUPL-1.2"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVERS": [{"url": "/api/v1"}],
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.design_rules_hook",
    ],
    "ENUM_NAME_OVERRIDES": {
        "MeldingStatusEnum": "incidents.constants.Status",
        "AangifteStatusEnum": "incidents.constants.AangifteStatus",
    },
}

# --- language and time ----------------------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# The language switch's choice, kept a year; the browser's language is not used (see
# weerbaar.language). One Dutch date style everywhere ("6 december 2026 18:11").
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = SECURE_TRANSPORT
LANGUAGE_COOKIE_SAMESITE = "Lax"
FORMAT_MODULE_PATH = ["weerbaar.formats"]

# --- static files -------------------------------------------------------------------------------

STATIC_URL = "/static/"
# A browser without the current stylesheet (no cookie with its version) gets its text inline
# and the file prefetched for the next page: the first paint on a slow phone does not wait for
# a second request (weerbaar/stylesheet.py). It costs the first visit the stylesheet twice
# (inline and prefetched): docs/performance.md weighs the bytes against the first paint.
STYLESHEET_INLINE_ON_FIRST_VISIT = env.bool("STYLESHEET_INLINE_ON_FIRST_VISIT", default=True)
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Every file is fetched from the portal's own origin (fonts too, preloaded with crossorigin:
# a same-origin CORS request), so no Access-Control-Allow-Origin header on each of them.
WHITENOISE_ALLOW_ALL_ORIGINS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# --- email --------------------------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:1025")
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith(".filebased.EmailBackend") and not EMAIL_CONFIG.get(
    "EMAIL_FILE_PATH"
):
    # filemail:// without a path (make run): each email a file in var/mail/, so that demo
    # mail neither floods the terminal nor leaves the machine.
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = str(VAR_DIR / "mail")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Weerbaar Bestuur <noreply@weerbaarbestuur.nl>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

# --- Celery -------------------------------------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The folders below are the broker; a host named in the URL keeps kombu from warning
    # "No hostname was supplied" in every process that connects.
    CELERY_BROKER_URL = "filesystem://localhost//"
    # Kombu's transport with messages written whole before the worker can see them.
    CELERY_BROKER_TRANSPORT = "weerbaar.broker:Transport"
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")


# Static beat schedule: every periodic job is a sweep that finds its own work in the database.
# Each app keeps its entries in <app>/schedule.py (plain data, no Django imports); the core
# names no app: every installed app of this project with such a file adds its entries, in
# the order of INSTALLED_APPS.
def _app_beat_schedules():
    schedule = {}
    for app in INSTALLED_APPS:
        if (BASE_DIR / app.replace(".", "/") / "schedule.py").is_file():
            schedule.update(importlib.import_module(f"{app}.schedule").BEAT_SCHEDULE)
    return schedule


CELERY_BEAT_SCHEDULE = {
    **_app_beat_schedules(),
    "deliver-notifications": {
        "task": "weerbaar.tasks.deliver_notifications",
        "schedule": timedelta(seconds=30),
    },
    "record-heartbeat": {
        "task": "weerbaar.tasks.record_heartbeat",
        "schedule": timedelta(minutes=1),
    },
    "expire-invitations": {
        "task": "weerbaar.tasks.purge_expired_invitations",
        "schedule": crontab(hour=3, minute=15),
    },
    # The term of office: ends recorded soon after their date, notices in the morning.
    "memberships-end": {
        "task": "weerbaar.tasks.end_memberships",
        "schedule": timedelta(minutes=10),
    },
    "memberships-end-notice": {
        "task": "weerbaar.tasks.tell_memberships_ending",
        "schedule": crontab(hour=8, minute=0),
    },
    "purge-access-requests": {
        "task": "weerbaar.tasks.purge_access_requests",
        "schedule": crontab(hour=3, minute=25),
    },
}

# How many days before a membership ends its holder is told (once).
MEMBERSHIP_END_NOTICE_DAYS = env.int("MEMBERSHIP_END_NOTICE_DAYS", default=14)

# Requests for an account from the public page are deleted this many days after their
# decision (or after they were filed, when nobody decided): personal data, no longer needed.
ACCESS_REQUEST_RETENTION_DAYS = env.int("ACCESS_REQUEST_RETENTION_DAYS", default=90)

NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)
NOTIFICATION_BATCH_SIZE = env.int("NOTIFICATION_BATCH_SIZE", default=100)
# How long a delivery run's claim on a row holds (seconds). Past it, the row is due again and
# sent with the same Message-ID: longer than any live run holds one (the task time limit).
NOTIFICATION_SEND_LEASE = env.int("NOTIFICATION_SEND_LEASE", default=600)

# --- Webhooks (docs/api.md) ---------------------------------------------------------------------

# Attempts before a webhook message is given up (dead letter, shown to the client's owner).
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=8)
# Seconds before the first retry; doubled at each further failure, at most six hours.
WEBHOOKS_FIRST_RETRY = env.int("WEBHOOKS_FIRST_RETRY", default=30)
WEBHOOKS_BATCH_SIZE = env.int("WEBHOOKS_BATCH_SIZE", default=200)
# How long a delivery's claim holds (seconds): past it, the message is due again (the same
# webhook-id). Longer than any live attempt (the timeouts below, the task time limit).
WEBHOOKS_LEASE = env.int("WEBHOOKS_LEASE", default=600)
WEBHOOKS_CONNECT_TIMEOUT = env.float("WEBHOOKS_CONNECT_TIMEOUT", default=3)
WEBHOOKS_READ_TIMEOUT = env.float("WEBHOOKS_READ_TIMEOUT", default=10)
# After a secret is rotated, the previous one signs too for this many hours.
WEBHOOKS_SECRET_OVERLAP_HOURS = env.int("WEBHOOKS_SECRET_OVERLAP_HOURS", default=24)
# Never in production: http and private, loopback and link-local targets (the tests' receiver).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

# --- Web Push (acute meldingen and escalations to a phone or desktop) ---------------------------

# VAPID key pair, base64url: the public key as an uncompressed P-256 point (what the browser's
# applicationServerKey takes), the private key as the raw 32-byte number. Without them the
# portal offers no push; `python scripts/dev_env.py vapid-keys` makes a pair.
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="mailto:noreply@weerbaarbestuur.nl")
# The portal posts to the endpoint a browser hands it: only to these push services (scheme,
# host, "*." for subdomains), never to a host of the user's choosing.
PUSH_SERVICES = env.list(
    "PUSH_SERVICES",
    default=[
        "https://fcm.googleapis.com",
        "https://updates.push.services.mozilla.com",
        "https://*.push.apple.com",
        "https://*.notify.windows.com",
    ],
)
PUSH_TIMEOUT = env.float("PUSH_TIMEOUT", default=10)
PUSH_TTL = env.int("PUSH_TTL", default=6 * 60 * 60)

# --- metrics and error reporting (docs/operations.md) -------------------------------------------

# GET /metrics answers only to these networks (the TCP peer, never X-Forwarded-For), only to a
# request that did not pass through the proxy, and only with METRICS_TOKEN as bearer token
# when one is set; anyone else gets a 404. Empty: the endpoint is off.
METRICS_PATH = "/metrics"
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# The Celery worker's own metrics listener (same rules); 0: none.
METRICS_WORKER_PORT = env.int("METRICS_WORKER_PORT", default=0)

# Errors to a Sentry-compatible service; off without a DSN. Scrubbed: weerbaar/error_reporting.py.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if SENTRY_DSN:
    from weerbaar import error_reporting

    error_reporting.init(
        SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE
    )

# --- logging: JSON lines, never request bodies --------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Secret URLs (invitation, password reset, iCal feed) and query strings are taken out of
    # every line that can hold a path (weerbaar/redaction.py).
    "filters": {"redact": {"()": "weerbaar.redaction.RedactSecrets"}},
    "formatters": {
        "json": {"()": "weerbaar.logging.json_formatter"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's default handlers of "django" (a plain console in DEBUG) would write
        # django.request's paths unredacted; its records go to the root handler instead.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}
