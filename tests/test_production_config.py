"""Production refuses unsafe settings; database errors never carry bound values."""

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError

from config import DEVELOPMENT_SECRET_KEY
from maatjes import UnsafeSettings, create_app
from maatjes.extensions import db

ProgrammingOrOperational = (OperationalError, ProgrammingError)  # PostgreSQL, SQLite
GOOD_KEY = "k" * 48


def _app(**settings):
    base = {"ENV_NAME": "production", "SECRET_KEY": GOOD_KEY}
    return create_app({**base, **settings})


def test_production_refuses_the_development_secret_key(database_url):
    with pytest.raises(UnsafeSettings, match="MAATJES_SECRET_KEY"):
        _app(
            SECRET_KEY=DEVELOPMENT_SECRET_KEY,
            SQLALCHEMY_DATABASE_URI=database_url,
            ALLOW_SQLITE_IN_PRODUCTION=True,
        )


def test_production_refuses_debug(database_url):
    with pytest.raises(UnsafeSettings, match="debug"):
        _app(DEBUG=True, SQLALCHEMY_DATABASE_URI=database_url, ALLOW_SQLITE_IN_PRODUCTION=True)


def test_production_refuses_sqlite_unless_allowed(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    with pytest.raises(UnsafeSettings, match="PostgreSQL"):
        _app(SQLALCHEMY_DATABASE_URI=url)
    assert _app(SQLALCHEMY_DATABASE_URI=url, ALLOW_SQLITE_IN_PRODUCTION=True)


def test_development_starts_with_the_defaults(tmp_path):
    assert create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'd.db'}"})


def test_database_errors_hide_their_bound_values(app, caplog):
    """An error names the statement, never the values bound to it (names, notes, phones)."""
    with app.app_context():
        with pytest.raises(ProgrammingOrOperational) as error, caplog.at_level(logging.DEBUG):
            db.session.execute(
                text("SELECT :note FROM no_such_table"), {"note": "GEHEIM schuld 1234"}
            )
        db.session.rollback()
    assert "GEHEIM" not in str(error.value)
    assert "parameters hidden" in str(error.value)
    assert "GEHEIM" not in caplog.text
