"""Test set-up: one database per run (SQLite file, or PostgreSQL from MAATJES_TEST_DATABASE_URL),
schema created from the models, every table emptied after each test."""

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from maatjes import create_app
from maatjes.extensions import db
from maatjes.models import Base

TEST_DATABASE_URL = os.environ.get("MAATJES_TEST_DATABASE_URL")


def pytest_report_header(config):
    return f"database: {TEST_DATABASE_URL or 'SQLite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{Path(tmp_path_factory.mktemp('db')) / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "maatjes.test",
        }
    )
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
    yield app
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        db.engine.dispose()


def _empty_all_tables() -> None:
    db.session.remove()
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(autouse=True)
def clean_database(app):
    """Empty every table after each test (tests commit for real, so no rollback trick), and
    forget the per-IP login counts (every test client comes from 127.0.0.1)."""
    from maatjes.extensions import limiter

    yield
    with app.app_context():
        _empty_all_tables()
        limiter.reset()


@pytest.fixture
def app_context(app):
    """For tests that call the domain directly. HTTP tests must not hold one: a request would
    share it (and its ``g``, where Flask-Login caches the user) instead of getting its own."""
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


# A real SMTP server on loopback (aiosmtpd), for every test that sends mail.
from tests.jobs.test_email_and_concurrency import smtp  # noqa: E402, F401


@pytest.fixture
def restore_limiter():
    """The limiter is one object per process (one app in production); a test that builds
    another app re-points it: give it back to the suite's app afterwards."""
    from maatjes.extensions import limiter

    saved = dict(limiter.__dict__)
    yield
    limiter.__dict__.clear()
    limiter.__dict__.update(saved)
