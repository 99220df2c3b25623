"""The database connection, built from ``DATABASE_URL`` with SQLite made fit for the
embedded default.

Out of the box SQLite lets a writer wait for nobody: a second process that wants to write
while the task worker (``db_worker``) commits gets "database is locked" at once, and a
transaction that started by reading cannot upgrade to a write while another writer holds
the lock, however long it waited. The server and the worker share one file in the quick
start, so without the options below publishing a page or saving an event fails with a 500
now and then and the edit is lost. With them:

- WAL journal: readers never block the writer and the writer never blocks readers;
- ``synchronous=NORMAL``: safe with WAL (a power cut can lose the last commits, never
  corrupt the file) and much faster than FULL;
- ``BEGIN IMMEDIATE`` for every transaction: a transaction takes the write lock when it
  starts, so it waits for the lock (the busy timeout below) instead of failing half-way;
- a busy timeout of 20 seconds, far longer than any of our transactions.

PostgreSQL needs none of this and gets the URL's settings unchanged.
"""

import dj_database_url

#: Seconds a connection waits for SQLite's write lock before giving up.
SQLITE_BUSY_TIMEOUT = 20

SQLITE_PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"


def database_config(default_url, conn_max_age=0, url=None):
    """The ``DATABASES["default"]`` entry for ``url`` (or ``DATABASE_URL``)."""
    if url is None:
        config = dj_database_url.config(default=default_url, conn_max_age=conn_max_age)
    else:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        options = config.setdefault("OPTIONS", {})
        options.setdefault("init_command", SQLITE_PRAGMAS)
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", SQLITE_BUSY_TIMEOUT)
    return config
