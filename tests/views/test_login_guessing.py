"""Guessing is limited per account (in the database) and per address (Flask-Limiter); the
answer and the work done are the same for unknown and known addresses."""

import socket
from datetime import timedelta

import pytest
import time_machine

from maatjes import create_app
from maatjes.domain import accounts
from maatjes.domain.clock import now_utc
from maatjes.extensions import db
from maatjes.models import Role, User
from tests.builders import make_user

PASSWORD = "een lange zin als wachtwoord"
WRONG = "E-mail address or password is not right"


def _account(app) -> tuple[int, str]:
    with app.app_context():
        user = make_user(Role.VOLUNTEER)
        accounts.set_password(user, PASSWORD)
        db.session.commit()
        return user.id, user.email


def _try(client, email, password):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        headers={"Accept-Language": "en"},
    )


def test_the_right_password_is_refused_after_five_wrong_ones_until_the_pause_ends(app):
    user_id, email = _account(app)
    start = now_utc()
    with time_machine.travel(start, tick=False) as clock:
        client = app.test_client()
        for n in range(5):
            assert WRONG in _try(client, email, f"wrong guess {n}").get_data(as_text=True)
        response = _try(client, email, PASSWORD)
        assert response.status_code == 200 and WRONG in response.get_data(as_text=True)
        with app.app_context():
            user = db.session.get(User, user_id)
            assert user.failed_logins == 5 and user.locked_until is not None
        clock.move_to(start + timedelta(seconds=31))
        assert _try(client, email, PASSWORD).status_code == 302
        with app.app_context():
            assert db.session.get(User, user_id).failed_logins == 0


def test_the_pause_grows_with_each_further_failure(app):
    user_id, email = _account(app)
    moment = now_utc()
    pauses = []
    with time_machine.travel(moment, tick=False) as clock:
        client = app.test_client()
        for n in range(4):
            _try(client, email, f"wrong guess {n}")
        for n in range(4):
            _try(client, email, f"wrong again {n}")
            with app.app_context():
                locked_until = db.session.get(User, user_id).locked_until
            pauses.append((locked_until - moment.replace(tzinfo=None)).total_seconds())
            # a guess during the pause is refused unchecked and does not count
            _try(client, email, "guess while paused")
            moment = locked_until.replace(tzinfo=moment.tzinfo) + timedelta(seconds=1)
            clock.move_to(moment)
    assert pauses == [30, 60, 120, 240]


def test_unknown_and_known_addresses_get_the_same_answer_and_the_same_work(app, monkeypatch):
    _user_id, email = _account(app)
    calls = []
    real = accounts._hasher

    class Counting:
        def __getattr__(self, name):
            return getattr(real, name)

        def verify(self, hash_, password):
            calls.append(hash_)
            return real.verify(hash_, password)

    monkeypatch.setattr(accounts, "_hasher", Counting())
    client = app.test_client()
    known = _try(client, email, "wrong password here")
    unknown = _try(client, "nobody@example.org", "wrong password here")
    assert known.status_code == unknown.status_code == 200
    assert WRONG in known.get_data(as_text=True) and WRONG in unknown.get_data(as_text=True)
    assert len(calls) == 2  # one Argon2 verification each


def test_one_address_is_paused_after_many_failures_with_a_page_in_its_language(app):
    app.config["LOGIN_LIMIT"] = "3 per 10 minutes"
    try:
        _user_id, email = _account(app)
        client = app.test_client()
        # successful logins do not count
        for _ in range(4):
            assert _try(client, email, PASSWORD).status_code == 302
            client.post("/logout")
        for n in range(3):
            _try(client, f"nobody{n}@example.org", "wrong password here")
        response = client.post(
            "/login",
            data={"email": email, "password": PASSWORD},
            headers={"Accept-Language": "nl"},
        )
        assert response.status_code == 429
        assert "Te veel" in response.get_data(as_text=True)
    finally:
        app.config["LOGIN_LIMIT"] = "30 per 10 minutes"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


# A user's fresh machine has no Redis; CI's has. Without Redis the limit is per worker.
@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379 on this machine")
def test_with_redis_two_workers_count_together(app, database_url, restore_limiter):
    import uuid

    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "maatjes.test",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
        "RATELIMIT_KEY_PREFIX": f"maatjes-test-{uuid.uuid4().hex}",
        "LOGIN_LIMIT": "4 per 10 minutes",
    }
    # A fresh app makes fresh limiter storage, as a second worker process would: only what is
    # in Redis is shared between them.
    worker_a = create_app(dict(settings))
    a = worker_a.test_client()
    for n in range(2):
        assert _try(a, f"x{n}@example.org", "wrong password here").status_code == 200
    worker_b = create_app(dict(settings))
    b = worker_b.test_client()
    for n in range(2):
        assert _try(b, f"y{n}@example.org", "wrong password here").status_code == 200
    assert _try(b, "z@example.org", "wrong password here").status_code == 429
    for worker in (worker_a, worker_b):
        with worker.app_context():
            db.engine.dispose()


