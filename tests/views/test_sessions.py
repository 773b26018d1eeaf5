"""Sessions end for real: logout, password change, blocking and "log out everywhere" end every
copy of a session cookie; idle sessions end; a new session at login."""

from datetime import timedelta

import time_machine

from maatjes.domain import accounts
from maatjes.domain.clock import now_utc
from maatjes.extensions import db
from maatjes.models import Role, User
from tests.builders import make_user

PASSWORD = "een lange zin als wachtwoord"


def _account(app, role=Role.VOLUNTEER) -> tuple[int, str]:
    with app.app_context():
        user = make_user(role)
        accounts.set_password(user, PASSWORD)
        db.session.commit()
        return user.id, user.email


def _logged_in(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302 and "/login" not in response.headers["Location"]
    return client


def _copy(app, client):
    """A second browser holding a copy of ``client``'s session cookie (a stolen cookie)."""
    thief = app.test_client()
    cookie = client.get_cookie("session", domain="maatjes.test")
    thief.set_cookie("session", cookie.value, domain="maatjes.test")
    return thief


def _is_in(client) -> bool:
    response = client.get("/profile")
    return response.status_code == 200


def test_a_copied_cookie_is_dead_after_logout(app):
    _user_id, email = _account(app)
    client = _logged_in(app, email)
    thief = _copy(app, client)
    assert _is_in(thief)
    client.post("/logout")
    assert not _is_in(client)
    assert not _is_in(thief)


def test_a_password_change_ends_older_sessions(app):
    user_id, email = _account(app)
    other_device = _logged_in(app, email)
    client = _logged_in(app, email)
    response = client.post(
        "/profile/password",
        data={
            "current": PASSWORD,
            "password": "nog een andere lange zin",
            "confirm": "nog een andere lange zin",
        },
    )
    assert response.status_code == 302
    assert _is_in(client)  # the device that changed it goes on
    assert not _is_in(other_device)


def test_a_reset_by_link_ends_older_sessions(app):
    user_id, email = _account(app)
    client = _logged_in(app, email)
    with app.app_context():
        user = db.session.get(User, user_id)
        accounts.set_password(user, "een nieuwe lange zin hier")
        db.session.commit()
    assert not _is_in(client)


def test_blocking_ends_sessions_and_unblocking_does_not_revive_them(app):
    user_id, email = _account(app)
    client = _logged_in(app, email)
    with app.app_context():
        admin = make_user(Role.ADMIN)
        user = db.session.get(User, user_id)
        accounts.set_active(db.session, admin, user, False)
        db.session.commit()
    assert not _is_in(client)
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))
        accounts.set_active(db.session, admin, db.session.get(User, user_id), True)
        db.session.commit()
    assert not _is_in(client)
    assert _is_in(_logged_in(app, email))


def test_log_out_everywhere(app):
    _user_id, email = _account(app)
    phone, laptop = _logged_in(app, email), _logged_in(app, email)
    response = laptop.post("/logout/everywhere")
    assert response.status_code == 302
    assert not _is_in(phone) and not _is_in(laptop)


def test_idle_sessions_end_sooner_for_staff(app):
    _v, volunteer_email = _account(app, Role.VOLUNTEER)
    with app.app_context():
        lead = make_user(Role.LEAD)
        accounts.set_password(lead, PASSWORD)
        # This test is about idleness, not the second step: the lead has set up two-factor.
        lead.totp_enabled_at = now_utc().replace(tzinfo=None)
        lead.totp_secret = "JBSWY3DPEHPK3PXP"
        db.session.commit()
        lead_id = lead.id
    start = now_utc()
    with time_machine.travel(start, tick=False) as clock:
        volunteer = _logged_in(app, volunteer_email)
        from tests.builders import login

        staff = app.test_client()
        login(staff, lead_id, version=1)  # set_password raised it once
        staff.get("/profile")  # activity now
        clock.move_to(start + timedelta(minutes=29))
        assert _is_in(staff) and _is_in(volunteer)
        clock.move_to(start + timedelta(minutes=29 + 31))
        response = staff.get("/profile")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        assert _is_in(volunteer)
        clock.move_to(start + timedelta(minutes=29 + 31 + 121))
        assert not _is_in(volunteer)
        page = volunteer.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "without activity" in page or "zonder activiteit" in page


def test_login_gives_a_new_session(app):
    _user_id, email = _account(app)
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post("/login", data={"email": email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{_user_id}:1"  # set_password raised the version once


def test_no_remember_cookie_and_an_old_one_is_dead_too(app):
    """The app never sets Flask-Login's remember-me cookie; one made with the secret key
    carries the same "id:version" as the session and ends with it."""
    from flask_login.utils import encode_cookie

    user_id, email = _account(app)
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    assert client.get_cookie("remember_token", domain="maatjes.test") is None
    with app.test_request_context():
        remembered = encode_cookie(f"{user_id}:1")
    holder = app.test_client()
    holder.set_cookie("remember_token", remembered, domain="maatjes.test")
    assert _is_in(holder)  # Flask-Login would honour it while the version holds
    client.post("/logout")
    holder = app.test_client()
    holder.set_cookie("remember_token", remembered, domain="maatjes.test")
    assert not _is_in(holder)
