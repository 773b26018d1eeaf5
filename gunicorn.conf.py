"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Threaded workers (gthread): a slow client that holds half a request occupies one thread, not a
whole worker, so two slow phones cannot stop the app. Every value can be set from the
environment; the defaults suit a small server behind a proxy (nginx, Caddy) on the same host.
"""

import multiprocessing
import os

# create_app() refuses to start in production with the development secret, debug, or SQLite.
os.environ.setdefault("MAATJES_ENV", "production")

bind = os.environ.get("MAATJES_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("MAATJES_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "gthread"
threads = int(os.environ.get("MAATJES_THREADS", "8"))
# A request may take this long before the worker is restarted; a slow upload is not a request
# in progress for gthread until its headers are in, so it never blocks the others.
timeout = int(os.environ.get("MAATJES_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Limits on the request line and headers (the body is limited by MAATJES_MAX_CONTENT_LENGTH).
limit_request_line = 4094
limit_request_fields = 100
# The proxy's address; its X-Forwarded-* headers are trusted (see MAATJES_PROXY_COUNT too).
forwarded_allow_ips = os.environ.get("MAATJES_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The access log never holds query strings (search words), nor the calendar-feed and password
# tokens: wsgi.py puts the path with those cut off in the environ as "maatjes.log_path".
accesslog = os.environ.get("MAATJES_ACCESS_LOG", "-")
access_log_format = '%(h)s "%(m)s %({maatjes.log_path}e)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("MAATJES_LOG_LEVEL", "info")
