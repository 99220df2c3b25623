"""A small fixed-window rate limit for public form submissions.

Bots that get past the honeypot still must not flood an office's inbox. Each client may
send a limited number of submissions per window; the client is identified by a keyed hash
of its IP address, so the cache never holds an IP address in clear text.

The counter lives in Django's default cache. In production that is a shared cache (Redis or
the database), so the limit holds across all workers.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

#: Submissions a client may send per window, and the window in seconds.
DEFAULT_LIMIT = 5
DEFAULT_WINDOW = 10 * 60


def _limits():
    return (
        getattr(settings, "FORM_RATE_LIMIT", DEFAULT_LIMIT),
        getattr(settings, "FORM_RATE_WINDOW", DEFAULT_WINDOW),
    )


def client_key(request):
    """A stable, non-reversible key for the client that sent ``request``."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def hit(request, scope="forms"):
    """Count one submission of this client; return False when it is over the limit."""
    limit, window = _limits()
    key = f"ratelimit:{scope}:{client_key(request)}"
    # add() only sets the key if it is missing, so the window starts with the first hit.
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return True
    return count <= limit
