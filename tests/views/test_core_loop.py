"""The core loop through the pages, role by role, as a new user would click it."""

import html
import re
from datetime import timedelta

from sqlalchemy import func, select

from maatjes.domain.clock import local_today
from maatjes.extensions import db
from maatjes.models import Area, Handover, Match, Organisation, Resident, Role, Training, User
from tests.builders import login, make_area, make_org, make_user


def english(client) -> None:
    with client.session_transaction() as session:
        session["locale"] = "en"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def setup_registry(app) -> dict:
    with app.app_context():
        oost, centrum = make_area("Bijlmer-Oost"), make_area("Bijlmer-Centrum")
        make_org("Recogin")
        basic = Training(name="Basistraining vrijwilligers", kind="basic")
        money = Training(name="Money Maatje training", kind="money_maatje")
        db.session.add_all([basic, money])
        lead = make_user(Role.LEAD, name="Lead Lisa")
        team = make_user(Role.BUURTTEAM, area=oost, name="Team Oost")
        pin_centrum = make_user(Role.LINKING_PIN, area=centrum, name="Pin Centrum")
        db.session.commit()
        return dict(
            lead=lead.id,
            team=team.id,
            pin_centrum=pin_centrum.id,
            oost=oost.id,
            basic=basic.id,
            money=money.id,
            org=db.session.scalar(select(Organisation.id).where(Organisation.name == "Recogin")),
        )


