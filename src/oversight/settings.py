"""Django settings. The database comes from DATABASE_URL (default: embedded SQLite).

Production by default. ``OVERSIGHT_ENV`` says where the app runs:

- ``production`` (the default): DEBUG off; the app refuses to start without a strong
  ``OVERSIGHT_SECRET_KEY`` and a separate ``OVERSIGHT_PSEUDONYM_KEY``; HTTPS only (HSTS,
  secure cookies, the redirect, behind a proxy that sets X-Forwarded-Proto); every account
  signs in with a second factor.
- ``demo`` (``oversight demo`` sets it): DEBUG on unless OVERSIGHT_DEBUG=0; keys of its own,
  made once and kept in the data folder; plain HTTP on loopback; the demo's generated logins
  may sign in with the password alone (OVERSIGHT_DEMO_PASSWORD_ONLY, refused in production).
- ``test`` (the test suite's ``oversight.settings_test``): DEBUG off, fixed test keys, plain HTTP.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("OVERSIGHT_DATA_DIR", Path.cwd() / "var"))

OVERSIGHT_ENV = os.environ.get("OVERSIGHT_ENV", "production")
if OVERSIGHT_ENV not in ("production", "demo", "test"):
    raise ImproperlyConfigured(f"OVERSIGHT_ENV: {OVERSIGHT_ENV!r} is not production, demo or test")
if OVERSIGHT_ENV == "test" and os.environ.get("DJANGO_SETTINGS_MODULE") != "oversight.settings_test":
    # the test settings' fixed keys and password-only sign-in are for the test suite alone
    raise ImproperlyConfigured(
        "OVERSIGHT_ENV=test is for the test suite only (DJANGO_SETTINGS_MODULE=oversight.settings_test)"
    )
PRODUCTION = OVERSIGHT_ENV == "production"

# A secret of at least this many characters (Django's own bar for `check --deploy`).
MIN_SECRET_CHARS = 50
MIN_PSEUDONYM_KEY_BYTES = 32


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value not in ("0", "1"):
        raise ImproperlyConfigured(f"{name}: {value!r} is not 0 or 1")
    return value == "1"


def _secret_problem(name: str, value: str, minimum: int) -> str | None:
    if not value:
        return f"{name} is not set"
    if len(value.encode()) < minimum:
        return f"{name} is too short ({len(value.encode())} characters; at least {minimum})"
    if len(set(value)) < 8 or value.startswith("django-insecure") or "change-me" in value:
        return (
            f"{name} is not random enough (make one with: python -c 'import secrets; print(secrets.token_urlsafe(64))')"
        )
    return None


def _local_keys() -> dict[str, str]:
    """The demo's keys: made once, random, kept beside its database (never a fixed string,
    which would let anyone reverse the public data's officer pseudonyms)."""
    path = DATA_DIR / "keys.env"
    keys: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            k, _, v = line.partition("=")
            if k and v:
                keys[k.strip()] = v.strip()
    missing = [k for k in ("OVERSIGHT_SECRET_KEY", "OVERSIGHT_PSEUDONYM_KEY", "OVERSIGHT_CHAIN_KEY") if not keys.get(k)]
    if missing:
        for k in missing:
            keys[k] = secrets.token_urlsafe(64)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("".join(f"{k}={v}\n" for k, v in keys.items()))
    return keys


# Tamper evidence (oversight.cases.integrity): the secret key of the hash chain and the seals
# (HMAC-SHA256, kept outside the database and never changed, or every record fails verification).
MIN_CHAIN_KEY_CHARS = 32
if PRODUCTION:
    SECRET_KEY = os.environ.get("OVERSIGHT_SECRET_KEY", "")
    OVERSIGHT_PSEUDONYM_KEY = os.environ.get("OVERSIGHT_PSEUDONYM_KEY", "")
    OVERSIGHT_CHAIN_KEY = os.environ.get("OVERSIGHT_CHAIN_KEY", "")
