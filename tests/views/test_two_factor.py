"""Two-factor login: required for staff, optional for volunteers; codes once; recovery codes
once; demo accounts skip it only in demo mode."""

import re
from datetime import timedelta

import pyotp
import time_machine

from maatjes.domain import accounts
from maatjes.domain.clock import now_utc
from maatjes.extensions import db
from maatjes.models import RecoveryCode, Role, User
from tests.builders import make_area, make_user

PASSWORD = "een lange zin als wachtwoord"


def _account(app, role, **fields) -> tuple[int, str]:
    with app.app_context():
        area = make_area() if role in Role.AREA_BOUND else None
        user = make_user(role, area=area)
        accounts.set_password(user, PASSWORD)
        for name, value in fields.items():
            setattr(user, name, value)
        db.session.commit()
        return user.id, user.email


def _password(client, email):
    return client.post("/login", data={"email": email, "password": PASSWORD})


def _enrol(client) -> tuple[str, list[str]]:
    page = client.get("/login/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # the QR code, no inline script or style
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    response = client.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/login/recovery-codes"
    )
    page = client.get("/login/recovery-codes").get_data(as_text=True)
    codes = re.findall(r"<li>([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})</li>", page)
    assert len(codes) == 10
    return secret, codes


def test_staff_must_set_up_two_factor_before_anything_else(app):
    for role in (Role.ADMIN, Role.LEAD, Role.BUURTTEAM, Role.LINKING_PIN):
        _user_id, email = _account(app, role)
        client = app.test_client()
        response = _password(client, email)
        assert response.headers["Location"].endswith("/login/two-factor"), role
        # not logged in until the code is confirmed
        assert client.get("/profile").headers["Location"].startswith("/login")
        wrong = client.post("/login/two-factor", data={"code": "000000"})
        assert wrong.status_code == 200
        _enrol(client)
        assert client.get("/profile").status_code == 200


def test_a_code_logs_in_once_and_a_wrong_code_counts_as_a_failure(app):
    user_id, email = _account(app, Role.LEAD)
    client = app.test_client()
    _password(client, email)
    secret, _codes = _enrol(client)
    client.post("/logout")

    start = now_utc() + timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        assert _password(client, email).headers["Location"].endswith("/login/code")
        response = client.post("/login/code", data={"code": "123456"})
        assert response.status_code == 200
        with app.app_context():
            assert db.session.get(User, user_id).failed_logins == 1
        code = pyotp.TOTP(secret).now()
        assert client.post("/login/code", data={"code": code}).status_code == 302
        assert client.get("/profile").status_code == 200
        client.post("/logout")
        # the same code a second time, in the same 30 seconds: refused
        _password(client, email)
        assert client.post("/login/code", data={"code": code}).status_code == 200
        assert client.get("/profile").status_code == 302


def test_recovery_codes_work_once_each(app):
    user_id, email = _account(app, Role.BUURTTEAM)
    client = app.test_client()
    _password(client, email)
    _secret, codes = _enrol(client)
    client.post("/logout")
    _password(client, email)
    assert client.post("/login/code", data={"code": codes[0]}).status_code == 302
    client.post("/logout")
    _password(client, email)
    assert client.post("/login/code", data={"code": codes[0]}).status_code == 200
    with app.app_context():
        stored = db.session.scalars(db.select(RecoveryCode.code_hash)).all()
        assert len(stored) == 10 and codes[1] not in stored  # hashed


def test_the_half_logged_in_state_expires(app):
    _user_id, email = _account(app, Role.LEAD)
    client = app.test_client()
    start = now_utc()
    with time_machine.travel(start, tick=False) as clock:
        _password(client, email)
        clock.move_to(start + timedelta(minutes=6))
        response = client.get("/login/two-factor")
        assert response.headers["Location"].endswith("/login")


def test_volunteers_may_opt_in_and_out(app):
    _user_id, email = _account(app, Role.VOLUNTEER)
    client = app.test_client()
    assert _password(client, email).status_code == 302
    page = client.get("/profile/two-factor").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    response = client.post("/profile/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"].endswith("/login/recovery-codes")
    client.post("/logout")
    assert _password(client, email).headers["Location"].endswith("/login/code")
    later = now_utc() + timedelta(seconds=65)
    with time_machine.travel(later, tick=False):
        client.post("/login/code", data={"code": pyotp.TOTP(secret).now()})
        assert client.get("/profile").status_code == 200
    with time_machine.travel(later + timedelta(seconds=65), tick=False):
        client.post("/profile/two-factor/off", data={"code": pyotp.TOTP(secret).now()})
    client.post("/logout")
    assert _password(client, email).headers["Location"].endswith("/")


def test_staff_cannot_switch_it_off(app):
    user_id, email = _account(app, Role.LEAD)
    client = app.test_client()
    _password(client, email)
    secret, _codes = _enrol(client)
    with time_machine.travel(now_utc() + timedelta(seconds=65), tick=False):
        client.post("/profile/two-factor/off", data={"code": pyotp.TOTP(secret).now()})
    with app.app_context():
        assert db.session.get(User, user_id).two_factor_enabled


def test_demo_accounts_skip_it_only_in_demo_mode(app):
    _user_id, email = _account(app, Role.LEAD, demo=True)
    client = app.test_client()
    assert _password(client, email).headers["Location"].endswith("/login/two-factor")
    app.config["DEMO_MODE"] = True
    try:
        client = app.test_client()
        assert _password(client, email).headers["Location"].endswith("/")
        # a real account is not exempt in demo mode
        _other, real = _account(app, Role.LEAD)
        assert _password(app.test_client(), real).headers["Location"].endswith("/login/two-factor")
    finally:
        app.config["DEMO_MODE"] = False


