"""One rate limit for every public form of the platform.

Bots that get past a honeypot still must not flood an office's inbox, its event sign-ups
or the newsletter list. Each client may send a limited number of submissions per window
and scope; the client is identified by a keyed hash of its IP address, so the cache never
holds an address in clear text.

The counter lives in Django's default cache. In production that is a shared cache (Redis or
the database), so the limit holds across all workers. Behind the proxy every request comes
from the proxy's address: set ``CLIENT_IP_HEADER`` (``HTTP_X_REAL_IP`` with the shipped
nginx configuration, which sets that header itself) so that clients are told apart.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

#: Submissions a client may send per window, and the window in seconds (public forms).
DEFAULT_LIMIT = 5
DEFAULT_WINDOW = 10 * 60


def client_address(request):
    """The client's IP address: from the trusted proxy's header when configured."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    address = request.META.get(header, "") if header else ""
    return address.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "") or "unknown"


def client_key(request):
    """A stable, non-reversible key for the client that sent ``request``."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    )
    return digest.hexdigest()[:32]


def _key(request, scope):
    return f"ratelimit:{scope}:{client_key(request)}"


def hit(request, scope, limit=DEFAULT_LIMIT, window=DEFAULT_WINDOW):
    """Count one submission of this client; return False when it is over the limit."""
    key = _key(request, scope)
    # add() only sets the key if it is missing, so the window starts with the first hit.
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return True
    return count <= limit


def exhausted(request, scope, limit=DEFAULT_LIMIT):
    """Whether this client has used up its budget, without counting (for forms that count
    only submissions that went through)."""
    return cache.get(_key(request, scope), 0) >= limit
