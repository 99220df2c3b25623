"""A version token in the shared cache, for caches that must never serve stale data.

Cached entries put the current version into their keys; a change replaces the version,
and every old entry is simply never read again (it expires). This is how the site chrome
(``sites.chrome``) and the directory's result counts (``directory.search``) stay correct
across processes without deleting keys one by one.
"""

import uuid

from django.core.cache import cache
from django.db import transaction


class CacheVersion:
    """The version stored under ``key`` in the default cache."""

    def __init__(self, key):
        self.key = key

    def current(self):
        """The version all processes agree on (created on first use)."""
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, uuid.uuid4().hex, None)
            version = cache.get(self.key)
        return version

    def replace(self):
        """A new version now, so that the editor's next page already sees the change, and
        once more when the transaction commits, so that an entry another request cached
        in between (from the rows as they were before the commit) is not kept either."""
        self._new()
        transaction.on_commit(self._new)

    def _new(self):
        cache.set(self.key, uuid.uuid4().hex, None)
