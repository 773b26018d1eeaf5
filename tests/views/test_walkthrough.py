"""Issue 9: what a volunteer, a buurtteam worker and a lead ran into in a walk-through."""

import re
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import select

from maatjes.domain import handovers
from maatjes.domain.clock import local_today
from maatjes.domain.handovers import HandoverInput
from maatjes.extensions import db
from maatjes.models import Handover, Role, Volunteer
from tests.builders import (
    login,
    make_area,
    make_match,
    make_org,
    make_resident,
    make_user,
    volunteer_form,
)
from tests.builders import make_volunteer as build_volunteer
from tests.views.test_core_loop import english, text


def _client(app, user_id: int):
    client = app.test_client()
    login(client, user_id)
    english(client)
    return client


def _handover_with_maatje(app, *, sent_on: date | None = None):
    """A volunteer's resident handed to the buurtteam of Bijlmer-Oost."""
    with app.app_context():
        area = make_area("Bijlmer-Oost")
        team = make_user(Role.BUURTTEAM, area=area, name="Team Oost")
        other_team = make_user(Role.BUURTTEAM, area=make_area("Gaasperdam"), name="Team Gaasp")
        volunteer = build_volunteer(name="Akosua Boateng")
        day = sent_on or local_today()
        resident = make_resident(first_name="Ama", area="Bijlmer-Oost")
        make_match(volunteer, resident, started_on=day - timedelta(days=20))
        handover = handovers.start_handover(
            db.session,
            resident,
            HandoverInput("Debts too high", "", "normal", True, day),
            by=volunteer.user,
            today=day,
        )
        db.session.commit()
        return dict(
            handover=handover.id,
            team=team.id,
            other_team=other_team.id,
            volunteer_user=volunteer.user_id,
        )


# --- item 2: a named person with a phone or e-mail accepts ------------------------------


def test_accepting_needs_a_person_and_a_phone_or_email_not_the_team_name(app):
    ids = _handover_with_maatje(app)
    team = _client(app, ids["team"])
    url = f"/handovers/{ids['handover']}"
    page = text(team.get(url))
    assert 'id="receiver_name"' in page
    assert 'value="Team Oost"' not in page  # nothing prefilled with the team account's name
    response = team.post(url + "/accept", data={"receiver_name": "Linda de Vries"})
    assert response.status_code == 422
    assert "Give a phone number or an e-mail address of the contact person." in text(response)
    assert 'value="Linda de Vries"' in text(response)  # what was typed is kept
    response = team.post(
        url + "/accept", data={"receiver_name": "Linda de Vries", "receiver_phone": "abc"}
    )
    assert response.status_code == 422 and "06 1234 5678" in text(response)
    response = team.post(
        url + "/accept",
        data={"receiver_name": "Linda de Vries", "receiver_phone": "020 555 0142"},
    )
    assert response.status_code == 302
    flashed = text(team.get(url))
    assert "You accepted the handover of Ama" in flashed
    sender_page = text(_client(app, ids["volunteer_user"]).get(url))
    assert "Linda de Vries" in sender_page
    assert 'href="tel:+31-20-555-0142"' in sender_page and "020 555 0142" in sender_page
    with app.app_context():
        handover = db.session.get(Handover, ids["handover"])
        assert handover.receiver_phone == "+31205550142" and handover.receiver_email is None


def test_an_email_alone_is_enough_and_must_be_valid(app):
    ids = _handover_with_maatje(app)
    team = _client(app, ids["team"])
    url = f"/handovers/{ids['handover']}/accept"
    bad = team.post(url, data={"receiver_name": "Linda", "receiver_email": "linda@"})
    assert bad.status_code == 422 and "Give a valid e-mail address." in text(bad)
    ok = team.post(url, data={"receiver_name": "Linda", "receiver_email": "Linda@Team.example"})
    assert ok.status_code == 302
    page = text(_client(app, ids["volunteer_user"]).get(f"/handovers/{ids['handover']}"))
    assert 'href="mailto:Linda@team.example"' in page


# --- item 3: sent date and waiting time in working days --------------------------------


def test_waiting_is_in_working_days_and_stops_at_first_contact(app):
    sent = date(2022, 4, 22)  # a Friday; Koningsdag (27 April) is no working day
    with time_machine.travel(datetime(2022, 4, 22, 8, 0, tzinfo=UTC), tick=False):
        ids = _handover_with_maatje(app, sent_on=sent)
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        db.session.commit()
    with time_machine.travel(datetime(2022, 4, 29, 10, 0, tzinfo=UTC), tick=False):
        lead = _client(app, lead_id)
        page = text(lead.get(f"/handovers/{ids['handover']}"))
        assert "Sent on Friday, April 22, 2022" in page
        # Mon 25, Tue 26, Thu 28, Fri 29: four working days (not "7 days", not hours)
        assert "waiting 4 working days to be accepted" in page
        overview = text(lead.get("/lead/"))
        assert 'data-waiting-days="4"' in overview and "hours" not in overview
        team = _client(app, ids["team"])
        url = f"/handovers/{ids['handover']}"
        accept = {"receiver_name": "Linda", "receiver_phone": "0205550142"}
        assert team.post(url + "/accept", data=accept).status_code == 302
        assert "waiting 0 working days for the first contact" in text(lead.get(url))
        assert team.post(url + "/first_contact").status_code == 302
        for page in (text(lead.get(url)), text(lead.get("/lead/")), text(lead.get("/handovers"))):
            assert "working day" not in page and "data-waiting-days" not in page
    with app.app_context():
        assert db.session.get(Handover, ids["handover"]).first_contact_at is not None


# --- item 22: the receiving buurtteam can reach the maatje while the handover is open ----


def test_the_receiving_team_sees_the_maatjes_first_name_and_phone_only_while_open(app):
    ids = _handover_with_maatje(app)
    url = f"/handovers/{ids['handover']}"
    team = _client(app, ids["team"])
    page = text(team.get(url))
    maatje = re.search(r'<dd[^>]*id="maatje">(.*?)</dd>', page, re.S).group(1)
    assert "Akosua" in maatje and "Boateng" not in maatje
    with app.app_context():
        phone = db.session.scalar(select(Volunteer.phone).where(Volunteer.name.like("Akosua%")))
    assert f'href="tel:{phone[:3]}' in maatje
    accept = {"receiver_name": "Linda", "receiver_phone": "0205550142"}
    team.post(url + "/accept", data=accept)
    team.post(url + "/first_contact")
    team.post(url + "/complete")
    closed = text(team.get(url))
    assert 'id="maatje"' not in closed
    other = _client(app, ids["other_team"])  # another area's team sees no handover at all
    assert other.get(url).status_code == 404


# --- item 7: one phone rule on every form ------------------------------------------------


def test_a_volunteer_with_the_phone_abc_is_refused_on_the_form(app):
    with app.app_context():
        lead_id, org_id = make_user(Role.LEAD).id, make_org().id
        db.session.commit()
    lead = _client(app, lead_id)
    response = lead.post("/volunteers/new", data=volunteer_form(org_id, phone="abc"))
    assert response.status_code != 302  # the form again, nothing saved
    assert "This is not a phone number we can call." in text(response)
    assert 'value="abc"' in text(response)
    response = lead.post("/volunteers/new", data=volunteer_form(org_id, phone="+597 812 3456"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Volunteer.phone)) == "+5978123456"
