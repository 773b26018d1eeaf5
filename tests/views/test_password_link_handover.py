"""Item 11 of issue 9: the one-time password link is easy to hand over (copy, a QR code for the
volunteer's phone, Web Share where the browser has it); a used or expired link says so and who
to ask; after setting the password the user is logged in."""

import html
import re
from datetime import timedelta

import segno
from sqlalchemy import select

from maatjes.domain import accounts
from maatjes.domain.clock import now_utc
from maatjes.extensions import db
from maatjes.models import Role, User
from tests.builders import login, make_org, make_user, make_volunteer

PASSWORD = "een lange zin als wachtwoord"


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _lead(app):
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        make_org()
        db.session.commit()
    client = app.test_client()
    login(client, lead_id)
    with client.session_transaction() as session:
        session["locale"] = "en"
    return client


def _new_volunteer_account(client):
    return client.post(
        "/users/new",
        data={"name": "Kwame Mensah", "email": "kwame@example.org", "role": "volunteer", "area": 0},
    )


def _shown_link(page: str) -> str:
    return re.search(
        r'<input class="form-control" id="password-link" readonly value="([^"]+)"', page
    )[1]


def test_the_link_page_offers_copy_qr_code_and_share(app):
    client = _lead(app)
    response = _new_volunteer_account(client)
    page = _page(response)
    assert response.status_code == 200
    link = _shown_link(page)
    assert re.fullmatch(r"http://maatjes\.test/password/[\w-]{40,}", link)
    # Copy and share: buttons hidden until the script finds the browser can do it.
    assert re.search(
        r'<button class="btn btn-outline-primary" type="button" hidden\s+data-copy="password-link"',
        page,
    )
    share = re.search(
        r'<button class="btn btn-primary" type="button" hidden\s+data-share-url="([^"]+)"', page
    )
    assert share and share[1] == link
    assert '<script defer src="/static/copy_share-' in page  # fingerprinted by content
    assert "<script>" not in page  # no inline script (the Content-Security-Policy forbids it)
    # The QR code is inline SVG of exactly this link, named for screen readers.
    svg = re.search(
        r'<svg role="img" width="\d+" height="\d+" class="qr-code">.*?</svg>', page, re.S
    )[0]
    assert "<title>QR code of the password link for Kwame Mensah</title>" in svg
    expected = segno.make(link, error="m").svg_inline(scale=5, border=2, lineclass=None)
    assert re.search(r' d="([^"]+)"', svg)[1] == re.search(r' d="([^"]+)"', expected)[1]


def test_the_scripts_exist_and_use_only_what_the_browser_offers(app):
    client = app.test_client()
    script = client.get("/static/copy_share.js")
    body = script.get_data(as_text=True)
    script.close()
    assert script.status_code == 200
    assert "navigator.clipboard" in body and "navigator.share" in body


def test_a_new_volunteer_account_leads_on_to_registering_the_volunteer(app):
    client = _lead(app)
    page = _page(_new_volunteer_account(client))
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "kwame@example.org"))
    register = f'href="/volunteers/new?user_id={user.id}"'
    assert register in page and "Register Kwame Mensah as a volunteer" in page
    form = _page(client.get(f"/volunteers/new?user_id={user.id}"))
    assert 'value="Kwame Mensah"' in form and 'value="kwame@example.org"' in form
    assert re.search(
        rf'<option selected value="{user.id}">|<option value="{user.id}" selected>', form
    )


def test_a_new_link_for_an_existing_account_does_not_offer_registering_again(app):
    client = _lead(app)
    with app.app_context():
        volunteer_user = make_volunteer().user_id
        db.session.commit()
    page = _page(client.post(f"/users/{volunteer_user}/link", data={"confirmed": "1"}))
    assert "Password link for" in page and 'id="password-link-qr"' in page
    assert "as a volunteer" not in page


def test_registering_from_an_account_that_has_a_volunteer_goes_to_that_volunteer(app):
    client = _lead(app)
    with app.app_context():
        volunteer = make_volunteer(name="Ama Owusu")
        db.session.commit()
        user_id, volunteer_id = volunteer.user_id, volunteer.id
    response = client.get(f"/volunteers/new?user_id={user_id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/volunteers/{volunteer_id}"
    assert "Ama Owusu is registered as a volunteer already." in _page(
        client.get(f"/volunteers/{volunteer_id}")
    )


def test_a_user_id_that_is_no_volunteer_account_fills_in_nothing(app):
    client = _lead(app)
    with app.app_context():
        other = make_user(Role.LEAD, name="Lead Two").id
        db.session.commit()
    for value in (str(other), "abc", "-1", str(2**70), "0", "²", "١"):
        response = client.get(f"/volunteers/new?user_id={value}")
        assert response.status_code == 200
        assert "Lead Two" not in _page(response)


def _token(app, *, hours=72, expired=False) -> str:
    with app.app_context():
        user = make_user(Role.VOLUNTEER)
        now = now_utc().replace(tzinfo=None)
        token = accounts.issue_password_link(user, now=now, link_hours=hours)
        if expired:
            user.password_token_expires = now - timedelta(minutes=1)
        db.session.commit()
        return token


def test_a_used_or_expired_link_says_so_and_who_to_ask(app):
    used = _token(app)
    client = app.test_client()
    client.get(f"/password/{used}")
    assert (
        client.post("/password", data={"password": PASSWORD, "confirm": PASSWORD}).status_code
        == 302
    )
    for token in (used, _token(app, expired=True)):
        response = app.test_client().get(f"/password/{token}", headers={"Accept-Language": "en"})
        page = _page(response)
        assert response.status_code == 404  # not a server error, not the generic 404 page
        assert "This link no longer works" in page
        assert "was used already, has expired" in page
        assert "Ask your project lead" in page
        assert 'href="/login"' in page


def test_after_setting_the_password_the_user_is_logged_in(app):
    token = _token(app)
    client = app.test_client()
    client.get(f"/password/{token}")
    response = client.post("/password", data={"password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200
    assert "/login" not in home.request.path  # logged in: no way back to the login page
    assert 'action="/logout"' in _page(home)


def test_the_accounts_list_links_a_volunteer_account_to_its_volunteer(app):
    client = _lead(app)
    _new_volunteer_account(client)
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "kwame@example.org"))
        registered = make_volunteer(name="Ama Owusu")
        db.session.commit()
        registered_user, registered_id = registered.user_id, registered.id
    page = _page(client.get("/users/"))
    assert f'href="/volunteers/new?user_id={user_id}">Volunteer details</a>' in page
    # Not yet registered: the form, filled in; registered already: their page.
    assert 'value="Kwame Mensah"' in _page(client.get(f"/volunteers/new?user_id={user_id}"))
    response = client.get(f"/volunteers/new?user_id={registered_user}")
    assert response.headers["Location"] == f"/volunteers/{registered_id}"
