"""Settings shared by every environment.

The embedded default (SQLite, Wagtail's database search backend, local-memory cache) lets the
README's two commands run on a machine with nothing but Python. Production overrides all
of it from the environment in ``production.py``.
"""

import os
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from config.database import database_config
from config.search import database_backend

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = False
ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1", "[::1]", "testserver"]

INSTALLED_APPS = [
    # Our apps first, so that their templates override Wagtail's where they mean to.
    "sites",
    "home",
    "events",
    "directory",
    "newsletter",
    "wagtail_localize",
    "wagtail.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail.api.v2",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
]

MIDDLEWARE = [
    # First: every cache version is read once per request (sites.cache_version).
    "sites.middleware.CacheScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise and the host check, so that every response carries both headers.
    "sites.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "sites.security.RejectControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside sessions, CSRF and auth: it sees the cookies they set (sites.http_cache).
    "sites.http_cache.CacheControlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sites.middleware.UnknownHostMiddleware",
    # Django's, without the false "Vary: Accept-Language" (see sites.http_cache).
    "sites.http_cache.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "sites.side_doors.SideDoorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite gets WAL, immediate transactions and a busy timeout (see config.database), so
# that the server and the task worker can share the file of the embedded default.
DATABASES = {
    "default": database_config(
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Security headers (sites/security.py says why the admin has a policy of its own) -----
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The office's brand colour is one inline <style>, admitted by its hash
        # ({% brand_style %} adds it to the response's policy).
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # Wagtail renders inline <script>s (date/time widgets, inline panels, the
        # translation editor of wagtail-localize) and inline style attributes.
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # The page editor's preview panel frames the admin's own preview view.
        "frame-ancestors": [SELF],
    }
}
# Features no page of the platform uses are switched off for it and anything it frames.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- Languages -------------------------------------------------------------------------
# German is the source language of all content and of the admin. The content languages
# are those of the people Berlin's district offices serve; each site offers its own choice
# of them (``Office.languages``, see ``sites.languages``). Leichte Sprache (easy-to-read
# German) has no registered subtag: ``de-x-ls`` is German with a private-use subtag, valid
# in ``lang`` attributes and read with a German voice by screen readers.
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("Deutsch")),
    ("en", _("Englisch")),
    ("tr", _("Türkisch")),
    ("ar", _("Arabisch")),
    ("uk", _("Ukrainisch")),
    ("ru", _("Russisch")),
    ("de-x-ls", _("Leichte Sprache")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The admin stays German and English: the offices' staff work in German.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
# Every office works in Berlin time, and mails and exports say Berlin time: the admin offers
# no other time zone (Wagtail hides the choice when there is only one).
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Wagtail ---------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Selbsthilfe-Kontaktstellen"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# mp4/webm: the video in Gebärdensprache (BITV 2.0 § 4) is a document played from this server.
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "key",
    "mp4",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "webm",
    "xlsx",
    "zip",
]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No request to a third-party host, not even from the admin: no Gravatar avatars.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {"default": database_backend()}

# --- Background tasks (Wagtail's task framework, django-tasks) -------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Cache -----------------------------------------------------------------------------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- HTTP cache in front of the platform (sites.http_cache, sites.frontend_cache) ------
# How long the shared cache (Varnish, platform/varnish.vcl) may keep a public page at
# most; edits purge at once, this only bounds what changes by the clock.
HTTP_CACHE_SECONDS = int(os.environ.get("HTTP_CACHE_SECONDS", "300"))
# The cache's own address: every change bans what shows it there, when it commits.
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "")
if FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "sites.frontend_cache.VarnishBackend",
            "LOCATION": FRONTEND_CACHE_URL,
        }
    }

# --- E-mail ----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Selbsthilfe <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
# "Date: ... +0100" in local time instead of "-0000" (zone unknown), for Wagtail's own
# notification mails too (ours set it explicitly, see sites/mail.py).
EMAIL_USE_LOCALTIME = True
# The admin's password-reset mail with the same headers and link scheme as our other mails.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "sites.password_reset.AutomaticPasswordResetForm"
# Scheme of the links in mails (unsubscribe, confirmation, pages, images). Sites are often
# registered on port 80 behind a TLS proxy, which makes ``Site.root_url`` http; links in mails
# must be https (RFC 8058 requires it for List-Unsubscribe). dev.py sets "http", because
# runserver speaks no TLS; tests keep "https" to check what production sends.
PUBLIC_URL_SCHEME = os.environ.get("PUBLIC_URL_SCHEME", "https")

# --- Tenancy ---------------------------------------------------------------------------
# What a request for a hostname that belongs to no office gets. "fallback" is Wagtail's
# behaviour (serve the default site) and is only acceptable on a developer machine;
# production sets "reject" so that no office is ever shown under a foreign name.
UNKNOWN_HOST_POLICY = "fallback"
# The Bundesland (ISO 3166-2:DE code) whose public holidays close a new office; each
# office can change it in its profile.
OFFICE_DEFAULT_STATE = os.environ.get("OFFICE_DEFAULT_STATE", "BE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- Directory (directory app) --------------------------------------------------------
# The federal state the network works in: HSDS addresses require "state_province".
DIRECTORY_STATE_PROVINCE = os.environ.get("DIRECTORY_STATE_PROVINCE", "Berlin")

# --- Newsletter (newsletter app) -------------------------------------------------------
# Messages per second the sender hands to the SMTP server (0: no limit). Keep it below
# what the relay allows; large mailbox providers throttle bursts from new senders.
NEWSLETTER_RATE_LIMIT = float(os.environ.get("NEWSLETTER_RATE_LIMIT", "10"))
# Temporary SMTP failures are retried after 60 s, 120 s, 240 s, ... up to this many tries.
NEWSLETTER_MAX_ATTEMPTS = 5
NEWSLETTER_RETRY_BASE_SECONDS = 60
# A worker holds a dispatch for this long and renews it while sending; a crashed
# worker's dispatch can be resumed once it has run out.
NEWSLETTER_LEASE_SECONDS = 120
# Confirmation links expire after seven days.
NEWSLETTER_CONFIRM_MAX_AGE = 7 * 24 * 3600
# Sign-ups per IP address (kept only as a keyed hash in the cache) and window in seconds.
NEWSLETTER_SIGNUP_RATE = (10, 3600)
# PostgreSQL: per-message "sent" commits without waiting for the WAL flush (see
# newsletter.sending._async_commit for what that risks: only on a database-server crash,
# a repeat of the last few messages, never a skipped recipient).
NEWSLETTER_ASYNC_COMMIT = True
# Domain of Message-IDs; default: the host name of the sending office's site.
NEWSLETTER_MESSAGE_ID_DOMAIN = os.environ.get("NEWSLETTER_MESSAGE_ID_DOMAIN") or None
