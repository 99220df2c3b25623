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

# The test database on SQLite is an in-memory database in shared-cache mode, which the
# browser tests' live-server thread shares. There, a BEGIN IMMEDIATE locks tables for the
# other connection at once ("database table is locked": shared-cache locks ignore the busy
# timeout), so tests keep SQLite's deferred transactions. The immediate mode of the
# embedded default is tested with real processes on a file (tests/sites/
# test_embedded_default.py).
DATABASES["default"].get("OPTIONS", {}).pop("transaction_mode", None)  # noqa: F405
