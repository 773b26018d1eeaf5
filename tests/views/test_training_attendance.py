"""Item 15 of issue 9: the attendance of a session in one form (a row per volunteer, "completed"
ticked by default when attended); a "record training" link on a volunteer who cannot be
matched yet; registering a volunteer from an account; the organisation is a required choice."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from maatjes.domain.clock import local_today
from maatjes.extensions import db
from maatjes.models import Role, TrainingAttendance, Volunteer
from tests.builders import (
    login,
    make_org,
    make_session,
    make_user,
    make_volunteer,
    volunteer_form,
)


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _lead(app):
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        db.session.commit()
    client = app.test_client()
    login(client, lead_id)
    with client.session_transaction() as session:
        session["locale"] = "en"
    return client


def _setup(app, *, days_ago=3):
    """Three untrained volunteers (one inactive) and a basic training session."""
    with app.app_context():
        ama = make_volunteer(name="Ama", trained=False)
        kofi = make_volunteer(name="Kofi", trained=False)
        yaw = make_volunteer(name="Yaw", trained=False)
        gone = make_volunteer(name="Zola", trained=False, active=False)
        session = make_session("basic", local_today() - timedelta(days=days_ago))
        db.session.commit()
        return session.id, ama.id, kofi.id, yaw.id, gone.id


def _records(app, session_id) -> dict[int, bool]:
    with app.app_context():
        rows = db.session.scalars(
            select(TrainingAttendance).where(TrainingAttendance.session_id == session_id)
        )
        return {a.volunteer_id: a.completed for a in rows}


def _box(page: str, name: str, volunteer_id: int) -> str:
    return re.search(rf'<input[^>]*name="{name}" value="{volunteer_id}"[^>]*>', page)[0]


def test_one_form_has_a_row_per_active_volunteer_with_completed_preticked(app):
    session_id, ama, kofi, yaw, gone = _setup(app)
    page = _page(_lead(app).get(f"/trainings/sessions/{session_id}"))
    for volunteer_id in (ama, kofi, yaw):
        assert f'<input type="hidden" name="row" value="{volunteer_id}">' in page
        assert "checked" not in _box(page, "attended", volunteer_id)
        assert "checked" in _box(page, "completed", volunteer_id)  # without JS: pre-ticked
    assert f'value="{gone}"' not in page  # an inactive volunteer with no record is not listed
    assert f'for="attended-{ama}">Ama attended</label>' in page
    assert '<script defer src="/static/training_attendance-' in page  # fingerprinted


def test_saving_records_attended_and_ignores_completed_for_absent_rows(app):
    session_id, ama, kofi, yaw, _gone = _setup(app)
    client = _lead(app)
    response = client.post(
        f"/trainings/sessions/{session_id}",
        data={"row": [ama, kofi, yaw], "attended": [ama, kofi], "completed": [ama, yaw]},
    )
    assert response.status_code == 302
    assert _records(app, session_id) == {ama: True, kofi: False}  # yaw did not attend
    page = _page(client.get(response.headers["Location"]))
    assert "Attendance saved: 2 attended, 1 completed." in page
    # The form shows what is recorded: Kofi attended without completing.
    assert "checked" in _box(page, "attended", kofi) and "checked" not in _box(
        page, "completed", kofi
    )
    assert "checked" in _box(page, "completed", ama)


def test_unticking_removes_a_record_and_rows_not_in_the_form_stay(app):
    session_id, ama, kofi, yaw, gone = _setup(app)
    client = _lead(app)
    client.post(
        f"/trainings/sessions/{session_id}",
        data={"row": [ama, kofi], "attended": [ama, kofi], "completed": [ama, kofi]},
    )
    # Kofi unticked; Ama's row was not in this (older) form, so she stays as she is.
    response = client.post(
        f"/trainings/sessions/{session_id}", data={"row": [kofi, yaw], "attended": [yaw]}
    )
    assert response.status_code == 302
    assert _records(app, session_id) == {ama: True, yaw: False}
    # An inactive volunteer who is recorded stays listed, to be seen and corrected.
    with app.app_context():
        db.session.get(Volunteer, ama).active = False
        db.session.commit()
    page = _page(client.get(f"/trainings/sessions/{session_id}"))
    assert "checked" in _box(page, "attended", ama) and f'value="{gone}"' not in page


def test_the_form_saves_a_volunteer_as_matchable(app):
    session_id, ama, *_ = _setup(app)
    with app.app_context():
        money = make_session("money_maatje", local_today() - timedelta(days=1)).id
        db.session.commit()
    client = _lead(app)
    for sid in (session_id, money):
        client.post(
            f"/trainings/sessions/{sid}", data={"row": ama, "attended": ama, "completed": ama}
        )
    assert "Can be matched." in _page(client.get(f"/volunteers/{ama}"))


def test_a_future_session_cannot_be_completed_and_keeps_what_was_ticked(app):
    session_id, ama, kofi, _yaw, _gone = _setup(app, days_ago=-7)
    client = _lead(app)
    page = _page(client.get(f"/trainings/sessions/{session_id}"))
    assert "checked" not in _box(page, "completed", ama)  # not pre-ticked for a session to come
    assert 'data-future="1"' in page
    response = client.post(
        f"/trainings/sessions/{session_id}",
        data={"row": [ama, kofi], "attended": [ama, kofi], "completed": [ama]},
    )
    page = _page(response)
    assert response.status_code == 422
    assert "A session in the future cannot be completed yet." in page
    assert "checked" in _box(page, "attended", kofi) and "checked" in _box(page, "completed", ama)
    assert _records(app, session_id) == {}
    response = client.post(
        f"/trainings/sessions/{session_id}", data={"row": [ama, kofi], "attended": [ama]}
    )
    assert response.status_code == 302 and _records(app, session_id) == {ama: False}


@pytest.mark.parametrize(
    "data",
    [
        {"row": ["abc", "-1", str(2**70), "0", "²", "١"], "attended": ["x", str(2**64), "²"]},
        {"row": "999999", "attended": "999999", "completed": "999999"},  # no such volunteer
        {},
    ],
)
def test_hostile_rows_are_ignored(app, data):
    session_id, *_ = _setup(app)
    client = _lead(app)
    response = client.post(f"/trainings/sessions/{session_id}", data=data)
    assert response.status_code == 302
    for value in ("²", "abc", str(2**70)):
        assert client.get(f"/trainings/?volunteer_id={value}").status_code == 200
        assert (
            client.get(f"/trainings/sessions/{session_id}?volunteer_id={value}").status_code == 200
        )
    assert _records(app, session_id) == {}


def test_a_volunteer_who_cannot_be_matched_has_a_record_training_link(app):
    session_id, ama, *_ = _setup(app)
    with app.app_context():
        trained = make_volunteer(name="Trained").id
        db.session.commit()
    client = _lead(app)
    page = _page(client.get(f"/volunteers/{ama}"))
    link = re.search(r'id="record-training" href="([^"]+)">Record training</a>', page)
    assert link and link[1] == f"/trainings/?volunteer_id={ama}"
    assert 'id="record-training"' not in _page(client.get(f"/volunteers/{trained}"))
    # The link lists the sessions to choose, the missing training first.
    page = _page(client.get(link[1]))
    assert "Record a training for Ama" in page
    assert "basic training not completed" in page
    assert f'href="/trainings/sessions/{session_id}?volunteer_id={ama}#focus"' in page
    # The session page puts Ama first, marked, with "attended" ticked for her.
    page = _page(client.get(f"/trainings/sessions/{session_id}?volunteer_id={ama}"))
    first = re.search(r'<input type="hidden" name="row" value="(\d+)">', page)[1]
    assert first == str(ama) and 'class="table-info" id="focus"' in page
    assert "checked" in _box(page, "attended", ama)


def test_registering_a_volunteer_asks_for_the_organisation(app):
    client = _lead(app)
    with app.app_context():
        org_id = make_org("Recogin").id
        make_org("ProFor")
        db.session.commit()
    page = _page(client.get("/volunteers/new"))
    select_html = re.search(r'<select[^>]*name="organisation"[^>]*>(.*?)</select>', page, re.S)[1]
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", select_html)
    assert options[0] == (' selected value=""', "Choose…") or options[0] == (
        ' value="" selected',
        "Choose…",
    )
    assert all("selected" not in attrs for attrs, _name in options[1:])
    response = client.post(
        "/volunteers/new", data=volunteer_form(org_id, organisation="", name="Efua")
    )
    page = _page(response)
    assert response.status_code == 200
    assert "Choose the member organisation." in page and 'value="Efua"' in page
    with app.app_context():
        assert db.session.scalar(select(Volunteer.id)) is None
    response = client.post("/volunteers/new", data=volunteer_form(org_id, name="Efua"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Volunteer)).one().organisation_id == org_id


def test_editing_a_volunteer_keeps_their_organisation_selected(app):
    client = _lead(app)
    with app.app_context():
        volunteer = make_volunteer()
        db.session.commit()
        volunteer_id, org_id = volunteer.id, volunteer.organisation_id
    page = _page(client.get(f"/volunteers/{volunteer_id}/edit"))
    assert re.search(
        rf'<option selected value="{org_id}">|<option value="{org_id}" selected>', page
    )
