"""Entry point for gunicorn: ``gunicorn -c gunicorn.conf.py wsgi:app``."""

from maatjes import create_app

flask_app = create_app()

SECRET_PATHS = ("/calendar/", "/password/")


def app(environ, start_response):
    """The Flask app, with a path for the access log that leaves out secret tokens."""
    path = environ.get("PATH_INFO", "")
    for prefix in SECRET_PATHS:
        if path.startswith(prefix) and len(path) > len(prefix):
            path = prefix + "[token]"
    environ["maatjes.log_path"] = path
    return flask_app(environ, start_response)
