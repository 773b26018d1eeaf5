"""What a user sees when a form is sent twice, a date is impossible, a step is out of date, or a
count is one: the pages say it plainly and nothing is stored twice."""

from datetime import timedelta

from sqlalchemy import func, select

from maatjes.domain import handovers
from maatjes.domain.clock import local_today
from maatjes.domain.handovers import HandoverInput
from maatjes.extensions import db
from maatjes.models import Contact, Role, Training, TrainingSession, Volunteer
from tests.builders import (
    client_as,
    intake_form,
    make_area,
    make_match,
    make_org,
    make_resident,
    make_user,
    volunteer_form,
)
from tests.builders import make_volunteer as build_volunteer
from tests.views.test_core_loop import text


def test_a_contact_sent_twice_is_saved_once(app):
    today = local_today()
    with app.app_context():
        match = make_match(build_volunteer(), make_resident(), started_on=today - timedelta(days=7))
        db.session.commit()
        match_id, volunteer_user = match.id, match.volunteer.user_id
    client = client_as(app, volunteer_user)
    data = {
        "contact_on": today.isoformat(),
        "kind": "visit",
        "note": "Post",
        "needs_attention": "y",
    }
    for _ in range(2):  # a double tap
        assert client.post(f"/matches/{match_id}/contacts/new", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Contact.id))) == 1


def test_a_volunteer_registered_twice_gets_a_warning_then_may_go_on(app):
    with app.app_context():
        lead = make_user(Role.LEAD)
        org = make_org()
        db.session.commit()
        lead_id, org_id = lead.id, org.id
    client = client_as(app, lead_id)
    data = volunteer_form(org_id, languages="nl, tw")
    assert client.post("/volunteers/new", data=data).status_code == 302
    response = client.post("/volunteers/new", data=data)
    page = text(response)
    assert response.status_code == 200
    assert "Dubbel Test is already registered with this phone number" in page
    assert 'name="allow_duplicate"' in page and 'value="Dubbel Test"' in page  # nothing lost
    response = client.post("/volunteers/new", data={**data, "allow_duplicate": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Volunteer.id))) == 2


def test_an_impossible_date_is_called_invalid_not_missing(app):
    today = local_today()
    with app.app_context():
        lead = make_user(Role.LEAD)
        match = make_match(build_volunteer(), make_resident(), started_on=today - timedelta(days=7))
        training = Training(name="Money Maatje training", kind="money_maatje")
        db.session.add(training)
        db.session.commit()
        lead_id, match_id, training_id = lead.id, match.id, training.id
        resident_id = make_resident().id
        db.session.commit()
    client = client_as(app, lead_id)
    cases = [
        (f"/matches/{match_id}/contacts/new", {"contact_on": "2026-02-30", "kind": "phone"}),
        (f"/residents/{resident_id}/match", {"started_on": "2026-02-30", "volunteer": "1"}),
        (f"/trainings/{training_id}", {"held_on": "2026-02-30", "trainer_organisation": "0"}),
    ]
    for url, data in cases:
        page = text(client.post(url, data=data))
        assert "Not a valid date value." in page, url
        assert "This field is required." not in page, url
    with app.app_context():
        assert db.session.scalar(select(func.count(Contact.id))) == 0
        sessions = select(func.count(TrainingSession.id)).where(
            TrainingSession.training_id == training_id
        )
        assert db.session.scalar(sessions) == 0


def test_consent_without_a_date_and_a_date_before_2000_are_explained(app):
    with app.app_context():
        lead = make_user(Role.LEAD)
        area = make_area()
        db.session.commit()
        lead_id, area_id = lead.id, area.id
    client = client_as(app, lead_id)
    page = text(client.post("/residents/new", data=intake_form(area_id, consent_on="")))
    assert "Give the date the resident gave consent." in page
    assert "Without the resident's consent" not in page
    page = text(client.post("/residents/new", data=intake_form(area_id, consent_on="0001-01-01")))
    assert "Give a date from 1 January 2000 onwards." in page
    assert 'value="Owusu"' in page


def test_a_step_on_a_handover_that_another_user_closed_says_so(app):
    today = local_today()
    with app.app_context():
        oost = make_area("Bijlmer-Oost")
        lead = make_user(Role.LEAD)
        first, second = make_user(Role.BUURTTEAM, area=oost), make_user(Role.BUURTTEAM, area=oost)
        data = HandoverInput(
            reason="Debts", needs="", urgency="normal", consent=True, consent_on=today
        )
        handover = handovers.start_handover(
            db.session, make_resident(area="Bijlmer-Oost"), data, by=lead, today=today
        )
        db.session.commit()
        handover_id, first_id, second_id = handover.id, first.id, second.id
    a, b = client_as(app, first_id), client_as(app, second_id)
    decline = a.post(
        f"/handovers/{handover_id}/decline", data={"note": "No capacity", "confirmed": "1"}
    )
    assert decline.status_code == 302
    response = b.post(
        f"/handovers/{handover_id}/accept",
        data={"receiver_name": "Colleague", "receiver_phone": "0201234567"},
    )
    assert response.status_code == 422
    assert "This step is not possible any more; the page was out of date." in text(response)


def test_the_volunteers_home_before_the_intake_and_after_thirteen_weeks(app):
    today = local_today()
    with app.app_context():
        volunteer = build_volunteer()
        ahead = make_match(volunteer, make_resident(), started_on=today + timedelta(days=5))
        long_running = make_match(
            volunteer, make_resident(), started_on=today - timedelta(weeks=15)
        )
        db.session.commit()
        user_id, ahead_id, long_id = volunteer.user_id, ahead.id, long_running.id
    client = client_as(app, user_id)
    page = text(client.get("/me"))
    assert "Intake meeting on" in page
    assert f"/matches/{ahead_id}/contacts/new" not in page  # nothing to log before the intake
    assert f"/matches/{long_id}/contacts/new" in page
    assert "minimum of 13 weeks reached" in page and "Week 16 of 13" not in page
    assert "0 weeks with contact" in page
    detail = text(client.get(f"/matches/{ahead_id}"))
    assert "Contacts can be logged from that day." in detail
    assert f"/matches/{ahead_id}/contacts/new" not in detail


def test_counts_of_one_are_singular(app):
    with app.app_context():
        lead = make_user(Role.LEAD)
        training = Training(name="Money Maatje training", kind="money_maatje", refresh_months=1)
        db.session.add(training)
        db.session.add(TrainingSession(training=training, held_on=local_today()))
        build_volunteer(("tw",))
        make_resident(("tw",))
        db.session.commit()
        lead_id, training_id = lead.id, training.id
    client = client_as(app, lead_id)
    page = text(client.get("/trainings/"))
    assert "· 1 session" in page and "1 sessions" not in page
    page = text(client.get(f"/trainings/{training_id}"))
    assert "refresher after 1 month" in page and "1 months" not in page
    page = text(client.get("/lead/waiting"))
    assert "1 waiting" in page and "1 trained volunteer with room speaks it" in page
    with client.session_transaction() as session:
        session["locale"] = "nl"
    page = text(client.get("/lead/waiting"))
    assert "1 wachtend" in page and "1 getrainde vrijwilliger met plek spreekt deze taal" in page
