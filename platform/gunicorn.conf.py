# gunicorn configuration: gunicorn -c platform/gunicorn.conf.py config.wsgi
# Loaded by path, never imported: platform/ must not be a Python package (it would shadow
# the standard library module "platform").
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never takes a site down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The proxy in front terminates TLS and sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Do not log client addresses: the access log only needs what went wrong (privacy by default).
access_log_format = '"%(r)s" %(s)s %(b)s %(L)ss "%({host}i)s"'
raw_env = ["DJANGO_SETTINGS_MODULE=config.settings.production"]
