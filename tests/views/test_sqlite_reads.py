"""SQLite: a read-only request does not take the write lock; writers keep one at a time.

These tests build their own SQLite app (whatever database the suite runs on), since the
behaviour is SQLite's; PostgreSQL has row locks and is not affected.
"""

import threading
import time

import pytest
from sqlalchemy import event, select, text

from maatjes import create_app, sqlite_locking
from maatjes.extensions import db
from maatjes.models import Base, User
from tests.builders import login, make_user


@pytest.fixture
def sqlite_app(tmp_path, restore_limiter):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'reads.db'}",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 30}},
        }
    )
    with app.app_context():
        Base.metadata.create_all(db.engine)
        make_user(name="Lead")
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _begins(app, method: str, url: str, user_id: int) -> list[str]:
    seen = []
    with app.app_context():
        engine = db.engine

    def collect(conn, cursor, statement, *args):
        if statement.upper().startswith("BEGIN"):
            seen.append(statement.upper())

    client = app.test_client()
    login(client, user_id)
    event.listen(engine, "before_cursor_execute", collect)
    try:
        client.open(url, method=method)
    finally:
        event.remove(engine, "before_cursor_execute", collect)
    return seen


def test_a_page_view_begins_a_plain_read_and_a_form_post_begins_immediate(sqlite_app):
    with sqlite_app.app_context():
        user_id = db.session.scalar(select(User.id))
    assert set(_begins(sqlite_app, "GET", "/lead/", user_id)) == {"BEGIN"}
    posted = _begins(sqlite_app, "POST", "/logout/everywhere", user_id)
    assert posted and set(posted) == {"BEGIN IMMEDIATE"}


def test_an_open_read_does_not_hold_up_a_writer(sqlite_app):
    """A reader holds a read transaction open; a writer on another connection commits at once
    (with BEGIN IMMEDIATE for every read, as before, it waited for the reader to finish)."""
    with sqlite_app.app_context():
        engine = db.engine
    reading, done = threading.Event(), threading.Event()

    def reader():
        sqlite_locking.start_request("GET", strict=True)
        with engine.connect() as connection, connection.begin():
            connection.execute(text("SELECT count(*) FROM users")).scalar()
            reading.set()
            done.wait(10)
        sqlite_locking.end_request()

    thread = threading.Thread(target=reader)
    thread.start()
    assert reading.wait(10)
    started = time.monotonic()
    with engine.begin() as writer:  # outside a request: BEGIN IMMEDIATE
        writer.execute(text("UPDATE users SET name = 'Lead Lisa'"))
    waited = time.monotonic() - started
    done.set()
    thread.join(10)
    assert waited < 2  # not a busy wait for the reader (the busy timeout is 30 s)


def test_two_writers_still_take_turns(sqlite_app):
    with sqlite_app.app_context():
        engine = db.engine
    holding, release = threading.Event(), threading.Event()

    def first_writer():
        with engine.begin() as connection:
            connection.execute(text("UPDATE users SET name = 'first'"))
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert holding.wait(10)
    timer = threading.Timer(0.5, release.set)
    timer.start()
    started = time.monotonic()
    with engine.begin() as connection:  # waits until the first writer commits
        connection.execute(text("UPDATE users SET name = 'second'"))
    assert time.monotonic() - started >= 0.4
    thread.join(10)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM users")).scalar() == "second"


def test_a_write_inside_a_read_only_request_is_refused_in_strict_mode(sqlite_app):
    with sqlite_app.test_request_context("/", method="GET"):
        sqlite_locking.start_request("GET", strict=True)
        try:
            db.session.scalar(select(User.id))
            with pytest.raises(sqlite_locking.WriteInReadOnlyTransaction):
                db.session.execute(text("UPDATE users SET name = 'x'"))
        finally:
            db.session.rollback()
            sqlite_locking.end_request()
