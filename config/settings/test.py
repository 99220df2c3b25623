"""Test run: fast hashing, in-memory mail, tasks run immediately, the database from
DATABASE_URL (SQLite by default, PostgreSQL in the second CI pass)."""

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
UNKNOWN_HOST_POLICY = "fallback"
WAGTAILADMIN_BASE_URL = "http://localhost"