elif OVERSIGHT_ENV == "demo":
    _keys = _local_keys()
    SECRET_KEY = os.environ.get("OVERSIGHT_SECRET_KEY") or _keys["OVERSIGHT_SECRET_KEY"]
    OVERSIGHT_PSEUDONYM_KEY = os.environ.get("OVERSIGHT_PSEUDONYM_KEY") or _keys["OVERSIGHT_PSEUDONYM_KEY"]
    OVERSIGHT_CHAIN_KEY = os.environ.get("OVERSIGHT_CHAIN_KEY") or _keys["OVERSIGHT_CHAIN_KEY"]
else:  # the test suite: fixed keys, no real data
    SECRET_KEY = "test-suite-only-" + "k3y" * 20
    OVERSIGHT_PSEUDONYM_KEY = "test-suite-pseudonyms-" + "p5" * 16
    OVERSIGHT_CHAIN_KEY = os.environ.get("OVERSIGHT_CHAIN_KEY") or "demo-and-tests-only-chain-key-not-secret"

DEBUG = _flag("OVERSIGHT_DEBUG", OVERSIGHT_ENV == "demo")

# The demo's generated logins (oversight.cases.seed) may sign in with the password alone.
OVERSIGHT_DEMO_PASSWORD_ONLY = _flag("OVERSIGHT_DEMO_PASSWORD_ONLY", OVERSIGHT_ENV == "demo")
# Every account signs in with a second factor (TOTP, or one of its recovery codes). The test
# suite turns it off but for the tests of it (which turn it on), so that force_login works.
OVERSIGHT_SECOND_FACTOR = OVERSIGHT_ENV != "test"

if PRODUCTION:
    _problems = [
        p
        for p in (
            _secret_problem("OVERSIGHT_SECRET_KEY", SECRET_KEY, MIN_SECRET_CHARS),
            _secret_problem("OVERSIGHT_PSEUDONYM_KEY", OVERSIGHT_PSEUDONYM_KEY, MIN_PSEUDONYM_KEY_BYTES),
            _secret_problem("OVERSIGHT_CHAIN_KEY", OVERSIGHT_CHAIN_KEY, MIN_CHAIN_KEY_CHARS),
        )
        if p
    ]
    if SECRET_KEY and SECRET_KEY == OVERSIGHT_PSEUDONYM_KEY:
        _problems.append("OVERSIGHT_PSEUDONYM_KEY must differ from OVERSIGHT_SECRET_KEY")
    if OVERSIGHT_CHAIN_KEY and OVERSIGHT_CHAIN_KEY in (SECRET_KEY, OVERSIGHT_PSEUDONYM_KEY):
        _problems.append("OVERSIGHT_CHAIN_KEY must differ from the other keys")
    if DEBUG:
        _problems.append("OVERSIGHT_DEBUG=1 is for the demo only (OVERSIGHT_ENV=demo), never in production")
    if OVERSIGHT_DEMO_PASSWORD_ONLY:
        _problems.append(
            "OVERSIGHT_DEMO_PASSWORD_ONLY=1 lets the demo's logins skip the second factor: "
            "it is refused in production (OVERSIGHT_ENV=demo for the demo)"
        )
    if _problems:
        raise ImproperlyConfigured(
            "Oversight will not start in production: "
            + "; ".join(_problems)
            + ". See README.md, 'Running it for real' (or set OVERSIGHT_ENV=demo for a demo on this machine)."
        )

