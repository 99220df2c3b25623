"""Production: everything that differs between installations comes from the environment.

See ``platform/env.example`` for every variable and ``platform/RUNBOOK.md`` for the setup.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from config.storage import object_storage

from .base import *  # noqa: F403
from .base import ADMIN_CONTENT_SECURITY_POLICY, BASE_DIR, CONTENT_SECURITY_POLICY, DATABASES


def env(name, default=None, required=False):
    value = os.environ.get(name, default)
    if required and not value:
        raise ImproperlyConfigured(f"Environment variable {name} must be set in production.")
    return value


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the office domains.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# A hostname that is not a Site gets a 404 page of its own, never another office's site.
UNKNOWN_HOST_POLICY = "reject"

DATABASES["default"]["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- Search ----------------------------------------------------------------------------
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
if ELASTICSEARCH_URL:
    from config.search import elasticsearch_backend

    WAGTAILSEARCH_BACKENDS = {
        "default": elasticsearch_backend(ELASTICSEARCH_URL, env("ELASTICSEARCH_INDEX_PREFIX", ""))
    }
else:
    from config.search import database_backend

    WAGTAILSEARCH_BACKENDS = {"default": database_backend()}

# --- Cache: shared between all gunicorn workers (Wagtail caches site root paths) -----
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.PooledRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "selbsthilfe"),
        }
    }
else:
    # Still shared between processes; needs `manage.py createcachetable` once.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }

# --- E-mail ----------------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", "false").lower() == "true"
EMAIL_USE_SSL = env("EMAIL_USE_SSL", "false").lower() == "true"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", required=True)
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", required=True)

# --- Files -----------------------------------------------------------------------------
STATIC_ROOT = env("STATIC_ROOT", str(BASE_DIR / "var" / "static"))
MEDIA_ROOT = env("MEDIA_ROOT", str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# More than one application server: images and documents in S3-compatible object storage
# (config/storage.py says how the bucket is divided and why).
MEDIA_STORAGE = object_storage(os.environ)
if MEDIA_STORAGE:
    STORAGES.update(MEDIA_STORAGE.storages)
    globals().update(MEDIA_STORAGE.settings)
    for _policy in (CONTENT_SECURITY_POLICY, ADMIN_CONTENT_SECURITY_POLICY):
        _policy["DIRECTIVES"]["img-src"] = [
            *_policy["DIRECTIVES"]["img-src"],
            MEDIA_STORAGE.public_origin,
        ]

# --- HTTPS behind the proxy -------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxy sets X-Real-IP itself (platform/nginx.conf); the form rate limits read it.
CLIENT_IP_HEADER = env("DJANGO_CLIENT_IP_HEADER", "HTTP_X_REAL_IP")
SECURE_SSL_REDIRECT = env("DJANGO_SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env("DJANGO_SECURE_HSTS_PRELOAD", "false").lower() == "true"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
