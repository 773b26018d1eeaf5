"""Money Maatjes: volunteer matching and casework for the Social Pact Zuidoost."""

import logging
import sqlite3
from typing import Any

from flask import Flask, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides settings (tests pass a database URL)."""
    from config import Config

    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(Config)
    if config:
        app.config.update(config)

    check_production_settings(app)
    _prepare_sqlite_path(app)
    register_transaction_mode(app)
    register_extensions(app)
    register_blueprints(app)
    register_static_files(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)

    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    logging.getLogger("maatjes").setLevel(logging.INFO)
    return app


def register_transaction_mode(app: Flask) -> None:
    """First thing in every request: does it only read? (SQLite begins accordingly.)"""
    from maatjes import sqlite_locking

    strict = bool(app.config.get("SQLITE_STRICT_READS", app.config.get("TESTING")))

    @app.before_request
    def choose_transaction_mode():
        sqlite_locking.start_request(request.method, strict=strict)

    @app.teardown_request
    def reset_transaction_mode(_error=None):
        sqlite_locking.end_request()


class UnsafeSettings(RuntimeError):
    """Production was asked for with settings that are only fit for a developer's machine."""


def check_production_settings(app: Flask) -> None:
    """In production (MAATJES_ENV=production, set by gunicorn.conf.py) refuse to start with the
    development secret key, with debug on, or on SQLite unless that is explicitly allowed."""
    from sqlalchemy.engine import make_url

    if app.config.get("ENV_NAME") != "production":
        return
    problems = []
    from config import DEVELOPMENT_SECRET_KEY

    key = app.config.get("SECRET_KEY") or ""
    if key == DEVELOPMENT_SECRET_KEY or len(key) < 32:
        problems.append("set MAATJES_SECRET_KEY to a long random value (32+ characters)")
    if app.debug or app.config.get("DEBUG"):
        problems.append("switch debug off (FLASK_DEBUG)")
    backend = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    if app.config.get("DEMO_MODE"):
        problems.append("switch demo mode off (MAATJES_DEMO_MODE): its accounts skip two-factor")
    if backend == "sqlite" and not app.config.get("ALLOW_SQLITE_IN_PRODUCTION"):
        problems.append(
            "use PostgreSQL (MAATJES_DATABASE_URL), or set MAATJES_ALLOW_SQLITE_IN_PRODUCTION=1"
        )
    if problems:
        raise UnsafeSettings("Refusing to start in production: " + "; ".join(problems) + ".")


def _prepare_sqlite_path(app: Flask) -> None:
    from pathlib import Path

    from sqlalchemy.engine import make_url

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        # We issue BEGIN ourselves (see _on_begin); pysqlite's own handling defers it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()


# How transactions begin on SQLite (IMMEDIATE for writers, a plain BEGIN for read-only
# requests): see maatjes/sqlite_locking.py.
import maatjes.sqlite_locking  # noqa: E402, F401


def register_extensions(app: Flask) -> None:
    from maatjes.extensions import babel, bootstrap, csrf, db, login_manager, migrate

    db.init_app(app)
    import maatjes.domain.audit  # noqa: F401  (its session listeners audit every write)
    import maatjes.domain.search  # noqa: F401  (keeps every record's search text current)

    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Amsterdam")
    from maatjes import translating

    translating.install(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to open this page.")

    @login_manager.user_loader
    def load_user(session_id: str):
        """The session holds "user id:session version"; an old version is an ended session."""
        from maatjes.domain.sessions import user_for_session_id

        return user_for_session_id(db.session, session_id)

    from maatjes.extensions import limiter

    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    # Redis down: count in this worker's memory meanwhile, never refuse a login for it (the
    # per-account lock in the database still holds).
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    limiter.init_app(app)


def select_locale() -> str:
    """The language chosen in this session, else the user's, else the browser's, else Dutch."""
    supported = ("nl", "en")
    if not has_request_context():
        return "nl"
    chosen = session.get("locale")
    if chosen in supported:
        return chosen
    user = _loaded_user()
    if user is not None and user.locale in supported:
        return user.locale
    return request.accept_languages.best_match(supported) or "nl"


def _loaded_user():
    """The logged-in user if already loaded for this request; never loads it (the 503 page must
    render without the database)."""
    from flask import g

    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def register_blueprints(app: Flask) -> None:
    from maatjes.blueprints.fields import DatabaseIdConverter

    # Before any rule is added: every <int:...> in a URL is a database id that fits INTEGER.
    app.url_map.converters["int"] = DatabaseIdConverter
    from maatjes.blueprints.activities.views import bp as activities_bp
    from maatjes.blueprints.areas.views import bp as areas_bp
    from maatjes.blueprints.audit.views import bp as audit_bp
    from maatjes.blueprints.auth.views import bp as auth_bp
    from maatjes.blueprints.cockpit.views import bp as cockpit_bp
    from maatjes.blueprints.handovers.views import bp as handovers_bp
    from maatjes.blueprints.hsds.views import bp as hsds_bp
    from maatjes.blueprints.lead.views import bp as lead_bp
    from maatjes.blueprints.main.views import bp as main_bp
    from maatjes.blueprints.matches.views import bp as matches_bp
    from maatjes.blueprints.meetings.views import bp as meetings_bp
    from maatjes.blueprints.notifications.views import bp as notifications_bp
    from maatjes.blueprints.organisations.views import bp as organisations_bp
    from maatjes.blueprints.people.views import bp as people_bp
    from maatjes.blueprints.projects.views import bp as projects_bp
    from maatjes.blueprints.registry.views import bp as registry_bp
    from maatjes.blueprints.residents.views import bp as residents_bp
    from maatjes.blueprints.social_map.views import bp as social_map_bp
    from maatjes.blueprints.subsidies.views import bp as subsidies_bp
    from maatjes.blueprints.theme_groups.views import bp as theme_groups_bp
    from maatjes.blueprints.trainings.views import bp as trainings_bp
    from maatjes.blueprints.users.views import bp as users_bp
    from maatjes.blueprints.volunteers.views import bp as volunteers_bp

    for bp in (
        auth_bp,
        main_bp,
        users_bp,
        volunteers_bp,
        trainings_bp,
        residents_bp,
        matches_bp,
        handovers_bp,
        lead_bp,
        cockpit_bp,
        notifications_bp,
        audit_bp,
        # The pact's registry.
        registry_bp,
        organisations_bp,
        people_bp,
        meetings_bp,
        theme_groups_bp,
        projects_bp,
        subsidies_bp,
        areas_bp,
        # The social map: public pages, the activities kept by organisations, the HSDS export.
        social_map_bp,
        activities_bp,
        hsds_bp,
    ):
        app.register_blueprint(bp)

    # Browsers (and feed readers) ask for /favicon.ico on their own: the icon from static/.
    app.add_url_rule(
        "/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"), methods=["GET"]
    )
    app.add_url_rule("/sw.js", "service_worker", service_worker, methods=["GET"])


