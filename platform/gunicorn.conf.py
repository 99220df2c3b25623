# gunicorn configuration: gunicorn -c platform/gunicorn.conf.py config.wsgi
# Loaded by path, never imported: platform/ must not be a Python package (it would shadow
# the standard library module "platform").
#
# gthread with one process per core and two threads each: the fastest configuration
# measured here (benchmarks/reference.py --gunicorn, office home, wrk -c16, medians of
# interleaved rounds on this 2-core machine shared with other work). 29 Nov 2026, load
# average 11-19: gthread 2x2 37.8 req/s, sync 2 23.0, sync 3 20.5, sync 5 23.2, gthread
# 5x2 22.5. Again after the warm office home page lost its last database queries (load
# average 21-23, 2 rounds): gthread 2x2 21.4 req/s (p50 598 ms), sync 3 20.9, gthread 5x2
# 20.8 (but p99 2156 ms), sync 5 19.9, sync 2 19.4 -- the lead is now within the noise,
# but no other configuration beat it in any run. Why: a page is mostly CPU-bound Python,
# yet it still waits on Redis (the version reads) and PostgreSQL; a second thread lets a
# worker render while the other waits, and more processes than cores only contend for
# the same two CPUs (and multiply the per-process copies of the cached chrome, counts and
# vocabulary, which each process fills on its own). Issue #14 measured sync 17 % faster
# than gthread at the same process count on a quieter machine. Re-measure on the
# production host and set GUNICORN_WORKER_CLASS / GUNICORN_WORKERS / GUNICORN_THREADS
# accordingly.
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never takes a site down. Not too often:
# behind the page cache the application sees only uncached requests, and at 2,000 a busy
# worker was replaced every 12-18 s under load, each time mid-traffic (the stalls that
# scattered benchmarks/reference.py's figures: p99 over 1 s against under 61 ms without
# recycling).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "2000"))
# Load the application once in the master and fork the workers from it: a recycled worker
# starts at once (no import of Django, Wagtail and every app), and the imported code is
# shared copy-on-write. Loading touches no database or cache (no app queries in
# ``ready()``); ``pre_fork`` below still closes any connection the master might hold, so
# no worker ever shares a socket with another. (A deploy restarts gunicorn; HUP alone
# would not load new code with this setting.)
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# The proxy in front terminates TLS and sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# GUNICORN_ACCESS_LOG= (empty) turns the access log off, e.g. when nginx logs already.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Do not log client addresses: the access log only needs what went wrong (privacy by default).
access_log_format = '"%(r)s" %(s)s %(b)s %(L)ss "%({host}i)s"'
raw_env = ["DJANGO_SETTINGS_MODULE=config.settings.production"]


def pre_fork(server, worker):
    """Close the master's database and cache connections before forking (they are opened
    lazily, so normally there are none): a forked worker must open its own."""
    try:
        from django.core.cache import caches
        from django.db import connections
    except ImportError:  # the application is not loaded (preload off)
        return
    connections.close_all()
    caches.close_all()
