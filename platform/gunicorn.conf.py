# gunicorn configuration: gunicorn -c platform/gunicorn.conf.py config.wsgi
# Loaded by path, never imported: platform/ must not be a Python package (it would shadow
# the standard library module "platform").
#
# Sync workers, not gthread: a request here is CPU-bound Python (template rendering, model
# instances) with a few short waits on PostgreSQL and Redis on the same host, and nginx in
# front buffers slow clients, so threads inside a worker only take turns on the GIL and
# add a queue and a thread switch per request. Measured on this 2-core machine with
# benchmarks/reference.py (wrk, 127.0.0.1, medians of interleaved rounds), see README.md:
# gthread was slower than sync at the same number of processes (the issue #14 measurement:
# 17 %), and more sync workers than cores + 1 only share the same CPUs.
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
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
