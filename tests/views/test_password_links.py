"""Set-password links: the token leaves the address bar at the first visit; a used, expired or
unknown link explains itself in the user's language; the login and link pages follow the
browser's language before anyone has chosen one."""

from datetime import timedelta

import pytest

from maatjes.domain import accounts
from maatjes.domain.clock import now_utc
from maatjes.extensions import db
from maatjes.models import Role, User
from tests.builders import make_area, make_user

PASSWORD = "een lange zin als wachtwoord"
GONE_EN = "This link no longer works"
GONE_NL = "Deze link werkt niet meer"


def _now():
    return now_utc().replace(tzinfo=None)


def _link(app, role=Role.VOLUNTEER, *, hours=72) -> tuple[int, str]:
    with app.app_context():
        area = make_area() if role in Role.AREA_BOUND else None
        user = make_user(role, area=area)
        db.session.flush()
        token = accounts.issue_password_link(user, now=_now(), link_hours=hours)
        db.session.commit()
        return user.id, token


def test_the_token_moves_out_of_the_address_bar(app):
    user_id, token = _link(app)
    client = app.test_client()
    response = client.get(f"/password/{token}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/password"
    page = client.get("/password").get_data(as_text=True)
    assert "<form" in page and token not in page
    assert 'action="' not in page.split("<form", 1)[1].split(">", 1)[0]  # posts to /password
    response = client.post("/password", data={"password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert "password_token" not in session  # the used token is forgotten
        assert session["_user_id"] == f"{user_id}:1"  # logged in, under the new version
    assert client.get("/profile").status_code == 200


def test_staff_go_from_the_link_to_two_factor_set_up(app):
    _user_id, token = _link(app, Role.BUURTTEAM)
    client = app.test_client()
    client.get(f"/password/{token}")
    response = client.post("/password", data={"password": PASSWORD, "confirm": PASSWORD})
    assert response.headers["Location"] == "/login/two-factor"
    assert client.get("/profile").headers["Location"].startswith("/login")  # not in yet


@pytest.mark.parametrize(
    ("language", "title", "who"),
    [("en", GONE_EN, "project lead"), ("nl", GONE_NL, "projectleider")],
)
def test_an_unknown_link_explains_itself_in_the_browsers_language(app, language, title, who):
    response = app.test_client().get(
        "/password/no-such-token", headers={"Accept-Language": language}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert title in page and who in page


def _gone(response) -> bool:
    return response.status_code == 404 and GONE_EN in response.get_data(as_text=True)


def test_a_used_expired_or_blocked_link_explains_itself(app):
    english = {"Accept-Language": "en"}
    _user_id, used = _link(app)
    client = app.test_client()
    client.get(f"/password/{used}")
    client.post("/password", data={"password": PASSWORD, "confirm": PASSWORD})
    assert _gone(app.test_client().get(f"/password/{used}", headers=english))

    _user_id, expired = _link(app, hours=1)
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.id == _user_id))
        user.password_token_expires = _now() - timedelta(minutes=1)
        db.session.commit()
    assert _gone(app.test_client().get(f"/password/{expired}", headers=english))

    # A link that was valid when opened, but the account was blocked before the form was sent.
    blocked_id, token = _link(app)
    client = app.test_client()
    assert client.get(f"/password/{token}").status_code == 302
    with app.app_context():
        admin = make_user(Role.ADMIN)
        accounts.set_active(db.session, admin, db.session.get(User, blocked_id), False)
        db.session.commit()
    response = client.post(
        "/password", data={"password": PASSWORD, "confirm": PASSWORD}, headers=english
    )
    assert _gone(response)
    with app.app_context():
        assert db.session.get(User, blocked_id).password_hash is None


def test_the_password_page_without_a_link_in_the_session_explains_itself(app):
    assert _gone(app.test_client().get("/password", headers={"Accept-Language": "en"}))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB,en;q=0.9", "Log in"),
        ("nl-NL,nl;q=0.9,en;q=0.5", "Inloggen"),
        ("fr-FR,en;q=0.5", "Log in"),
        ("tr-TR", "Inloggen"),  # neither: Dutch
    ],
)
def test_the_login_page_follows_the_browsers_language(app, header, expected):
    page = app.test_client().get("/login", headers={"Accept-Language": header})
    assert f'<h1 class="h3 mb-3">{expected}</h1>' in page.get_data(as_text=True)


def test_a_chosen_language_wins_over_the_browsers(app):
    client = app.test_client()
    client.post("/locale", data={"locale": "nl", "next": "/login"})
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<h1 class="h3 mb-3">Inloggen</h1>' in page


def test_the_set_password_page_follows_the_browsers_language(app):
    _user_id, token = _link(app)
    client = app.test_client()
    client.get(f"/password/{token}")
    english = client.get("/password", headers={"Accept-Language": "en"}).get_data(as_text=True)
    dutch = client.get("/password", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Set your password" in english and "Kies je wachtwoord" in dutch