ALLOWED_HOSTS = [h for h in os.environ.get("OVERSIGHT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # thousands separators in sentences (intcomma)
    "django.contrib.postgres",  # full-text search on PostgreSQL (oversight.cases.search)
    "oversight.home",
    "oversight.cases",
    "ninja",  # the JSON API's OpenAPI page, served from its own static files
    "django_tasks_db",  # the database backend and worker for Django's tasks framework
    "oversight.publicdata",
    "oversight.oig",
    "oversight.discipline",
    "oversight.public",
    "oversight.cpc",
    "oversight.recommendations",
    "oversight.manual",
    "oversight.reports",
    "oversight.institutions",
    "oversight.contracts",
    "oversight.history",
    "oversight.accounts",
    "django_otp",  # the second factor: TOTP devices and their recovery codes (static devices)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",  # lockout after repeated failed sign-ins
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, in every setting (no proxy needed)
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "oversight.accounts.security.SessionLimitsMiddleware",
    "oversight.accounts.security.SecondFactorMiddleware",
    "oversight.accounts.security.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oversight.urls"
WSGI_APPLICATION = "oversight.wsgi.application"

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
                "django.template.context_processors.csp",
                "oversight.accounts.security.signin_state",
                "oversight.home.nav.nav",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'oversight.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Concurrent writers queue instead of failing with "database is locked": every transaction
    # takes the write lock when it begins (IMMEDIATE, so none fails on upgrading a read lock),
    # and waits up to 30 s for it; WAL lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
    }
else:
    # A test database of this run's own, so two runs on one server never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_oversight_{os.getpid()}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords people set themselves (the set-password link): Django's own checks.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("OVERSIGHT_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks there first
# WhiteNoise serves the apps' static files straight from their folders (no collectstatic needed;
# `oversight serve` collects them for compressed, cacheable copies).
WHITENOISE_USE_FINDERS = True

# --------------------------------------------------------------------------
# Security: HTTPS, cookies, the Content Security Policy, sessions, sign-in
# --------------------------------------------------------------------------

# Production sits behind a proxy that ends TLS and says so in X-Forwarded-Proto (set
# OVERSIGHT_PROXY_SSL_HEADER= to empty when the app itself is not behind one).
_proxy_header = os.environ.get("OVERSIGHT_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO" if PRODUCTION else "")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
# How many proxies in front add to X-Forwarded-For: the client's address for lockout and rate limits.
OVERSIGHT_TRUSTED_PROXIES = int(os.environ.get("OVERSIGHT_TRUSTED_PROXIES", "1" if PRODUCTION else "0"))
SECURE_SSL_REDIRECT = PRODUCTION
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION and _flag("OVERSIGHT_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("OVERSIGHT_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Django's own Content Security Policy: the site's scripts and styles only (the few inline
# blocks carry the request's nonce), no framing, forms post only here.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# A staff session ends after 30 minutes without a request, and 12 hours after sign-in
# whatever is done (oversight.accounts.security.SessionLimitsMiddleware); the cookie goes
# when the browser closes.
OVERSIGHT_SESSION_IDLE_SECONDS = 30 * 60
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGIN_URL = "/accounts/login/"
OTP_TOTP_ISSUER = "Oversight"  # the name authenticator apps show beside the code

# Sign-in: django-axes counts failures; 5 for one username (from anywhere), or from one address
# (for any username), lock it for 15 minutes. The lockout page says when to try again (429).
AUTHENTICATION_BACKENDS = [
    "oversight.accounts.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "oversight.accounts.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "oversight.accounts.security.axes_client_ip"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are recorded in oversight.accounts (SignInEvent)
AXES_VERBOSE = False

# Rate limits (requests per address per window), each with the page that says when to try again.
OVERSIGHT_RATE_LIMITS = {
    "complaint": (20, 60 * 60),  # complaints filed on the public form, an hour
    "tracking": (10, 60),  # tracking-code look-ups, a minute
    "hotline": (10, 60 * 60),  # hotline reports sent, an hour
    "hotline_code": (10, 60),  # hotline reply-code look-ups, a minute
}

# The rule profile the office runs under (a shipped name or a .toml path).
OVERSIGHT_PROFILE = os.environ.get("OVERSIGHT_PROFILE", "seattle")

# Public data (oversight.publicdata): the DuckDB store. OVERSIGHT_PSEUDONYM_KEY (above) turns
# officer IDs into pseudonyms (HMAC; keep it secret and keep it the same, or every pseudonym
# changes). The smallest group whose numbers are published is the profile's `publication.min_cell`.
OVERSIGHT_PUBLICDATA_DB = Path(os.environ.get("OVERSIGHT_PUBLICDATA_DB", DATA_DIR / "publicdata.duckdb"))

# OPA case management (oversight.cases): uploaded evidence, mail, the tasks queue, reminders.
MEDIA_ROOT = Path(os.environ.get("OVERSIGHT_MEDIA_ROOT", DATA_DIR / "media"))
DEFAULT_FROM_EMAIL = os.environ.get("OVERSIGHT_FROM_EMAIL", "opa-deadlines@oversight.example.org")
# Mail: in production through an SMTP server (OVERSIGHT_SMTP_HOST, _PORT, _USER, _PASSWORD,
# OVERSIGHT_SMTP_TLS=1 for STARTTLS); in the demo and the tests into files under the data folder.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_mail_backend = os.environ.get(
    "OVERSIGHT_MAIL_BACKEND", _SMTP if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend"
)
if _mail_backend == _SMTP:
    _mail_options: dict[str, object] = {
        "host": os.environ.get("OVERSIGHT_SMTP_HOST", "localhost"),
        "port": int(os.environ.get("OVERSIGHT_SMTP_PORT", "25")),
        "username": os.environ.get("OVERSIGHT_SMTP_USER", ""),
        "password": os.environ.get("OVERSIGHT_SMTP_PASSWORD", ""),
        "use_tls": _flag("OVERSIGHT_SMTP_TLS", False),
        "timeout": 30,
    }
elif _mail_backend.endswith("filebased.EmailBackend"):
    _mail_options = {"file_path": str(DATA_DIR / "mail")}
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Reminders go out this many days before a deadline, and on the day it passes (0).
OVERSIGHT_REMINDER_DAYS = [14, 3, 0]

# The public side (oversight.public): the address its emails link back to, and the limits on
# files the public may attach to a complaint.
OVERSIGHT_PUBLIC_BASE_URL = os.environ.get("OVERSIGHT_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
OVERSIGHT_PUBLIC_MAX_UPLOAD_BYTES = int(os.environ.get("OVERSIGHT_PUBLIC_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
OVERSIGHT_PUBLIC_MAX_UPLOAD_FILES = 5

# The append-only file the chain's checkpoints are written to (its key is set above).
OVERSIGHT_CHECKPOINT_FILE = Path(os.environ.get("OVERSIGHT_CHECKPOINT_FILE", DATA_DIR / "chain-checkpoints.jsonl"))

# Who read what (oversight.access): every showing of a sensitive part is recorded with the
# address it was asked from; behind a proxy that sets X-Forwarded-For, trust it with this.
MIDDLEWARE += ["oversight.access.ReadContextMiddleware"]
OVERSIGHT_TRUST_X_FORWARDED_FOR = os.environ.get("OVERSIGHT_TRUST_X_FORWARDED_FOR", "") == "1"

# Uploads (oversight.uploads): each file checked by what it is; staff evidence up to this size;
# an office document expanding past this many bytes or compressing more than this ratio is a zip
# bomb; ClamAV scans when installed ("off" to skip it); files at rest are encrypted with this
# Fernet key when it is set (keep it outside the database; without it stored files are plain).
OVERSIGHT_STAFF_MAX_UPLOAD_BYTES = int(os.environ.get("OVERSIGHT_STAFF_MAX_UPLOAD_BYTES", str(2 * 1024**3)))
OVERSIGHT_UPLOAD_MAX_EXPANDED_BYTES = 200 * 1024 * 1024
OVERSIGHT_UPLOAD_MAX_RATIO = 100
OVERSIGHT_UPLOAD_MAX_PIXELS = 80_000_000
OVERSIGHT_CLAMAV = os.environ.get("OVERSIGHT_CLAMAV", "auto")
OVERSIGHT_MEDIA_KEY = os.environ.get("OVERSIGHT_MEDIA_KEY", "")
