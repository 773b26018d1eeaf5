"""Item 10 of issue 9: a language is found by its name in Dutch or English or by its code, in
the intake, the volunteer form and their edit forms; unknown ones get close matches; the
picker offers the languages in use first; without JavaScript the input still works."""

import html
import re

import pytest
from sqlalchemy import select

from maatjes.extensions import db
from maatjes.models import Language, Resident, Volunteer
from tests.builders import (
    intake_form,
    login,
    make_area,
    make_org,
    make_resident,
    make_user,
    make_volunteer,
    volunteer_form,
)


def _lead(app, locale="en"):
    with app.app_context():
        lead_id = make_user().id
        area_id, org_id = make_area().id, make_org().id
        db.session.commit()
    client = app.test_client()
    login(client, lead_id)
    with client.session_transaction() as session:
        session["locale"] = locale
    return client, area_id, org_id


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _resident_codes(app) -> list[str]:
    with app.app_context():
        resident = db.session.scalars(select(Resident).order_by(Resident.id.desc())).first()
        return resident.language_codes


@pytest.mark.parametrize(
    "typed", ["turks", "Turkish", "tr", "Turks (tr)", "TURKS", "Turkish (tr)", " turkish "]
)
def test_an_intake_takes_a_language_by_name_or_code(app, typed):
    client, area_id, _org = _lead(app)
    response = client.post("/residents/new", data=intake_form(area_id, languages=typed))
    assert response.status_code == 302, _page(response)
    assert _resident_codes(app) == ["tr"]


def test_several_languages_keep_their_rank(app):
    client, area_id, _org = _lead(app)
    typed = "Turks, english, Sarnami Hindustani (hns), pap"
    response = client.post("/residents/new", data=intake_form(area_id, languages=typed))
    assert response.status_code == 302
    assert _resident_codes(app) == ["tr", "en", "hns", "pap"]
    with app.app_context():  # the name given with a code CLDR has no name for is kept
        assert db.session.get(Language, "hns").custom_name == "Sarnami Hindustani"
    page = _page(client.get(response.headers["Location"]))
    assert "Turkish, English, Sarnami Hindustani, Papiamento" in page


def test_a_volunteer_is_registered_with_language_names(app):
    client, _area, org_id = _lead(app, locale="nl")
    form = volunteer_form(org_id, languages="Twi; Nederlands; papiamento")
    response = client.post("/volunteers/new", data=form)
    assert response.status_code == 302, _page(response)
    with app.app_context():
        volunteer = db.session.scalars(select(Volunteer)).one()
        assert sorted(volunteer.language_codes) == ["nl", "pap", "tw"]


def test_an_unknown_name_is_refused_with_close_matches_and_the_input_stays(app):
    client, area_id, _org = _lead(app)
    response = client.post(
        "/residents/new", data=intake_form(area_id, languages="nl, turksh, Engels")
    )
    page = _page(response)
    assert response.status_code == 200
    assert "“turksh” is not a language we know. Did you mean Turkish (tr)?" in page
    assert 'value="nl, turksh, Engels"' in page  # what was typed stays
    assert 'class="form-control is-invalid"' in page
    with app.app_context():
        assert db.session.scalar(select(Resident.id)) is None


def test_the_error_and_the_suggestion_are_in_the_users_language(app):
    client, _area, org_id = _lead(app, locale="nl")
    response = client.post("/volunteers/new", data=volunteer_form(org_id, languages="turksh"))
    # The suggestion is named in Dutch; the sentence around it comes from the Dutch catalog.
    assert "Turks (tr)" in _page(response)


def test_an_edit_form_shows_names_and_saves_them_back_unchanged(app):
    client, _area, _org = _lead(app)
    with app.app_context():
        resident = make_resident(languages=("tw", "hns", "nl"))
        db.session.get(Language, "hns").custom_name = "Sarnami Hindustani"
        db.session.commit()
        resident_id = resident.id
    page = _page(client.get(f"/residents/{resident_id}/edit"))
    shown = re.search(r'name="languages"[^>]*value="([^"]*)"', page) or re.search(
        r'value="([^"]*)"[^>]*name="languages"', page
    )
    assert shown.group(1) == "Twi (tw), Sarnami Hindustani (hns), Dutch (nl)"


def test_the_picker_lists_languages_in_use_first_and_works_without_javascript(app):
    client, _area, _org = _lead(app, locale="nl")
    with app.app_context():
        make_resident(languages=("srn",))
        make_volunteer(languages=("srn", "fat"))
        db.session.commit()
    page = _page(client.get("/residents/new"))
    field = re.search(r"<input[^>]*name=\"languages\"[^>]*>", page).group(0)
    assert 'list="languages-options"' in field  # the browser's own suggestions, no script needed
    assert 'autocomplete="off"' in field and 'aria-describedby="languages-help"' in field
    datalist = re.search(r'<datalist id="languages-options">(.*?)</datalist>', page, re.S).group(1)
    values = re.findall(r'<option value="([^"]+)"', datalist)
    assert values[:2] == ["Sranantongo (srn)", "Fanti (fat)"]  # in use: 2 uses, then 1
    assert values[2] == "Nederlands (nl)"  # then the common languages
    assert "Turks (tr)" in values
    assert 'data-terms="turks | turkish | tr"' in datalist
    assert "Typ een taal" in page or "Type a language by its name" in page
    # The enhancement is a file, loaded with defer: the Content-Security-Policy forbids inline.
    assert '<script defer src="/static/language_picker-' in page  # fingerprinted
    script = client.get("/static/language_picker.js")
    assert script.status_code == 200 and b"role" in script.data
    script.close()


def test_the_volunteer_form_has_the_picker_too(app):
    client, _area, _org = _lead(app)
    page = _page(client.get("/volunteers/new"))
    assert '<datalist id="languages-options">' in page
    assert "Several languages: separate them with commas." in page
    assert "most preferred first" not in page  # a volunteer's languages are not ranked
    resident_page = _page(client.get("/residents/new"))
    assert "the most preferred first" in resident_page


def test_an_edit_form_with_long_custom_names_stays_within_the_length_limit(app):
    client, _area, _org = _lead(app)
    codes = ("qqa", "qqb", "qqc", "qqd")
    with app.app_context():
        for code in codes:
            db.session.add(Language(code=code, custom_name=(f"Lange eigen naam {code} " * 5)[:80]))
        db.session.flush()
        resident_id = make_resident(languages=codes).id
        db.session.commit()
    page = _page(client.get(f"/residents/{resident_id}/edit"))
    assert 'value="qqa, qqb, qqc, qqd"' in page  # the names would not fit in 300 characters
