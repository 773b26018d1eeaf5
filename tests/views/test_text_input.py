"""Invisible control and direction characters are removed from what people type; notes keep
their line breaks."""

from sqlalchemy import select

from maatjes.blueprints.forms import clean_line, clean_multiline
from maatjes.extensions import db
from maatjes.models import Contact, Role, Volunteer
from tests.builders import (
    TODAY,
    login,
    make_match,
    make_org,
    make_resident,
    make_user,
    make_volunteer,
    volunteer_form,
)


def test_single_line_and_multi_line_cleaning():
    assert clean_line("Ak\u202eosua\u200f Boa\x07teng\x9b") == "Akosua Boateng"
    assert clean_line("line\r\nbreak\ttab") == "line break tab"
    assert (
        clean_multiline("one\r\ntwo\rthree\x07\u2066\nfour\tfive") == "one\ntwo\nthree\nfour\tfive"
    )
    assert clean_line("Ïsmaël ✓ 😀") == "Ïsmaël ✓ 😀"


def test_a_name_with_a_right_to_left_override_is_stored_without_it(app):
    with app.app_context():
        lead = make_user(Role.LEAD).id
        org = make_org().id
        db.session.commit()
    client = app.test_client()
    login(client, lead)
    form = volunteer_form(org, name="Kwame \u202eeluaP", email="kwame@example.org")
    response = client.post("/volunteers/new", data=form)
    assert response.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(select(Volunteer.name).where(Volunteer.email == "kwame@example.org"))
            == "Kwame eluaP"
        )


def test_a_note_keeps_its_line_breaks_only(app):
    with app.app_context():
        volunteer = make_volunteer(("tw",))
        match = make_match(volunteer, make_resident(("tw",)))
        db.session.commit()
        match_id, user_id = match.id, volunteer.user_id
    client = app.test_client()
    login(client, user_id)
    response = client.post(
        f"/matches/{match_id}/contacts/new",
        data={
            "contact_on": TODAY.isoformat(),
            "kind": "phone",
            "note": "Belde\x07 over\r\nde brief\u202e",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]
    with app.app_context():
        assert db.session.scalar(select(Contact.note)) == "Belde over\nde brief"


def test_a_volunteer_edit_without_the_languages_field_is_a_form_error(app):
    with app.app_context():
        volunteer = make_volunteer(("tw",))
        lead = make_user(Role.LEAD)
        db.session.commit()
        ids = volunteer.id, volunteer.organisation_id, lead.id
    client = app.test_client()
    login(client, ids[2])
    form = volunteer_form(ids[1])
    del form["languages"]
    response = client.post(f"/volunteers/{ids[0]}/edit", data=form)
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)
