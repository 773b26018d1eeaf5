"""What the public social map and its HSDS export never show, and answers that must not be kept
by a cache (found in the review of the phone-first and social-map work)."""

from datetime import date

from maatjes.extensions import db
from maatjes.models import Activity, Organisation, Role
from tests.builders import login, make_user

TODAY = date(2026, 11, 2)


def _map(app):
    with app.app_context():
        member = Organisation(name="Lid Stichting", kind="member", status="member")
        refused = Organisation(
            name="Geweigerde Kandidaat",
            kind="member",
            status="candidate",
            decision="refused",
            email="jan.prive@example.org",
        )
        db.session.add_all([member, refused])
        db.session.flush()
        shown = Activity(organisation=member, name="Taalcafé", checked_on=TODAY)
        hidden = Activity(organisation=refused, name="Kandidaatactiviteit", checked_on=TODAY)
        db.session.add_all([shown, hidden])
        db.session.commit()
        return {"shown": shown.id, "hidden": hidden.id, "refused": refused.id}


def test_a_candidates_activities_and_details_are_not_public(app):
    ids = _map(app)
    client = app.test_client()
    listing = client.get("/sociale-kaart/").get_data(as_text=True)
    assert "Taalcafé" in listing and "Kandidaatactiviteit" not in listing
    assert client.get(f"/sociale-kaart/{ids['hidden']}").status_code == 404
    assert "Kandidaatactiviteit" not in client.get("/sociale-kaart/activiteiten.csv").text
    organizations = client.get("/hsds/organizations").get_data(as_text=True)
    assert "Lid Stichting" in organizations and "Geweigerde Kandidaat" not in organizations
    assert "jan.prive" not in organizations
    assert client.get(f"/hsds/organizations/{ids['refused']}").status_code == 404
    services = client.get("/hsds/services").get_data(as_text=True)
    assert "Kandidaatactiviteit" not in services
    assert client.get(f"/hsds/services/{ids['hidden']}").status_code == 404


def test_the_hsds_answer_varies_by_language_and_odd_dates_are_refused(app):
    _map(app)
    client = app.test_client()
    response = client.get("/hsds/services")
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "Accept-Language" in response.headers["Vary"]
    for moment in ("0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"):
        odd = client.get(f"/hsds/services?modified_after={moment}")
        assert odd.status_code == 400, moment


def test_a_missing_static_file_is_a_page_never_stored(app):
    with app.app_context():
        lead = make_user(Role.LEAD)
        db.session.commit()
        lead_id = lead.id
    client = app.test_client()
    login(client, lead_id)
    response = client.get("/static/does-not-exist.css")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


def test_schedule_row_errors_speak_dutch_and_the_csv_has_one_charset(app):
    with app.app_context():
        admin = make_user(Role.ADMIN)
        db.session.commit()
        admin_id = admin.id
    client = app.test_client()
    login(client, admin_id)
    with client.session_transaction() as session:
        session["locale"] = "nl"
    response = client.post(
        "/registry/activities/new",
        data={"name": "X", "weekly-0-weekday": "abc", "once-0-on_date": "2027-02-30"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ongeldige datum." in page and "Not a valid" not in page
    assert "could not coerce" not in page
    csv = app.test_client().get("/sociale-kaart/activiteiten.csv")
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_words_typed_without_accents_find_activities_written_with_them(app):
    _map(app)  # "Taalcafé" of a member
    client = app.test_client()
    for typed in ("cafe", "taalcafe", "Taalcafé", "TAALCAFE"):
        page = client.get(f"/sociale-kaart/?q={typed}").get_data(as_text=True)
        assert page.count("data-activity=") == 1, typed
    assert (
        client.get("/sociale-kaart/?q=koffie").get_data(as_text=True).count("data-activity=") == 0
    )
    with app.app_context():  # kept current on a change
        activity = db.session.scalar(db.select(Activity).where(Activity.name == "Taalcafé"))
        activity.name = "Crème-café"
        db.session.commit()
    assert client.get("/sociale-kaart/?q=creme").get_data(as_text=True).count("data-activity=") == 1
