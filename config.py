"""Configuration, read from the environment (prefix ``MAATJES_``).

Every setting has a safe development default so that ``make run`` needs nothing else.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEVELOPMENT_SECRET_KEY = "dev-only-change-me"


class Config:
    # "production" (gunicorn.conf.py sets it) refuses unsafe settings at start; else "development".
    ENV_NAME = os.environ.get("MAATJES_ENV", "development")
    SECRET_KEY = os.environ.get("MAATJES_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    ALLOW_SQLITE_IN_PRODUCTION = _bool("MAATJES_ALLOW_SQLITE_IN_PRODUCTION", False)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "MAATJES_DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'maatjes.db'}"
    )
    # hide_parameters: a database error in a log never carries the values (names, notes).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    # Host names the app answers to (comma-separated); empty: any (the proxy checks).
    TRUSTED_HOSTS = [
        h.strip() for h in os.environ.get("MAATJES_TRUSTED_HOSTS", "").split(",") if h.strip()
    ] or None
    # Requests larger than this are refused with 413 (no form needs more).
    MAX_CONTENT_LENGTH = int(os.environ.get("MAATJES_MAX_CONTENT_LENGTH", 256 * 1024))
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")
    TIMEZONE = "Europe/Amsterdam"
    BOOTSTRAP_SERVE_LOCAL = True
    # Where the fingerprinted, compressed static files are built at start (maatjes/static_build.py);
    # empty: instance/static-build (a folder of the app's own, made private).
    STATIC_BUILD_DIR = os.environ.get("MAATJES_STATIC_BUILD_DIR", "")
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("MAATJES_SECURE_COOKIES", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Number of proxies in front of gunicorn whose X-Forwarded-* headers we trust.
    PROXY_COUNT = int(os.environ.get("MAATJES_PROXY_COUNT", "0"))
    # Validity of a one-time "set your password" link.
    PASSWORD_LINK_HOURS = int(os.environ.get("MAATJES_PASSWORD_LINK_HOURS", "72"))
    # "Forgot password" e-mails per client address (Flask-Limiter syntax).
    RESET_MAIL_LIMIT = os.environ.get("MAATJES_RESET_MAIL_LIMIT", "5 per 15 minutes")
    # Where the app is reached, for links in e-mails and the calendar feed.
    PUBLIC_URL = os.environ.get("MAATJES_PUBLIC_URL", "http://127.0.0.1:5000")
    # A VOG (certificate of conduct) is asked anew after this many days.
    VOG_VALID_DAYS = int(os.environ.get("MAATJES_VOG_VALID_DAYS", str(3 * 365)))
    CENTRAL_TRAININGS_TARGET = int(os.environ.get("MAATJES_CENTRAL_TRAININGS_TARGET", "4"))
    # E-mail; without a host notifications stay in the app.
    SMTP_HOST = os.environ.get("MAATJES_SMTP_HOST", "")
    SMTP_PORT = os.environ.get("MAATJES_SMTP_PORT", "")
    SMTP_SECURITY = os.environ.get("MAATJES_SMTP_SECURITY", "starttls")  # starttls | ssl | none
    SMTP_USERNAME = os.environ.get("MAATJES_SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("MAATJES_SMTP_PASSWORD", "")
    # Personal data of a resident is erased this many months after their support ended.
    RETENTION_MONTHS = int(os.environ.get("MAATJES_RETENTION_MONTHS", "12"))
    # Sessions end after this many minutes without a request (staff: admin, lead, buurtteam,
    # Linking Pin; volunteers are on a phone of their own and get longer).
    IDLE_MINUTES_STAFF = int(os.environ.get("MAATJES_IDLE_MINUTES_STAFF", "30"))
    IDLE_MINUTES = int(os.environ.get("MAATJES_IDLE_MINUTES", "120"))
    # Redis for the per-IP login limits, shared by every worker; empty: memory of each worker.
    REDIS_URL = os.environ.get("MAATJES_REDIS_URL", "")
    # Failed logins from one address (counted only when they fail) before a pause.
    LOGIN_LIMIT = os.environ.get("MAATJES_LOGIN_LIMIT", "30 per 10 minutes")
    # Two-factor login is required for admin, lead, buurtteam and Linking Pin accounts.
    TWO_FACTOR_REQUIRED = _bool("MAATJES_TWO_FACTOR_REQUIRED", True)
    # Demo mode (set by `make run`): the demo accounts log in with the password alone.
    DEMO_MODE = _bool("MAATJES_DEMO_MODE", False)
    SMTP_SENDER = os.environ.get("MAATJES_SMTP_SENDER", "Money Maatjes <noreply@localhost>")
