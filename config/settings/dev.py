"""Developer machine: the embedded default, debug on, mails printed to the console."""

from .base import *  # noqa: F403

DEBUG = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
INTERNAL_IPS = ["127.0.0.1"]
# Links in mails printed to the console open on runserver, which speaks no TLS.
PUBLIC_URL_SCHEME = "http"
