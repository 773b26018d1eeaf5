"""Contacts queued on a phone offline and sent later (issue 14): stored at most once per
client-made UUID, with JSON answers the queue understands; the plain form is unchanged."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from maatjes import create_app
from maatjes.domain import access, contacts
from maatjes.domain.clock import local_today
from maatjes.domain.contacts import ContactInput
from maatjes.extensions import db
from maatjes.models import Contact, User
from tests.builders import login, make_match, make_resident, make_volunteer

JSON = {"Accept": "application/json", "X-Maatjes-Queue": "1"}


@pytest.fixture
def world(app):
    with app.app_context():
        mine = make_volunteer(("tw",))
        other = make_volunteer(("tw",))
        m_own = make_match(mine, make_resident(("tw",)))
        m_second = make_match(mine, make_resident(("tw",)))
        m_other = make_match(other, make_resident(("tw",)))
        db.session.commit()
        return {
            "user": mine.user_id,
            "other_user": other.user_id,
            "match": m_own.id,
            "second": m_second.id,
            "other_match": m_other.id,
        }


def _client(app, user_id):
    client = app.test_client()
    login(client, user_id)
    with client.session_transaction() as session:
        session["locale"] = "en"
    return client


def _form(client_uuid: str | None = None, **changes) -> dict:
    data = {"contact_on": local_today().isoformat(), "kind": "phone"}
    if client_uuid:
        data["client_uuid"] = client_uuid
    return data | changes


def _count(app, **where) -> int:
    with app.app_context():
        query = select(func.count(Contact.id))
        for name, value in where.items():
            query = query.where(getattr(Contact, name) == value)
        return db.session.scalar(query)


def test_the_same_uuid_twice_stores_one_contact_and_the_week_is_done(app, world):
    client = _client(app, world["user"])
    url = f"/matches/{world['match']}/contacts/new"
    key = str(uuid.uuid4())
    first = client.post(url, data=_form(key), headers=JSON)
    assert first.status_code == 201
    assert first.json == {"ok": True, "contact_id": first.json["contact_id"], "duplicate": False}
    again = client.post(url, data=_form(key, note="sent again"), headers=JSON)
    assert again.status_code == 200
    assert again.json == {"ok": True, "contact_id": first.json["contact_id"], "duplicate": True}
    assert _count(app, match_id=world["match"]) == 1
    assert _count(app, client_uuid=key) == 1
    # Once stored it is an ordinary contact: this week is done on the volunteer's home.
    home = client.get("/me").get_data(as_text=True)
    card = home.split(f'data-match="{world["match"]}"', 1)[1].split('data-match="', 1)[0]
    assert 'data-week-status="done"' in card


def test_two_contacts_alike_with_their_own_uuids_are_both_stored(app, world):
    """Two contacts queued offline are two contacts, even if they look alike (the double-tap
    rule is for posts without a UUID)."""
    client = _client(app, world["user"])
    url = f"/matches/{world['match']}/contacts/new"
    for _ in range(2):
        assert client.post(url, data=_form(str(uuid.uuid4())), headers=JSON).status_code == 201
    assert _count(app, match_id=world["match"]) == 2


def test_twelve_simultaneous_resends_of_one_uuid_store_one_contact(app, world):
    url = f"/matches/{world['match']}/contacts/new"
    key = str(uuid.uuid4())
    start = threading.Barrier(12)
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def post() -> None:
        client = _client(app, world["user"])
        start.wait()
        response = client.post(url, data=_form(key), headers=JSON)
        with lock:
            results.append((response.status_code, response.json))

    threads = [threading.Thread(target=post) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    codes = sorted(code for code, _ in results)
    assert codes == [200] * 11 + [201], codes
    assert len({answer["contact_id"] for _, answer in results}) == 1
    assert _count(app, client_uuid=key) == 1


def test_a_uuid_stored_by_another_request_past_the_look_up_is_a_duplicate(app, world, monkeypatch):
    """The unique index is the guarantee: if another worker inserted the UUID after this
    request looked, the insert fails inside a savepoint and the earlier contact is returned."""
    key = str(uuid.uuid4())
    with app.app_context():
        user = db.session.get(User, world["user"])
        match = access.match(db.session, user, world["match"])
        data = ContactInput(contact_on=local_today(), kind="visit", client_uuid=key)
        earlier = contacts.log_contact(db.session, match, data, by=user, today=local_today())
        db.session.commit()
        earlier_id = earlier.id

        real = contacts.stored_for_uuid
        calls = []

        def missed_once(*args, **kwargs):
            calls.append(1)
            return None if len(calls) == 1 else real(*args, **kwargs)

        monkeypatch.setattr(contacts, "stored_for_uuid", missed_once)
        contact, duplicate = contacts.log_contact_once(
            db.session, match, data, by=user, today=local_today()
        )
        assert (contact.id, duplicate) == (earlier_id, True)
        db.session.commit()  # the transaction is still usable after the refused insert
    assert _count(app, client_uuid=key) == 1


def test_an_ended_match_answers_409_with_the_reason_but_a_resend_is_still_a_success(app, world):
    client = _client(app, world["user"])
    url = f"/matches/{world['match']}/contacts/new"
    stored = str(uuid.uuid4())
    assert client.post(url, data=_form(stored), headers=JSON).status_code == 201
    with app.app_context():
        match = db.session.get(contacts.Match, world["match"])
        match.ended_on, match.outcome = local_today(), "moved"
        db.session.commit()
    refused = client.post(url, data=_form(str(uuid.uuid4())), headers=JSON)
    assert refused.status_code == 409
    assert refused.json["ok"] is False
    assert refused.json["reason"] == "This match has ended; no contacts can be added."
    # The answer to the first send was lost: sent again, it is the contact stored before.
    again = client.post(url, data=_form(stored), headers=JSON)
    assert again.status_code == 200 and again.json["duplicate"] is True
    assert _count(app, match_id=world["match"]) == 1


def test_rules_and_form_refusals_are_422_with_a_reason(app, world):
    client = _client(app, world["user"])
    url = f"/matches/{world['match']}/contacts/new"
    future = (local_today() + timedelta(days=1)).isoformat()
    response = client.post(url, data=_form(str(uuid.uuid4()), contact_on=future), headers=JSON)
    assert response.status_code == 422
    assert response.json["ok"] is False
    assert response.json["reason"] == "A contact cannot be in the future."
    assert response.json["errors"]["contact_on"] == ["A contact cannot be in the future."]
    response = client.post(url, data=_form(str(uuid.uuid4()), kind=""), headers=JSON)
    assert response.status_code == 422
    assert response.json["reason"] == "Choose how you had contact."
    response = client.post(url, data=_form("not-a-uuid"), headers=JSON)
    assert response.status_code == 422 and "client_uuid" in response.json["errors"]
    assert _count(app) == 0


def test_a_uuid_of_another_match_is_refused(app, world):
    client = _client(app, world["user"])
    key = str(uuid.uuid4())
    assert (
        client.post(
            f"/matches/{world['match']}/contacts/new", data=_form(key), headers=JSON
        ).status_code
        == 201
    )
    response = client.post(
        f"/matches/{world['second']}/contacts/new", data=_form(key), headers=JSON
    )
    assert response.status_code == 409 and response.json["ok"] is False
    assert _count(app) == 1


def test_another_users_match_is_404_json(app, world):
    client = _client(app, world["user"])
    response = client.post(
        f"/matches/{world['other_match']}/contacts/new", data=_form(str(uuid.uuid4())), headers=JSON
    )
    assert response.status_code == 404
    assert response.json["ok"] is False
    assert _count(app) == 0


def test_not_logged_in_or_ended_or_idle_session_is_401_with_the_login_address(app, world):
    url = f"/matches/{world['match']}/contacts/new"
    anonymous = app.test_client()
    response = anonymous.post(url, data=_form(str(uuid.uuid4())), headers=JSON)
    assert response.status_code == 401
    assert response.json == {"ok": False, "login": "/login?next=/me"}

    idle = _client(app, world["user"])
    with idle.session_transaction() as session:
        session["seen"] = time.time() - 24 * 3600
    response = idle.post(url, data=_form(str(uuid.uuid4())), headers=JSON)
    assert response.status_code == 401 and "login" in response.json

    ended = _client(app, world["user"])
    with app.app_context():
        user = db.session.get(User, world["user"])
        contacts_sessions_end(user)
    response = ended.post(url, data=_form(str(uuid.uuid4())), headers=JSON)
    assert response.status_code == 401 and "login" in response.json
    assert _count(app) == 0


def contacts_sessions_end(user) -> None:
    from maatjes.domain.sessions import end_all_sessions

    end_all_sessions(db.session, user)
    db.session.commit()


def test_without_json_the_form_behaves_as_before(app, world):
    client = _client(app, world["user"])
    url = f"/matches/{world['match']}/contacts/new"
    page = client.get(url).get_data(as_text=True)
    assert 'name="client_uuid" type="hidden"' in page or 'type="hidden" name="client_uuid"' in page
    # Scripts off: no UUID, the page redirects home with a message.
    response = client.post(url, data=_form())
    assert response.status_code == 302 and response.headers["Location"].endswith("/me")
    # Scripts on but online: the UUID is stored, and a second tap stores nothing more.
    key = str(uuid.uuid4())
    for _ in range(2):
        response = client.post(url, data=_form(key, kind="visit"))
        assert response.status_code == 302
    assert _count(app) == 2
    # Refused by the rules: the form again, as a page.
    future = (local_today() + timedelta(days=1)).isoformat()
    response = client.post(url, data=_form(contact_on=future))
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "A contact cannot be in the future." in response.get_data(as_text=True)
    # Not logged in: the login page, as always.
    response = app.test_client().post(url, data=_form())
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_csrf_token_for_the_queue(app, world):
    client = _client(app, world["user"])
    response = client.get("/me/csrf-token", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.json["csrf_token"]
    assert response.headers["Cache-Control"] == "no-store"
    anonymous = app.test_client()
    response = anonymous.get("/me/csrf-token", headers={"Accept": "*/*"})
    assert response.status_code == 401 and response.json["login"] == "/login?next=/me"
    response = anonymous.get("/me/csrf-token", headers={"Accept": "text/html"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_with_csrf_on_a_missing_token_is_400_json_and_a_fresh_one_works(database_url, world):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": True,
            "SERVER_NAME": "maatjes.test",
        }
    )
    client = _client(app, world["user"])
    url = f"/matches/{world['match']}/contacts/new"
    response = client.post(url, data=_form(str(uuid.uuid4())), headers=JSON)
    assert response.status_code == 400
    assert response.json == {"ok": False, "csrf": True}
    stale = _form(str(uuid.uuid4()), csrf_token="IjAwMDAi.aaaa.bbbb")
    assert client.post(url, data=stale, headers=JSON).status_code == 400
    # A plain post without a token still gets the page that says the form expired.
    response = client.post(url, data=_form())
    assert response.status_code == 400 and response.mimetype == "text/html"
    token = client.get("/me/csrf-token", headers={"Accept": "application/json"}).json
    response = client.post(url, data=_form(str(uuid.uuid4()), **token), headers=JSON)
    assert response.status_code == 201, response.get_data(as_text=True)
    # Logged out meanwhile: the queue is told to log in, not that the token is wrong.
    response = app.test_client().post(url, data=_form(str(uuid.uuid4())), headers=JSON)
    assert response.status_code == 401 and "login" in response.json
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("path", ["/logout", "/logout/everywhere"])
def test_logout_wipes_what_the_phone_keeps(app, world, path):
    client = _client(app, world["user"])
    response = client.post(path)
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
