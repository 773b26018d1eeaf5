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

    _prepare_sqlite_path(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)

    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    logging.getLogger("maatjes").setLevel(logging.INFO)
    return app


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


@event.listens_for(Engine, "begin")
def _on_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        # One writer at a time: a transaction that reads a volunteer's caseload and then
        # writes a match cannot interleave with another (SQLite has no row locks).
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def register_extensions(app: Flask) -> None:
    from maatjes.extensions import babel, bootstrap, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Amsterdam")

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

    # Before any rule is added: every <int:...> in a URL is a database id that fits BIGINT.
    app.url_map.converters["int"] = DatabaseIdConverter
    from maatjes.blueprints.auth.views import bp as auth_bp
    from maatjes.blueprints.handovers.views import bp as handovers_bp
    from maatjes.blueprints.lead.views import bp as lead_bp
    from maatjes.blueprints.main.views import bp as main_bp
    from maatjes.blueprints.matches.views import bp as matches_bp
    from maatjes.blueprints.notifications.views import bp as notifications_bp
    from maatjes.blueprints.residents.views import bp as residents_bp
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
        notifications_bp,
    ):
        app.register_blueprint(bp)


def register_errorhandlers(app: Flask) -> None:
    from flask import render_template
    from flask_babel import gettext as _
    from flask_wtf.csrf import CSRFError

    from maatjes.extensions import db

    def render_error(code: int, title: str, message: str):
        db.session.rollback()
        return render_template("error.html", code=code, title=title, message=message), code

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render_error(
            400,
            _("The form expired"),
            _("For your safety the form was too old or incomplete. Go back, reload and try again."),
        )

    @app.errorhandler(400)
    def bad_request(_error):
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
    def server_error(_error):
        return render_error(
            500,
            _("Something went wrong"),
            _("Nothing was saved. Try again; if it keeps happening, tell the project lead."),
        )


def register_template_helpers(app: Flask) -> None:
    from maatjes import formatting

    app.jinja_env.globals.update(
        language_name=formatting.language_name,
        label=formatting.label,
        current_locale=select_locale,
    )
    app.jinja_env.filters.update(
        longdate=formatting.long_date,
        shortdate=formatting.short_date,
        datetime=formatting.date_time,
        ago=formatting.ago,
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

        if request.endpoint in (None, "static", "bootstrap.static", "main.healthz"):
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
            flash(_("You were logged out after %(n)d minutes without activity.", n=minutes), "info")
            return redirect(url_for("auth.login", next=request.full_path))
        session["seen"] = time.time()
        return None

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint and not request.endpoint.startswith(("static", "bootstrap")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def register_commands(app: Flask) -> None:
    from maatjes.cli import maatjes_cli

    app.cli.add_command(maatjes_cli)
