# gunicorn configuration: gunicorn -c platform/gunicorn.conf.py config.wsgi
# Loaded by path, never imported: platform/ must not be a Python package (it would shadow
# the standard library module "platform").
#
# gthread with one process per core and two threads each: the fastest configuration
# measured here (benchmarks/reference.py --gunicorn, office home, wrk -c16, medians of
# interleaved rounds on this 2-core machine, 29 Nov 2026): gthread 2x2 37.8 req/s, sync 2
# 23.0, sync 3 20.5, sync 5 23.2, gthread 5x2 22.5. A page is mostly CPU-bound Python, but
# it still waits on PostgreSQL and Redis; a second thread lets a worker render while the
# other waits, and more processes than cores only contend for the same CPUs (and multiply
# per-process caches). The machine was heavily loaded by other work (load average > 10),
# which lengthens those waits; issue #14 measured sync 17 % faster than gthread at the same
# process count on a quieter machine. Re-measure on the production host and set
# GUNICORN_WORKER_CLASS / GUNICORN_WORKERS / GUNICORN_THREADS accordingly.
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never takes a site down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The proxy in front terminates TLS and sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# GUNICORN_ACCESS_LOG= (empty) turns the access log off, e.g. when nginx logs already.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Do not log client addresses: the access log only needs what went wrong (privacy by default).
access_log_format = '"%(r)s" %(s)s %(b)s %(L)ss "%({host}i)s"'
raw_env = ["DJANGO_SETTINGS_MODULE=config.settings.production"]