def test_the_whole_loop_through_the_pages(app):
    ids = setup_registry(app)
    today = local_today()
    lead = app.test_client()
    login(lead, ids["lead"])
    english(lead)

    # The lead creates a login for the volunteer and hands over the one-time link.
    response = lead.post(
        "/users/new",
        data={
            "name": "Akosua Boateng",
            "email": "Akosua@Example.org",
            "role": "volunteer",
            "area": 0,
        },
    )
    assert response.status_code == 200
    link = re.search(r'value="(http[^"]+/password/[^"]+)"', text(response)).group(1)
    volunteer_client = app.test_client()
    english(volunteer_client)
    path = link.split("maatjes.test", 1)[1]
    # The token leaves the address bar: the form is at a clean URL.
    response = volunteer_client.get(path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/password")
    response = volunteer_client.post("/password", data={"password": "short", "confirm": "short"})
    assert "at least 8 characters" in text(response)
    response = volunteer_client.post(
        "/password",
        data={
            "password": "een lange zin als wachtwoord",
            "confirm": "een lange zin als wachtwoord",
        },
    )
    assert response.status_code == 302  # and logged in
    assert volunteer_client.get("/me").status_code in (200, 403)
    assert volunteer_client.get(path).status_code == 404  # the link works once
    volunteer_client.post("/logout")
    response = volunteer_client.post(
        "/login", data={"email": "akosua@example.org", "password": "wrong password!"}
    )
    assert "E-mail address or password is not right" in text(response)
    response = volunteer_client.post(
        "/login", data={"email": "akosua@example.org", "password": "een lange zin als wachtwoord"}
    )
    assert response.status_code == 302

    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "akosua@example.org"))

    # The lead registers the volunteer; a bad language code gets a hint and the input stays.
    form = {
        "name": "Akosua Boateng",
        "organisation": ids["org"],
        "phone": "06 1234 5678",
        "email": "akosua@example.org",
        "languages": "tw, xq",
        "areas": [ids["oost"]],
        "availability": "evenings",
        "vog_date": (today - timedelta(days=30)).isoformat(),
        "user": user_id,
        "active": "y",
    }
    response = lead.post("/volunteers/new", data=form)
    assert response.status_code == 200
    assert "Unknown language code “xq”" in text(response)
    assert 'value="tw, xq"' in text(response)
    form["languages"] = "tw, en, hns=Sarnami Hindustani"
    response = lead.post("/volunteers/new", data=form)
    assert response.status_code == 302
    volunteer_url = response.headers["Location"]
    page = text(lead.get(volunteer_url))
    assert "English, Sarnami Hindustani, Twi" in page  # hns has no CLDR name: the custom one
    assert "Cannot be matched yet" in page

    # Trainings: basic, then Money Maatje, completed → matchable.
    for training_id in (ids["basic"], ids["money"]):
        response = lead.post(
            f"/trainings/{training_id}",
            data={"held_on": (today - timedelta(days=20)).isoformat(), "trainer_organisation": 0},
        )
        assert response.status_code == 302
        session_url = response.headers["Location"]
        volunteer_id = _volunteer_id(app)
        response = lead.post(
            session_url,
            data={"row": volunteer_id, "attended": volunteer_id, "completed": volunteer_id},
        )
        assert response.status_code == 302
    assert "Can be matched." in text(lead.get(volunteer_url))

    # Intake: no consent → nothing stored and the form keeps what was typed.
    intake = {
        "first_name": "Ama",
        "last_name": "Owusu",
        "phone": "06 8765 4321",
        "area": ids["oost"],
        "neighbourhood": "K-buurt",
        "languages": "tw, en",
        "needs": ["debts", "tax_office"],
        "source": "buurtteam",
        "consent_on": today.isoformat(),
    }
    response = lead.post("/residents/new", data=intake)
    assert "Without the resident's consent nothing can be stored" in text(response)
    assert 'value="Owusu"' in text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(Resident.id))) == 0
    response = lead.post("/residents/new", data={**intake, "consent": "y"})
    assert response.status_code == 302
    resident_id = int(response.headers["Location"].rsplit("/", 1)[1])
    # the same person again: a warning, then allowed on purpose
    response = lead.post("/residents/new", data={**intake, "consent": "y", "phone": "0687654321"})
    assert "already registered" in text(response)

    # The waiting list groups by language and shows who has room.
    page = text(lead.get("/lead/waiting"))
    assert (
        "Twi" in page and "1 waiting" in page and "1 trained volunteer with room speaks it" in page
    )

    # Matching from suggestions, with the reasons shown.
    page = text(lead.get(f"/residents/{resident_id}/match"))
    assert "Akosua Boateng" in page
    assert (
        "speaks Twi, English" in page
    )  # in the resident's order of preference and "works in Bijlmer-Oost" in page
    assert "has 0 of 2 residents" in page
    response = lead.post(
        f"/residents/{resident_id}/match",
        data={"volunteer": _volunteer_id(app), "started_on": today.isoformat()},
    )
    assert response.status_code == 302
    match_url = response.headers["Location"]

    # The volunteer sees this week due, logs a contact, and the week turns done.
    home = text(volunteer_client.get("/me"))
    assert "Ama Owusu" in home and 'data-week-status="due"' in home
    match_id = int(match_url.rsplit("/", 1)[1])
    response = volunteer_client.post(
        f"/matches/{match_id}/contacts/new",
        data={"contact_on": (today + timedelta(days=1)).isoformat(), "kind": "phone"},
    )
    assert "A contact cannot be in the future" in text(response)
    response = volunteer_client.post(
        f"/matches/{match_id}/contacts/new",
        data={"contact_on": today.isoformat(), "kind": "visit", "stress_score": "11"},
    )
    assert "The stress score is a number from 1 to 10" in text(response)
    response = volunteer_client.post(
        f"/matches/{match_id}/contacts/new",
        data={
            "contact_on": today.isoformat(),
            "kind": "visit",
            "stress_score": "7",
            "topics": ["debts"],
            "note": "Brief van de Belastingdienst",
            "needs_attention": "y",
        },
    )
    assert response.status_code == 302
    assert 'data-week-status="done"' in text(volunteer_client.get("/me"))
    assert "Week 1 of 13" in text(volunteer_client.get(match_url))

    # A warm handover: no consent, no handover; then sent to the buurtteam of Bijlmer-Oost.
    response = volunteer_client.post(
        f"/residents/{resident_id}/handover",
        data={"reason": "Debts too high", "urgency": "urgent", "consent_on": today.isoformat()},
    )
    assert "Without the resident's consent" in text(response)
    response = volunteer_client.post(
        f"/residents/{resident_id}/handover",
        data={
            "reason": "Debts too high",
            "needs": "Schuldhulp",
            "urgency": "urgent",
            "consent": "y",
            "consent_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    handover_url = response.headers["Location"]

    team = app.test_client()
    login(team, ids["team"])
    english(team)
    assert "Ama Owusu" in text(team.get("/handovers"))
    page = text(team.get(handover_url))
    assert "Debts too high" in page
    assert "Brief van de Belastingdienst" not in page  # contact notes are not theirs to see
    assert team.get(f"/residents/{resident_id}").status_code == 403
    response = team.post(handover_url + "/accept", data={"receiver_name": ""})
    assert response.status_code == 422
    response = team.post(
        handover_url + "/accept",
        data={"receiver_name": "Linda de Vries", "receiver_phone": "06 1234 5678"},
    )
    assert response.status_code == 302
    other_area = app.test_client()
    login(other_area, ids["pin_centrum"])
    assert other_area.get(handover_url).status_code == 404

    # Both sides see the timeline with who did what.
    page = text(volunteer_client.get(handover_url))
    assert "Linda de Vries" in page and "Team Oost" in page and "Accepted" in page

    # The lead's overview has it all.
    page = text(lead.get("/lead/"))
    assert "Akosua Boateng" in page
    assert "Flagged for your attention" in page and "Brief van de Belastingdienst" in page
    assert re.search(r"Open handovers.*?>1<", page, re.S)
    with app.app_context():
        handover = db.session.scalar(select(Handover))
        assert handover.status == "accepted" and handover.receiver_name == "Linda de Vries"
        assert [e.status for e in handover.events] == ["sent", "accepted"]


def _volunteer_id(app) -> int:
    from maatjes.models import Volunteer

    with app.app_context():
        return db.session.scalar(select(Volunteer.id))


def test_buurtteam_refers_a_resident_to_the_waiting_list(app):
    ids = setup_registry(app)
    team = app.test_client()
    login(team, ids["team"])
    english(team)
    today = local_today()
    data = {
        "first_name": "Yaa",
        "last_name": "Agyeman",
        "phone": "06 1111 2222",
        "neighbourhood": "Holendrecht",
        "languages": "tw",
        "need_topics": ["paperwork"],
        "reason": "Needs help with post",
        "urgency": "normal",
        "consent_on": today.isoformat(),
    }
    response = team.post("/handovers/refer", data=data)
    assert "Without the resident's consent" in text(response)
    response = team.post("/handovers/refer", data={**data, "consent": "y"})
    assert response.status_code == 302
    lead = app.test_client()
    login(lead, ids["lead"])
    english(lead)
    assert "Yaa Agyeman" in text(lead.get("/lead/waiting"))
    page = text(lead.get(response.headers["Location"]))
    assert "To Money Maatjes" in page and "Accept and name the contact person" in page
    with app.app_context():
        resident = db.session.scalar(select(Resident))
        assert resident.source == "buurtteam" and resident.area_id == ids["oost"]
        assert db.session.scalar(select(func.count(Match.id))) == 0


def test_ending_a_match_early_needs_a_reason_through_the_page(app):
    from tests.builders import make_match, make_resident, make_volunteer

    with app.app_context():
        lead = make_user(Role.LEAD)
        match = make_match(make_volunteer(), make_resident(), started_on=local_today())
        db.session.commit()
        lead_id, match_id = lead.id, match.id
    client = app.test_client()
    login(client, lead_id)
    english(client)
    data = {"ended_on": local_today().isoformat(), "outcome": "moved", "reason": ""}
    response = client.post(f"/matches/{match_id}/end", data=data)
    assert response.status_code == 422
    assert "This match has run 0 of the 13 weeks (the minimum is reached on" in text(response)
    response = client.post(
        f"/matches/{match_id}/end", data={**data, "reason": "Moved to Almere", "confirmed": "1"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Match, match_id).outcome == "moved"


def test_area_bound_account_needs_an_area(app):
    with app.app_context():
        admin = make_user(Role.ADMIN)
        db.session.commit()
        admin_id = admin.id
    client = app.test_client()
    login(client, admin_id)
    english(client)
    response = client.post(
        "/users/new", data={"name": "X", "email": "x@example.org", "role": "buurtteam", "area": 0}
    )
    assert "need an area" in text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(Area.id))) == 0
        assert db.session.scalar(select(User.id).where(User.email == "x@example.org")) is None


def test_a_lead_cannot_reset_or_block_another_lead(app):
    with app.app_context():
        lead, other = make_user(Role.LEAD), make_user(Role.LEAD)
        db.session.commit()
        lead_id, other_id, before = lead.id, other.id, other.password_token_hash
    client = app.test_client()
    login(client, lead_id)
    english(client)
    page = text(client.get("/users/"))
    assert f"/users/{other_id}/link" not in page and f"/users/{other_id}/active" not in page
    response = client.post(
        f"/users/{other_id}/link", data={"confirmed": "1"}, follow_redirects=True
    )
    assert "Only pact support staff" in text(response)
    response = client.post(
        f"/users/{other_id}/active", data={"active": "0", "confirmed": "1"}, follow_redirects=True
    )
    assert "You cannot change this account." in text(response)
    with app.app_context():
        other = db.session.get(User, other_id)
        assert other.active and other.password_token_hash == before


def test_a_match_whose_intake_is_ahead_is_cancelled_through_the_page(app):
    from datetime import timedelta

    from tests.builders import make_match, make_resident, make_volunteer

    start = local_today() + timedelta(days=7)
    with app.app_context():
        lead = make_user(Role.LEAD)
        match = make_match(make_volunteer(), make_resident(), started_on=start)
        db.session.commit()
        lead_id, match_id = lead.id, match.id
    client = app.test_client()
    login(client, lead_id)
    english(client)
    page = text(client.get(f"/matches/{match_id}"))
    assert "Cancel this match" in page and "Ending the match now cancels it" in page
    assert 'name="ended_on"' not in page
    data = {"outcome": "other", "reason": "", "needs_new_maatje": "y"}
    response = client.post(f"/matches/{match_id}/end", data=data)
    assert response.status_code == 422
    assert "This match has not started yet. Say why it is cancelled." in text(response)
    response = client.post(
        f"/matches/{match_id}/end", data={**data, "reason": "Found help", "confirmed": "1"}
    )
    assert response.status_code == 302
    with app.app_context():
        match = db.session.get(Match, match_id)
        assert match.ended_on == start and match.resident.closed_on is None
