"""Django settings. The database comes from DATABASE_URL (default: embedded SQLite)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("OVERSIGHT_DATA_DIR", Path.cwd() / "var"))

SECRET_KEY = os.environ.get("OVERSIGHT_SECRET_KEY", "dev-only-not-secret-change-me-in-production")
DEBUG = os.environ.get("OVERSIGHT_DEBUG", "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("OVERSIGHT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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
    "oversight.reports",
    "oversight.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

# The rule profile the office runs under (a shipped name or a .toml path).
OVERSIGHT_PROFILE = os.environ.get("OVERSIGHT_PROFILE", "seattle")

# Public data (oversight.publicdata): the DuckDB store, and the key that turns officer IDs into
# pseudonyms (HMAC; keep it secret and keep it the same, or every pseudonym changes). The
# smallest group whose numbers are published is the profile's `publication.min_cell`.
OVERSIGHT_PUBLICDATA_DB = Path(os.environ.get("OVERSIGHT_PUBLICDATA_DB", DATA_DIR / "publicdata.duckdb"))
OVERSIGHT_PSEUDONYM_KEY = os.environ.get("OVERSIGHT_PSEUDONYM_KEY", "")

# OPA case management (oversight.cases): uploaded evidence, mail, the tasks queue, reminders.
MEDIA_ROOT = Path(os.environ.get("OVERSIGHT_MEDIA_ROOT", DATA_DIR / "media"))
DEFAULT_FROM_EMAIL = os.environ.get("OVERSIGHT_FROM_EMAIL", "opa-deadlines@oversight.example.org")
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("OVERSIGHT_MAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"),
        "OPTIONS": {"file_path": str(DATA_DIR / "mail")} if not os.environ.get("OVERSIGHT_MAIL_BACKEND") else {},
    }
}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Reminders go out this many days before a deadline, and on the day it passes (0).
OVERSIGHT_REMINDER_DAYS = [14, 3, 0]

# The public side (oversight.public): the address its emails link back to, and the limits on
# files the public may attach to a complaint.
OVERSIGHT_PUBLIC_BASE_URL = os.environ.get("OVERSIGHT_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
OVERSIGHT_PUBLIC_MAX_UPLOAD_BYTES = int(os.environ.get("OVERSIGHT_PUBLIC_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
OVERSIGHT_PUBLIC_MAX_UPLOAD_FILES = 5
