"""Entry point for gunicorn: ``gunicorn -c gunicorn.conf.py wsgi:app``."""

import gc

from maatjes import create_app

flask_app = create_app()
# What is loaded now (the app, SQLAlchemy's mappers, Babel's locale data, the modules) lives as
# long as the worker: moved out of the garbage collector's reach, the collector's full passes no
# longer walk it. Measured on the dashboard at the large size, those passes added ~90 ms to
# one request in ten (p95 251 -> 186 ms). The usual advice for long-lived forking servers.
gc.freeze()

SECRET_PATHS = ("/calendar/", "/password/")


def app(environ, start_response):
    """The Flask app, with a path for the access log that leaves out secret tokens."""
    path = environ.get("PATH_INFO", "")
    for prefix in SECRET_PATHS:
        if path.startswith(prefix) and len(path) > len(prefix):
            path = prefix + "[token]"
    environ["maatjes.log_path"] = path
    return flask_app(environ, start_response)
