"""A version token in the shared cache, for caches that must never serve stale data.

Cached entries put the current version into their keys; a change replaces the version,
and every old entry is simply never read again (it expires). This is how the site chrome
(``sites.chrome``) and the directory's result counts (``directory.search``) stay correct
across processes without deleting keys one by one.

Two consequences make the uncached page fast (issue #14, measured with
``benchmarks/reference.py``):

* **A version is read once per request.** A page asked the shared cache for the chrome
  version about a dozen times (chrome, office, site, translation states, locale ids); each
  ask is a network round trip. Inside a request (``cache_scope``, opened by
  ``sites.middleware.CacheScopeMiddleware``) the first answer is kept; a replacement made
  by this request updates it, so an editor still sees their own change at once.
* **An entry under a version never changes**, so a process may keep its own copy
  (``versioned``): after the first request a worker needs no shared-cache read for it at
  all. The copy is kept pickled, as the shared cache keeps it, so every caller gets a
  fresh object it may change, and the number of copies is bounded (least recently used
  go first).
"""

import contextvars
import pickle
import threading
import uuid
from collections import OrderedDict
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction

_scope = contextvars.ContextVar("sites_cache_scope", default=None)
#: Inside ``coalesced_replacements``: {key: (CacheVersion, batch-local version)}.
_batch = contextvars.ContextVar("sites_cache_version_batch", default=None)


@contextmanager
def cache_scope():
    """Versions read inside this block are read from the shared cache only once."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


@contextmanager
def coalesced_replacements():
    """Replace each version at most once, at the end of the block, however many saves
    inside it asked for a new one (provisioning an office saves some hundred rows, each
    of which would otherwise write the shared cache and queue a commit hook). Inside the
    block a replaced version reads as a fresh version known to this block only, so what
    the block itself builds from its uncommitted rows is never shared."""
    if _batch.get() is not None:
        yield
        return
    batch = {}
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    for version, _local in batch.values():
        version.replace()


class CacheVersion:
    """The version stored under ``key`` in the default cache."""

    def __init__(self, key):
        self.key = key

    def current(self):
        """The version all processes agree on (created on first use)."""
        batch = _batch.get()
        if batch is not None and self.key in batch:
            return batch[self.key][1]
        memo = _scope.get()
        if memo is not None and self.key in memo:
            return memo[self.key]
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, uuid.uuid4().hex, None)
            version = cache.get(self.key)
        if memo is not None:
            memo[self.key] = version
        return version

    def replace(self):
        """A new version now, so that the editor's next page already sees the change, and
        once more when the transaction commits, so that an entry another request cached
        in between (from the rows as they were before the commit) is not kept either."""
        batch = _batch.get()
        if batch is not None:
            batch[self.key] = (self, uuid.uuid4().hex)
            return
        self._new()
        transaction.on_commit(self._new)

    def _new(self):
        version = uuid.uuid4().hex
        cache.set(self.key, version, None)
        memo = _scope.get()
        if memo is not None:
            memo[self.key] = version


def prefetch(*versions):
    """Read several versions in one round trip to the shared cache (into the request's
    scope; a version not yet created is left to ``current``)."""
    memo = _scope.get()
    if memo is None:
        return
    missing = [version.key for version in versions if version.key not in memo]
    if len(missing) < 2:
        return
    memo.update(cache.get_many(missing))


class LocalCopies:
    """This process's copies of shared-cache entries whose keys carry a version, pickled,
    at most ``size`` of them (least recently used are dropped)."""

    def __init__(self, size=4096):
        self.size = size
        self._data = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            blob = self._data.get(key)
            if blob is None:
                return None
            self._data.move_to_end(key)
        return pickle.loads(blob)

    def put(self, key, value):
        blob = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._data[key] = blob
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self):
        with self._lock:
            self._data.clear()


LOCAL = LocalCopies()


def versioned(key, build, timeout, fresh=None):
    """The value under ``key`` (which must contain a version): this process's copy, else
    the shared cache's, else ``build()`` stored in both. ``None`` is never stored, so a
    build that finds nothing is asked again next time. ``fresh(value)``, if given, may
    declare a stored value outdated by time alone (the next events once one has ended):
    it is then built again and replaces the stored one."""
    value = LOCAL.get(key)
    if value is not None and (fresh is None or fresh(value)):
        return value
    value = cache.get(key)
    if value is not None and fresh is not None and not fresh(value):
        value = None
    if value is None:
        value = build()
        if value is None:
            return None
        cache.set(key, value, timeout)
    LOCAL.put(key, value)
    return value