def test_logins_go_on_when_redis_is_down(database_url, restore_limiter):
    """A Redis outage never stops logins: the limit falls back to the worker's memory."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "maatjes.test",
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{closed_port}/0",
            "LOGIN_LIMIT": "2 per 10 minutes",
        }
    )
    _user_id, email = _account(app)
    client = app.test_client()
    assert _try(client, "nobody@example.org", "wrong password here").status_code == 200
    assert _try(client, email, PASSWORD).status_code == 302
    with app.app_context():
        db.engine.dispose()


def test_the_pause_stops_growing_at_an_hour_even_after_days_of_guessing(app):
    user_id, email = _account(app)
    moment = now_utc().replace(microsecond=0)
    with app.app_context():
        user = db.session.get(User, user_id)
        user.failed_logins = 400  # a bot trying once an hour for weeks
        db.session.commit()
    with time_machine.travel(moment, tick=False):
        response = _try(app.test_client(), email, "yet another guess")
        assert response.status_code == 200 and WRONG in response.get_data(as_text=True)
        with app.app_context():
            user = db.session.get(User, user_id)
            assert user.failed_logins == 401
            assert user.locked_until - moment.replace(tzinfo=None) == timedelta(hours=1)
    assert [accounts.lock_after(n).total_seconds() for n in (4, 5, 6, 11, 12, 47)] == [
        0,
        30,
        60,
        1920,
        3600,
        3600,
    ]


def _logged_in_volunteer(app):
    user_id, email = _account(app)
    client = app.test_client()
    assert _try(client, email, PASSWORD).status_code == 302
    return user_id, client


def test_changing_the_password_waits_out_the_accounts_pause(app):
    """Someone at an unattended session guessing the current password meets the same pause."""
    user_id, client = _logged_in_volunteer(app)
    new = {"password": "nog een andere lange zin", "confirm": "nog een andere lange zin"}
    start = now_utc()
    with time_machine.travel(start, tick=False) as clock:
        for n in range(5):
            response = client.post(
                "/profile/password",
                data={"current": f"guess number {n}", **new},
                headers={"Accept-Language": "en"},
            )
            assert "This is not your current password" in response.get_data(as_text=True)
        response = client.post(
            "/profile/password",
            data={"current": PASSWORD, **new},
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 200
        assert "Too many wrong attempts on this account" in response.get_data(as_text=True)
        with app.app_context():
            assert accounts.verify_password(db.session.get(User, user_id), PASSWORD)
        clock.move_to(start + timedelta(seconds=31))
        response = client.post("/profile/password", data={"current": PASSWORD, **new})
        assert response.status_code == 302
        with app.app_context():
            assert accounts.verify_password(db.session.get(User, user_id), new["password"])


def test_wrong_codes_to_switch_two_factor_off_count_per_address_and_account(app):
    import pyotp

    from maatjes.domain import two_factor

    app.config["LOGIN_LIMIT"] = "3 per 10 minutes"
    try:
        user_id, client = _logged_in_volunteer(app)
        with app.app_context():
            user = db.session.get(User, user_id)
            secret = two_factor.new_secret()
            earlier = now_utc() - timedelta(minutes=2)  # the codes posted below are not replays
            two_factor.enable(db.session, user, secret, pyotp.TOTP(secret).at(earlier), now=earlier)
            db.session.commit()
        now = now_utc()
        valid = {pyotp.TOTP(secret).at(now + timedelta(seconds=30 * k)) for k in (-1, 0, 1, 2)}
        wrong = [c for c in ("000000", "111111", "222222", "333333", "444444") if c not in valid]
        for code in wrong[:3]:
            response = client.post("/profile/two-factor/off", data={"code": code})
            assert response.status_code == 302  # back to Settings with a message
        assert client.post("/profile/two-factor/off", data={"code": wrong[3]}).status_code == 429
        with app.app_context():
            user = db.session.get(User, user_id)
            assert user.failed_logins == 3 and user.two_factor_enabled
    finally:
        app.config["LOGIN_LIMIT"] = "30 per 10 minutes"


def test_the_address_limit_counts_every_guessable_form_together(app):
    """Two wrong passwords at the login and one wrong current password under Settings: the
    third failure from one address pauses the login form too."""
    app.config["LOGIN_LIMIT"] = "3 per 10 minutes"
    try:
        _user_id, email = _account(app)
        client = app.test_client()
        assert _try(client, email, PASSWORD).status_code == 302
        new = {"password": "nog een andere lange zin", "confirm": "nog een andere lange zin"}
        response = client.post("/profile/password", data={"current": "not it at all", **new})
        assert response.status_code == 200
        client.post("/logout")
        for n in range(2):
            assert _try(client, f"nobody{n}@example.org", "wrong password here").status_code == 200
        assert _try(client, email, PASSWORD).status_code == 429
    finally:
        app.config["LOGIN_LIMIT"] = "30 per 10 minutes"
