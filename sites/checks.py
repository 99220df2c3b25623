"""System checks of the production configuration (run by ``manage.py check --deploy``).

Django's own ``security.W009`` accepts any key of 50 characters with five different ones,
so the placeholder of ``platform/env.example`` (long, and plainly not random) passes it. A
copied example file with that value would sign sessions, password-reset links and the
newsletter's unsubscribe tokens with a key that is public in this repository. This check
refuses it, anything else that starts with "change-me", and keys too short or too uniform
to be random, as an error, so ``check --deploy`` fails (CI proves it both ways).
"""

import math
from collections import Counter

from django.conf import settings
from django.core.checks import Error, Tags, register

#: A key of Django's ``get_random_secret_key`` (50 characters) scores about 240 estimated
#: bits, 50 hex digits about 195; these floors admit such generators, not repeated text.
MIN_LENGTH = 50
MIN_DISTINCT = 16
MIN_BITS = 180

#: Values that are public: the example file's and the development default.
PLACEHOLDER_PREFIXES = ("change-me", "changeme", "dev-only-insecure", "django-insecure")


def example_placeholder():
    """The DJANGO_SECRET_KEY of ``platform/env.example``, if the file is there."""
    path = settings.BASE_DIR / "platform" / "env.example"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith("DJANGO_SECRET_KEY="):
            return line.split("=", 1)[1].strip().strip("\"'")
    return None


def estimated_bits(key):
    """Shannon entropy of the key's own characters times its length: a rough floor-check
    that catches repeated or word-like keys, not a proof of randomness."""
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return per_char * len(key)


def weakness(key):
    """Why ``key`` must not be used in production, or None."""
    if not isinstance(key, str) or not key:
        return "it is empty"
    if key == example_placeholder():
        return "it is the placeholder of platform/env.example"
    if key.lower().startswith(PLACEHOLDER_PREFIXES):
        return "it is a placeholder"
    if len(key) < MIN_LENGTH:
        return f"it has fewer than {MIN_LENGTH} characters"
    if len(set(key)) < MIN_DISTINCT or estimated_bits(key) < MIN_BITS:
        return "it is not random enough"
    return None


@register(Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    errors = []
    keys = [("SECRET_KEY", settings.SECRET_KEY)]
    keys += [
        (f"SECRET_KEY_FALLBACKS[{i}]", key)
        for i, key in enumerate(getattr(settings, "SECRET_KEY_FALLBACKS", []))
    ]
    for name, key in keys:
        reason = weakness(key)
        if reason:
            errors.append(
                Error(
                    f"{name} must not be used in production: {reason}.",
                    hint="Set DJANGO_SECRET_KEY to the output of: python -c 'from "
                    "django.core.management.utils import get_random_secret_key as g; "
                    "print(g())'",
                    id="sites.E001",
                )
            )
    return errors