def test_a_code_is_accepted_once_even_when_two_requests_bring_it_at_once(app):
    """Two workers, each with the account loaded before either used the code: one wins."""
    from sqlalchemy.orm import Session

    from maatjes.domain import two_factor

    moment = now_utc() - timedelta(minutes=2)
    with app.app_context():
        user = make_user(Role.LEAD)
        secret = two_factor.new_secret()
        two_factor.enable(db.session, user, secret, pyotp.TOTP(secret).at(moment), now=moment)
        db.session.flush()
        user_id = user.id
        db.session.commit()
        db.session.close()  # no transaction left open here (SQLite: one writer at a time)
        code = pyotp.TOTP(secret).now()
        with (
            Session(db.engine, expire_on_commit=False) as first,
            Session(db.engine, expire_on_commit=False) as second,
        ):
            # Both hold the account as it was before the code was used.
            one = first.get(User, user_id)
            first.commit()
            other = second.get(User, user_id)
            second.commit()
            assert two_factor.verify(first, one, code, now=now_utc())
            first.commit()
            assert not two_factor.verify(second, other, code, now=now_utc())
            second.commit()


def test_during_the_pause_a_right_code_is_refused_and_not_counted(app):
    user_id, email = _account(app, Role.LEAD)
    client = app.test_client()
    _password(client, email)
    secret, _codes = _enrol(client)
    client.post("/logout")
    start = now_utc() + timedelta(minutes=1)
    with time_machine.travel(start, tick=False) as clock:
        _password(client, email)
        for code in ("000000", "111111", "222222", "333333", "444444"):
            client.post("/login/code", data={"code": code})
        with app.app_context():
            assert db.session.get(User, user_id).failed_logins == 5
        code = pyotp.TOTP(secret).now()
        assert client.post("/login/code", data={"code": code}).status_code == 200
        with app.app_context():
            assert db.session.get(User, user_id).failed_logins == 5
        clock.move_to(start + timedelta(seconds=31))
        _password(client, email)
        assert (
            client.post("/login/code", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
        )


def test_pact_support_staff_reset_two_factor_for_a_lost_phone(app):
    lead_id, email = _account(app, Role.LEAD)
    client = app.test_client()
    _password(client, email)
    _enrol(client)
    assert client.get("/profile").status_code == 200
    with app.app_context():
        admin_id = make_user(Role.ADMIN).id
        other_lead_id = make_user(Role.LEAD).id
        db.session.commit()
    from tests.builders import login

    # A lead cannot reset another lead (staff accounts are managed by pact support staff).
    colleague = app.test_client()
    login(colleague, other_lead_id)
    colleague.post(f"/users/{lead_id}/two-factor/reset")
    with app.app_context():
        assert db.session.get(User, lead_id).two_factor_enabled

    support = app.test_client()
    login(support, admin_id)
    page = support.get("/users/").get_data(as_text=True)
    assert f"/users/{lead_id}/two-factor/reset" in page
    response = support.post(f"/users/{lead_id}/two-factor/reset", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    link = re.search(
        r'value="http://maatjes.test(/password/[^"]+)"', response.get_data(as_text=True)
    )
    with app.app_context():
        lead = db.session.get(User, lead_id)
        assert not lead.two_factor_enabled and lead.password_hash is None
        assert db.session.scalar(db.select(db.func.count(RecoveryCode.id))) == 0
    assert client.get("/profile").status_code == 302  # the old session ended
    # The old password no longer lets anyone set up their own app first.
    assert _password(app.test_client(), email).headers.get("Location") is None
    # The link: a new password, then a new app.
    owner = app.test_client()
    owner.get(link.group(1))
    new = "een heel nieuwe lange zin"
    response = owner.post("/password", data={"password": new, "confirm": new})
    assert response.headers["Location"].endswith("/login/two-factor")
    _enrol(owner)
    assert owner.get("/profile").status_code == 200


def test_production_refuses_demo_mode(database_url):
    """The exemption of demo accounts can never be on in production."""
    import pytest

    from maatjes import UnsafeSettings, create_app

    with pytest.raises(UnsafeSettings, match="MAATJES_DEMO_MODE"):
        create_app(
            {
                "ENV_NAME": "production",
                "SECRET_KEY": "k" * 48,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "ALLOW_SQLITE_IN_PRODUCTION": True,
                "DEMO_MODE": True,
            }
        )


def test_only_the_demo_loaders_accounts_are_marked_and_they_log_in_in_demo_mode(app):
    from maatjes.demo import DEMO_PASSWORD, DOMAIN, load_demo

    with app.app_context():
        real_id = make_user(Role.LEAD).id
        load_demo(db.session)
        db.session.commit()
        marks = dict(db.session.execute(db.select(User.email, User.demo)).all())
    assert all(marks[email] for email in marks if email.endswith(f"@{DOMAIN}"))
    assert len([e for e in marks if e.endswith(f"@{DOMAIN}")]) >= 8
    assert [e for e, demo in marks.items() if demo and not e.endswith(f"@{DOMAIN}")] == []
    app.config["DEMO_MODE"] = True
    try:
        for role in ("admin", "lead", "buurtteam.oost", "linkingpin.oost"):
            client = app.test_client()
            response = client.post(
                "/login", data={"email": f"{role}@{DOMAIN}", "password": DEMO_PASSWORD}
            )
            assert response.headers["Location"] == "/", role
            assert client.get("/profile").status_code == 200
    finally:
        app.config["DEMO_MODE"] = False
    with app.app_context():
        assert not db.session.get(User, real_id).demo
    response = app.test_client().post(
        "/login", data={"email": f"lead@{DOMAIN}", "password": DEMO_PASSWORD}
    )
    assert response.headers["Location"] == "/login/two-factor"  # outside demo mode