def service_worker():
    """The service worker (static/sw.js) at the root, so that its scope is the whole site; asked
    again on every check for an update (no-cache), never fingerprinted."""
    from pathlib import Path

    from flask import send_file

    response = send_file(
        Path(__file__).resolve().parent / "static" / "sw.js",
        mimetype="application/javascript",
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


def register_static_files(app: Flask) -> None:
    """Static files fingerprinted, precompressed and cached for a year (see static_build);
    pages and JSON compressed on the way out (Flask-Compress: brotli, else gzip)."""
    from flask_compress import Compress

    from maatjes import static_build

    static_build.install(app)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)  # exports stream as they are written
    app.config["COMPRESS_REGISTER"] = False
    compress = Compress(app)

    @app.after_request
    def compress_when_nothing_personal(response):
        # BREACH: a compressed page that shows someone's data beside what the request echoes
        # (a search, the path in the language switch) lets an observer of its size guess that
        # data. Pages of a logged-in user go uncompressed (they are small: a volunteer's home
        # is a few KB); public pages, the HSDS JSON and the login page are compressed.
        # Decided by the session cookie alone (no database: this also runs on the 503 page of
        # an outage): a session with a user in it is sent as it is.
        if "_user_id" in session:
            return response
        return compress.after_request(response)


def register_errorhandlers(app: Flask) -> None:
    from flask import render_template
    from flask_babel import gettext as _
    from flask_wtf.csrf import CSRFError
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from maatjes.extensions import db

    log = logging.getLogger("maatjes.errors")

    def _rollback() -> None:
        try:
            db.session.rollback()
        except Exception:  # the connection may be gone; the session is reset either way
            db.session.remove()

    def render_plain(code: int, title: str, message: str):
        """An error page that needs nothing from the database: no user, no unread count (the
        context processors are skipped), in the language of the session or the browser."""
        template = app.jinja_env.get_template("error_plain.html")
        html = template.render(code=code, title=title, message=message, lang=select_locale())
        return html, code

    def render_error(code: int, title: str, message: str):
        _rollback()
        try:
            return render_template("error.html", code=code, title=title, message=message), code
        except (OperationalError, InterfaceError, PoolTimeout):
            _rollback()
            return render_plain(code, title, message)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(error):
        if isinstance(error, DBAPIError) and not _is_outage(error):
            raise error  # a programming error, not an outage: the 500 handler takes it
        log.warning("database unavailable: %s", type(error).__name__)
        _rollback()
        html, code = render_plain(
            503,
            _("Temporarily unavailable"),
            _(
                "The database cannot be reached right now. Nothing was saved. "
                "Wait a minute and try again."
            ),
        )
        return html, code, {"Retry-After": "60"}

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        from maatjes.blueprints.matches.views import login_needed_json, wants_json

        if wants_json():  # the phone's queue: a fresh token (or a login) and send again
            _rollback()
            if not current_user.is_authenticated:
                return login_needed_json()
            return {"ok": False, "csrf": True}, 400
        return render_error(
            400,
            _("The form expired"),
            _("For your safety the form was too old or incomplete. Go back, reload and try again."),
        )

    @app.errorhandler(400)
    def bad_request(error):
        from werkzeug.exceptions import SecurityError

        if isinstance(error, SecurityError):  # a Host not in TRUSTED_HOSTS: no URLs to build
            return "Bad request: unknown host.", 400, {"Content-Type": "text/plain"}
        return render_error(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(403)
    def forbidden(_error):
        return render_error(
            403, _("Not allowed"), _("Your role does not give access to this page.")
        )

    @app.errorhandler(404)
    def not_found(_error):
        return render_error(404, _("Page not found"), _("This page does not exist."))

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return render_error(405, _("Not allowed"), _("This page cannot be used this way."))

    @app.errorhandler(413)
    def too_large(_error):
        return render_error(
            413, _("Too much text"), _("What you sent is too large. Shorten it and try again.")
        )

    @app.errorhandler(429)
    def too_many(_error):
        return render_error(
            429,
            _("Too many attempts"),
            _("Too many wrong attempts came from your address. Wait ten minutes and try again."),
        )

    @app.errorhandler(500)
    def server_error(error):
        original = getattr(error, "original_exception", None)
        if isinstance(original, OperationalError | InterfaceError | PoolTimeout) and (
            not isinstance(original, DBAPIError) or _is_outage(original)
        ):
            return database_unavailable(original)
        return render_error(
            500,
            _("Something went wrong"),
            _("Nothing was saved. Try again; if it keeps happening, tell the project lead."),
        )


def _is_outage(error) -> bool:
    """A lost or refused connection (or a pool that is out of them), not a bad statement."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if not isinstance(error, DBAPIError):
        return True
    # OperationalError also covers SQLite's "database is locked" and "unable to open".
    return bool(error.connection_invalidated or isinstance(error, OperationalError))


def register_template_helpers(app: Flask) -> None:
    from maatjes import formatting, qr
    from maatjes.blueprints.listing import url_with
    from maatjes.domain import handovers, phones

    app.jinja_env.globals.update(
        url_with=url_with,
        handover_waiting=handovers.waiting,
        handover_sent_on=handovers.sent_on,
        language_name=formatting.language_name,
        qr_svg=qr.svg,
        label=formatting.label,
        current_locale=select_locale,
    )
    from maatjes.domain.tables import Linked

    app.jinja_env.tests["linked"] = lambda value: isinstance(value, Linked)
    app.jinja_env.filters.update(
        longdate=formatting.long_date,
        shortdate=formatting.short_date,
        datetime=formatting.date_time,
        ago=formatting.ago,
        phone=phones.display,
        tel=phones.tel_uri,
        cell=formatting.cell,
        money=formatting.money,
    )

    @app.before_request
    def refuse_nul_bytes():
        # No person types a NUL byte; PostgreSQL cannot store one in text. Refuse it politely.
        for values in (request.args, request.form):
            for value in values.values():
                if "\x00" in value:
                    from flask import abort

                    abort(400)

    @app.before_request
    def end_idle_sessions():
        """A session without a request for longer than the idle limit ends (shorter for staff)."""
        import time

        from flask import flash, redirect, url_for
        from flask_babel import gettext as _
        from flask_login import logout_user

        from maatjes.domain.clock import now_utc
        from maatjes.domain.sessions import idle_limit_minutes, idle_too_long

        if request.endpoint in (None, "static", "bootstrap.static", "favicon", "main.healthz"):
            return None
        if "_user_id" not in session or not current_user.is_authenticated:
            return None
        minutes = idle_limit_minutes(current_user.role, app.config)
        if idle_too_long(session.get("seen"), now_utc(), minutes):
            logout_user()
            locale = session.get("locale")
            session.clear()
            if locale:
                session["locale"] = locale
            from maatjes.blueprints.matches.views import login_needed_json, wants_json

            if request.method == "POST" and wants_json():  # the phone's queue: no redirect
                return login_needed_json()
            flash(_("You were logged out after %(n)d minutes without activity.", n=minutes), "info")
            return redirect(url_for("auth.login", next=request.full_path))
        session["seen"] = time.time()
        return None

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint in (
            "static",
            "bootstrap.static",
            "favicon",
            "service_worker",
        ) and response.status_code in (200, 206, 304):
            pass  # a file: its own caching (a 404 there is a page with the user's name)
        elif (
            response.status_code == 200
            and (request.endpoint or "").startswith("hsds.")
            and "Set-Cookie" not in headers
        ):
            # The Open Referral export holds the public social map only (no one's name, and
            # no cookie): caches may keep it for five minutes, per language.
            headers["Cache-Control"] = "public, max-age=300"
            headers.add("Vary", "Accept-Language")
        else:
            # Pages, error pages (404, 405, 503...) and redirects alike: never in a shared or
            # browser cache, since any of them may show a name.
            headers["Cache-Control"] = "no-store"
        return response


# No inline script or style anywhere; data: images for the QR code of two-factor set-up.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def register_commands(app: Flask) -> None:
    from maatjes.cli import maatjes_cli

    app.cli.add_command(maatjes_cli)
