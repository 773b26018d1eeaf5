"""Issue 9: what a volunteer, a buurtteam worker and a lead ran into in a walk-through."""

import re
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import select

from maatjes.domain import handovers
from maatjes.domain.clock import local_today
from maatjes.domain.handovers import HandoverInput
from maatjes.extensions import db
from maatjes.models import Handover, Match, Role, User, Volunteer
from tests.builders import (
    client_as,
    make_area,
    make_match,
    make_org,
    make_resident,
    make_user,
    volunteer_form,
)
from tests.builders import make_volunteer as build_volunteer
from tests.views.test_core_loop import english, text


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
    team = client_as(app, ids["team"])
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
    sender_page = text(client_as(app, ids["volunteer_user"]).get(url))
    assert "Linda de Vries" in sender_page
    assert 'href="tel:+31-20-555-0142"' in sender_page and "020 555 0142" in sender_page
    with app.app_context():
        handover = db.session.get(Handover, ids["handover"])
        assert handover.receiver_phone == "+31205550142" and handover.receiver_email is None


def test_an_email_alone_is_enough_and_must_be_valid(app):
    ids = _handover_with_maatje(app)
    team = client_as(app, ids["team"])
    url = f"/handovers/{ids['handover']}/accept"
    bad = team.post(url, data={"receiver_name": "Linda", "receiver_email": "linda@"})
    assert bad.status_code == 422 and "Give a valid e-mail address." in text(bad)
    ok = team.post(url, data={"receiver_name": "Linda", "receiver_email": "Linda@Team.example"})
    assert ok.status_code == 302
    page = text(client_as(app, ids["volunteer_user"]).get(f"/handovers/{ids['handover']}"))
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
        lead = client_as(app, lead_id)
        page = text(lead.get(f"/handovers/{ids['handover']}"))
        assert "Sent on Friday 22 April 2022" in page
        # Mon 25, Tue 26, Thu 28, Fri 29: four working days (not "7 days", not hours)
        assert "waiting 4 working days to be accepted" in page
        overview = text(lead.get("/lead/"))
        assert 'data-waiting-days="4"' in overview and "hours" not in overview
        team = client_as(app, ids["team"])
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
    team = client_as(app, ids["team"])
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
    other = client_as(app, ids["other_team"])  # another area's team sees no handover at all
    assert other.get(url).status_code == 404


# --- item 7: one phone rule on every form ------------------------------------------------


def test_a_volunteer_with_the_phone_abc_is_refused_on_the_form(app):
    with app.app_context():
        lead_id, org_id = make_user(Role.LEAD).id, make_org().id
        db.session.commit()
    lead = client_as(app, lead_id)
    response = lead.post("/volunteers/new", data=volunteer_form(org_id, phone="abc"))
    assert response.status_code != 302  # the form again, nothing saved
    assert "This is not a phone number we can call." in text(response)
    assert 'value="abc"' in text(response)
    response = lead.post("/volunteers/new", data=volunteer_form(org_id, phone="+597 812 3456"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Volunteer.phone)) == "+5978123456"


# --- item 1: no role preselected; a lead or admin account is confirmed ---------------------


def test_no_role_is_preselected_and_a_lead_account_asks_for_confirmation(app):
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        db.session.commit()
    lead = client_as(app, lead_id)
    page = text(lead.get("/users/new"))
    role_select = re.search(r'<select[^>]*name="role".*?</select>', page, re.S).group(0)
    assert "selected" not in role_select
    assert 'value="" ' in role_select or 'value=""' in role_select
    data = {"name": "Piet", "email": "piet@example.org", "area": "0"}
    missing = lead.post("/users/new", data={**data, "role": ""})
    assert missing.status_code == 422 and "Choose a role." in text(missing)
    asked = lead.post("/users/new", data={**data, "role": "lead"})
    assert asked.status_code == 422
    assert 'id="confirm-staff"' in text(asked) and "sees every resident" in text(asked)
    assert 'value="Piet"' in text(asked)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "piet@example.org")) is None
    done = lead.post("/users/new", data={**data, "role": "lead", "confirm_staff": "y"})
    assert done.status_code == 200 and "/password/" in text(done)
    volunteer = lead.post(
        "/users/new",
        data={"name": "Vera", "email": "v@example.org", "area": "0", "role": "volunteer"},
    )
    assert volunteer.status_code == 200 and 'id="confirm-staff"' not in text(volunteer)
    with app.app_context():
        assert (
            db.session.scalar(select(User.role).where(User.email == "piet@example.org")) == "lead"
        )


# --- item 4: the contact kind is preselected (two taps from home) --------------------------


def test_the_contact_form_preselects_the_volunteers_last_kind_else_a_phone_call(app):
    today = local_today()
    with app.app_context():
        match = make_match(build_volunteer(), make_resident(), started_on=today - timedelta(days=3))
        db.session.commit()
        match_id, user_id = match.id, match.volunteer.user_id
    client = client_as(app, user_id)
    url = f"/matches/{match_id}/contacts/new"
    assert re.search(r'value="phone"[^>]*checked|checked[^>]*value="phone"', text(client.get(url)))
    client.post(url, data={"contact_on": today.isoformat(), "kind": "visit"})
    page = text(client.get(url))
    assert re.search(r'value="visit"[^>]*checked|checked[^>]*value="visit"', page)
    assert not re.search(r'value="phone"[^>]*checked', page)


# --- item 5: no outcome preselected; outcome and reason shown ------------------------------


def test_ending_a_match_has_no_preselected_outcome_and_shows_outcome_and_reason(app):
    today = local_today()
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        match = make_match(
            build_volunteer(), make_resident(first_name="Kwame"), started_on=today - timedelta(30)
        )
        db.session.commit()
        match_id, resident_id = match.id, match.resident_id
    lead = client_as(app, lead_id)
    page = text(lead.get(f"/matches/{match_id}"))
    outcome_select = re.search(r'<select[^>]*name="outcome".*?</select>', page, re.S).group(0)
    assert "selected" not in outcome_select
    data = {"ended_on": today.isoformat(), "reason": "Moved to Almere"}
    missing = lead.post(f"/matches/{match_id}/end", data={**data, "outcome": ""})
    assert missing.status_code == 422 and "Choose an outcome." in text(missing)
    ask = lead.post(f"/matches/{match_id}/end", data={**data, "outcome": "moved"})
    assert ask.status_code == 200 and 'id="confirm-yes"' in text(ask)
    with app.app_context():
        assert db.session.get(Match, match_id).ended_on is None  # nothing happened yet
    assert 'name="reason" value="Moved to Almere"' in text(ask)
    done = lead.post(
        f"/matches/{match_id}/end", data={**data, "outcome": "moved", "confirmed": "1"}
    )
    assert done.status_code == 302
    for url in (f"/matches/{match_id}", f"/residents/{resident_id}", "/lead/"):
        page = text(lead.get(url))
        assert 'data-outcome="moved"' in page and "Moved to Almere" in page, url
    overview = text(lead.get("/lead/"))
    assert 'id="ended-early"' in overview and "Kwame" in overview


# --- item 9: the waiting total says why the rows add up to more --------------------------


def test_the_waiting_total_explains_residents_counted_under_two_languages(app):
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        make_resident(("tw", "en"))
        make_resident(("tr",))
        db.session.commit()
    page = text(client_as(app, lead_id).get("/lead/"))
    assert "2 residents wait in all." in page
    assert "counted under both" in page


# --- item 13: confirmations without JavaScript ------------------------------------------


def test_blocking_and_a_new_password_link_are_confirmed_first(app):
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        other = make_user(Role.VOLUNTEER, name="Vera Volunteer")
        other.password_hash = "x"
        db.session.commit()
        other_id = other.id
    lead = client_as(app, lead_id)
    ask = lead.post(f"/users/{other_id}/active", data={"active": "0"})
    assert ask.status_code == 200 and "Block the account of Vera Volunteer?" in text(ask)
    assert '<input type="hidden" name="active" value="0">' in text(ask)
    with app.app_context():
        assert db.session.get(User, other_id).active
    lead.post(f"/users/{other_id}/active", data={"active": "0", "confirmed": "1"})
    with app.app_context():
        assert not db.session.get(User, other_id).active
    unblock = lead.post(f"/users/{other_id}/active", data={"active": "1"})  # no question
    assert unblock.status_code == 302
    ask = lead.post(f"/users/{other_id}/link")
    assert ask.status_code == 200 and "Make a new password link for Vera Volunteer?" in text(ask)
    with app.app_context():
        assert db.session.get(User, other_id).password_token_hash is None
    made = lead.post(f"/users/{other_id}/link", data={"confirmed": "1"})
    assert "/password/" in text(made)


def test_declining_a_handover_is_confirmed_and_keeps_the_reason(app):
    ids = _handover_with_maatje(app)
    team = client_as(app, ids["team"])
    url = f"/handovers/{ids['handover']}/decline"
    no_reason = team.post(url, data={"note": ""})
    assert no_reason.status_code == 422 and "Give a reason." in text(no_reason)
    ask = team.post(url, data={"note": "No capacity this month"})
    assert ask.status_code == 200 and "Decline the handover of Ama?" in text(ask)
    with app.app_context():
        assert db.session.get(Handover, ids["handover"]).status == "sent"
    done = team.post(url, data={"note": "No capacity this month", "confirmed": "1"})
    assert done.status_code == 302
    with app.app_context():
        handover = db.session.get(Handover, ids["handover"])
        assert handover.status == "declined" and handover.decline_reason == "No capacity this month"


# --- item 14: the handover form from the volunteer's home and the match page -------------


def test_the_handover_form_is_one_tap_from_home_and_the_match_page(app):
    today = local_today()
    with app.app_context():
        match = make_match(build_volunteer(), make_resident(), started_on=today)
        db.session.commit()
        match_id, resident_id, user_id = match.id, match.resident_id, match.volunteer.user_id
    client = client_as(app, user_id)
    link = f'href="/residents/{resident_id}/handover"'
    assert link in text(client.get("/me"))
    assert link in text(client.get(f"/matches/{match_id}"))
    assert client.get(f"/residents/{resident_id}/handover").status_code == 200


# --- item 8: an inactive volunteer loses access; stopping first ends or transfers -------


def test_an_inactive_volunteer_loses_access_and_stopping_needs_each_match_handed_on(app):
    today = local_today()
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        leaving = build_volunteer(("tw",), name="Kwasi Leaving")
        taking_over = build_volunteer(("tw",), name="Abena Taking")
        resident = make_resident(("tw",), first_name="Yaw")
        match = make_match(leaving, resident, started_on=today - timedelta(days=30))
        db.session.commit()
        ids = dict(
            match=match.id,
            resident=resident.id,
            leaving=leaving.id,
            leaving_user=leaving.user_id,
            taking=taking_over.id,
            org=leaving.organisation_id,
        )
    volunteer = client_as(app, ids["leaving_user"])
    assert volunteer.get(f"/matches/{ids['match']}").status_code == 200
    lead = client_as(app, lead_id)
    edit = volunteer_form(ids["org"], name="Kwasi Leaving", languages="tw")
    edit.pop("active")  # unticked
    refused = lead.post(f"/volunteers/{ids['leaving']}/edit", data=edit)
    assert "Kwasi Leaving still supports Yaw. End or transfer each match first" in text(refused)
    with app.app_context():
        assert db.session.get(Volunteer, ids["leaving"]).active
    page = text(lead.get(f"/volunteers/{ids['leaving']}"))
    assert f'href="/matches/{ids["match"]}/transfer"' in page
    form = text(lead.get(f"/matches/{ids['match']}/transfer"))
    assert "Abena Taking" in form and 'value="' + str(ids["taking"]) + '"' in form
    no_reason = lead.post(
        f"/matches/{ids['match']}/transfer",
        data={"volunteer": ids["taking"], "started_on": today.isoformat(), "reason": ""},
    )
    assert no_reason.status_code == 422 and "Give a reason." in text(no_reason)
    moved = lead.post(
        f"/matches/{ids['match']}/transfer",
        data={
            "volunteer": ids["taking"],
            "started_on": today.isoformat(),
            "reason": "Kwasi stops as a volunteer",
        },
    )
    assert moved.status_code == 302
    with app.app_context():
        old = db.session.get(Match, ids["match"])
        assert old.outcome == "transferred" and old.end_reason == "Kwasi stops as a volunteer"
        new = db.session.scalar(
            select(Match).where(Match.resident_id == ids["resident"], Match.ended_on.is_(None))
        )
        assert new.volunteer_id == ids["taking"]
    assert lead.post(f"/volunteers/{ids['leaving']}/edit", data=edit).status_code == 302
    with app.app_context():
        assert not db.session.get(Volunteer, ids["leaving"]).active


def test_a_volunteer_marked_inactive_sees_no_residents_matches_or_contacts(app):
    today = local_today()
    with app.app_context():
        volunteer = build_volunteer(name="Esi Gone")
        match = make_match(volunteer, make_resident(), started_on=today - timedelta(days=10))
        db.session.commit()
        match_id, resident_id, user_id = match.id, match.resident_id, volunteer.user_id
    client = client_as(app, user_id)
    assert client.get(f"/matches/{match_id}").status_code == 200
    with app.app_context():
        # the lead's own screen refuses this with active matches; the rule holds for any path
        gone = db.session.scalar(select(Volunteer).where(Volunteer.user_id == user_id))
        gone.active = False
        db.session.commit()
    for url in (
        f"/matches/{match_id}",
        f"/matches/{match_id}/contacts/new",
        f"/residents/{resident_id}",
    ):
        assert client.get(url).status_code == 404, url
    assert f"/matches/{match_id}" not in text(client.get("/me"))


# --- item 19: notifications for handover events and flags ---------------------------------


def _notes(kind: str) -> list:
    from maatjes.models import Notification

    return list(db.session.scalars(select(Notification).where(Notification.kind == kind)))


def test_handover_events_reach_the_receivers_then_the_sender_and_leads_once(app):
    from maatjes.domain import events

    with app.app_context():
        lead_id = make_user(Role.LEAD, name="Lead Lotte").id
        area = make_area("Bijlmer-Oost")
        pin_id = make_user(Role.LINKING_PIN, area=area, name="Pin Oost").id
        db.session.commit()
    ids = _handover_with_maatje(app)
    with app.app_context():
        new = {n.user_id for n in _notes(events.HANDOVER_NEW)}
        assert new == {ids["team"], pin_id}  # the area's team and Linking Pin; not Gaasperdam
    team = client_as(app, ids["team"])
    url = f"/handovers/{ids['handover']}"
    team.post(url + "/accept", data={"receiver_name": "Linda", "receiver_phone": "0205550142"})
    team.post(url + "/accept", data={"receiver_name": "Linda", "receiver_phone": "0205550142"})
    team.post(url + "/first_contact")
    with app.app_context():
        steps = _notes(events.HANDOVER_STEP)
        by_status = {}
        for note in steps:
            by_status.setdefault(note.period, set()).add(note.user_id)
        assert by_status == {
            "accepted": {ids["volunteer_user"], lead_id},
            "first_contact": {ids["volunteer_user"], lead_id},
        }
    sender = client_as(app, ids["volunteer_user"])
    inbox = text(sender.get("/notifications"))
    assert "the contact person is Linda" in inbox
    assert "The receiving side had its first contact with Ama." in inbox


def test_a_flagged_contact_reaches_the_active_leads_at_once(app):
    from maatjes.domain import events

    today = local_today()
    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        make_user(Role.LEAD).active = False  # a blocked lead hears nothing
        match = make_match(build_volunteer(), make_resident(first_name="Kojo"), started_on=today)
        db.session.commit()
        match_id, user_id = match.id, match.volunteer.user_id
    client = client_as(app, user_id)
    url = f"/matches/{match_id}/contacts/new"
    client.post(url, data={"contact_on": today.isoformat(), "kind": "phone"})
    with app.app_context():
        assert _notes(events.CONTACT_FLAGGED) == []
    flagged = {
        "contact_on": today.isoformat(),
        "kind": "visit",
        "note": "Bailiff at the door",
        "needs_attention": "y",
    }
    client.post(url, data=flagged)
    with app.app_context():
        assert [n.user_id for n in _notes(events.CONTACT_FLAGGED)] == [lead_id]
    inbox = text(client_as(app, lead_id).get("/notifications"))
    assert "Flagged for you: Kojo" in inbox


def test_the_digest_shows_one_item_per_line(app):
    from maatjes.domain import rhythm
    from maatjes.models import Notification

    with app.app_context():
        lead = make_user(Role.LEAD)
        db.session.add(
            Notification(
                key=f"digest:{lead.id}",
                user_id=lead.id,
                kind=rhythm.LEAD_DIGEST,
                period=local_today().isoformat(),
            )
        )
        db.session.commit()
        lead_id = lead.id
    page = text(client_as(app, lead_id).get("/notifications"))
    body = re.search(r'<div class="small notification-body">(.*?)</div></div>', page, re.S)
    assert body.group(1).count("<div>") == 5


# --- item 21: correcting a contact ----------------------------------------------------------


def test_a_volunteer_corrects_or_deletes_their_contact_within_seven_days_a_lead_any(app):
    from maatjes.models import AuditEvent, Contact

    today = local_today()
    with app.app_context():
        lead_id = make_user(Role.LEAD, name="Lead Lotte").id
        match = make_match(build_volunteer(), make_resident(), started_on=today - timedelta(20))
        db.session.commit()
        match_id, user_id = match.id, match.volunteer.user_id
    volunteer = client_as(app, user_id)
    log = {"contact_on": (today - timedelta(days=2)).isoformat(), "kind": "phone"}
    volunteer.post(f"/matches/{match_id}/contacts/new", data=log)
    with app.app_context():
        contact_id = db.session.scalar(select(Contact.id))
    page = text(volunteer.get(f"/matches/{match_id}"))
    assert f'href="/matches/contacts/{contact_id}/edit"' in page
    fixed = volunteer.post(
        f"/matches/contacts/{contact_id}/edit",
        data={"contact_on": today.isoformat(), "kind": "visit", "duration_minutes": "45"},
    )
    assert fixed.status_code == 302
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.kind, contact.duration_minutes, contact.contact_on) == ("visit", 45, today)
        assert contact.updated_by_id == user_id and contact.updated_at is not None
    assert "corrected by" in text(volunteer.get(f"/matches/{match_id}"))
    bad = volunteer.post(
        f"/matches/contacts/{contact_id}/edit",
        data={"contact_on": (today + timedelta(days=1)).isoformat(), "kind": "visit"},
    )
    assert bad.status_code == 422 and "A contact cannot be in the future." in text(bad)
    # Eight days after logging it, the volunteer can no longer change it; the lead can.
    later = datetime.now(UTC) + timedelta(days=8)
    with time_machine.travel(later, tick=False):
        volunteer = client_as(app, user_id)
        assert volunteer.get(f"/matches/contacts/{contact_id}/edit").status_code == 404
        lead = client_as(app, lead_id)
        assert lead.get(f"/matches/contacts/{contact_id}/edit").status_code == 200
        ask = lead.post(f"/matches/contacts/{contact_id}/delete")
        assert ask.status_code == 200 and "Delete the contact of" in text(ask)
        gone = lead.post(f"/matches/contacts/{contact_id}/delete", data={"confirmed": "1"})
        assert gone.status_code == 302
    with app.app_context():
        assert db.session.get(Contact, contact_id) is None
        deleted = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.object_type == "contact",
                AuditEvent.object_id == contact_id,
                AuditEvent.action == "delete",
            )
        )
        assert deleted is not None and deleted.actor_id == lead_id


def test_another_volunteers_contact_cannot_be_corrected(app):
    from maatjes.models import Contact

    today = local_today()
    with app.app_context():
        match = make_match(build_volunteer(), make_resident(), started_on=today)
        other = build_volunteer()
        db.session.commit()
        match_id, user_id, other_user = match.id, match.volunteer.user_id, other.user_id
    client_as(app, user_id).post(
        f"/matches/{match_id}/contacts/new", data={"contact_on": today.isoformat(), "kind": "phone"}
    )
    with app.app_context():
        contact_id = db.session.scalar(select(Contact.id))
    stranger = client_as(app, other_user)
    assert stranger.get(f"/matches/contacts/{contact_id}/edit").status_code == 404
    assert stranger.post(f"/matches/contacts/{contact_id}/delete").status_code == 404


# --- item 18: flagging for the lead asks for one line ------------------------------------


def test_flagging_a_contact_for_the_lead_needs_a_line_of_note(app):
    today = local_today()
    with app.app_context():
        match = make_match(build_volunteer(), make_resident(), started_on=today)
        db.session.commit()
        match_id, user_id = match.id, match.volunteer.user_id
    client = client_as(app, user_id)
    data = {"contact_on": today.isoformat(), "kind": "phone", "needs_attention": "y"}
    refused = client.post(f"/matches/{match_id}/contacts/new", data=data)
    assert refused.status_code != 302
    assert "Write one line for the project lead" in text(refused)
    assert "<details open" in text(refused) or "<details  open" in text(refused)


def test_the_need_other_asks_what_it_is_and_shows_it(app):
    from tests.builders import intake_form

    with app.app_context():
        lead_id = make_user(Role.LEAD).id
        area_id = make_area("Bijlmer-Oost").id
        db.session.commit()
    lead = client_as(app, lead_id)
    data = intake_form(area_id, needs="other")
    refused = lead.post("/residents/new", data=data)
    assert refused.status_code != 302 and "Say what “other” is." in text(refused)
    done = lead.post("/residents/new", data={**data, "needs_other": "Letters from CAK"})
    assert done.status_code == 302
    assert "Other (Letters from CAK)" in text(lead.get(done.headers["Location"]))


# --- item 20: "forgot password" by e-mail when SMTP is configured ------------------------


def _wait_for(inbox, count: int, seconds: float = 10) -> None:
    import time

    deadline = time.monotonic() + seconds
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_forgot_password_mails_the_one_time_link_and_answers_the_same_for_any_address(app, smtp):
    inbox, _controller = smtp
    with app.app_context():
        user = make_user(Role.VOLUNTEER, name="Akosua")
        user.email = "akosua@example.org"
        blocked = make_user(Role.VOLUNTEER)
        blocked.email, blocked.active = "blocked@example.org", False
        db.session.commit()
    client = app.test_client()
    english(client)
    assert 'id="forgot-password"' in text(client.get("/login"))
    answers = []
    for address in ("Akosua@Example.org", "nobody@example.org", "blocked@example.org"):
        response = client.post("/password/forgot", data={"email": address})
        assert response.status_code == 302
        answers.append(text(client.get(response.headers["Location"])))
    assert all("If an account uses this address" in a for a in answers)
    _wait_for(inbox, 1)
    assert len(inbox.messages) == 1  # only the active account got mail
    recipients, message = inbox.messages[0]
    assert recipients == ["akosua@example.org"]
    content = message.get_content()
    assert "maatjes.test" not in content  # the request's host is not trusted for the link
    link = re.search(r"https?://[^/\s]+(/password/\S+)", content).group(1)
    assert app.config["PUBLIC_URL"].rstrip("/") + link in content
    again = client.post("/password/forgot", data={"email": "akosua@example.org"})
    assert again.status_code == 302
    _wait_for(inbox, 2, seconds=1.5)
    assert len(inbox.messages) == 1  # not a second mail within 5 minutes
    follow = client.get(link)
    assert follow.status_code == 302 and follow.headers["Location"].endswith("/password")
    assert "New password" in text(client.get("/password"))


def test_without_smtp_forgot_password_says_to_ask_the_lead(app):
    client = app.test_client()
    english(client)
    assert 'id="forgot-password"' not in text(client.get("/login"))
    page = text(client.get("/password/forgot"))
    assert 'id="ask-the-lead"' in page and "<form" not in page.split("<main")[1].split("</main>")[0]


def test_forgot_password_posts_are_limited_per_address(app, smtp):
    client = app.test_client()
    english(client)
    answers = [
        client.post("/password/forgot", data={"email": f"n{n}@example.org"}).status_code
        for n in range(6)
    ]
    assert answers == [302] * 5 + [429]


def test_the_buurtteam_referral_form_has_the_language_picker(app):
    with app.app_context():
        team_id = make_user(Role.BUURTTEAM, area=make_area("Bijlmer-Oost")).id
        db.session.commit()
    page = text(client_as(app, team_id).get("/handovers/refer"))
    assert "data-language-picker" in page and "<datalist" in page


def test_the_page_calls_a_handover_overdue_on_the_day_the_scheduler_reports_it():
    """One rule for "waited too long": the page and the scheduler's notification agree. Sent
    on Friday 22 April 2022; Koningsdag (27 April) is no working day; the 5th working day is
    Monday 2 May, and from Tuesday 3 May it is overdue (tests/jobs/test_rhythm.py)."""
    from maatjes.domain.handovers import SENT, waiting

    handover = Handover(status=SENT, status_changed_at=datetime(2022, 4, 22, 8, 0))
    assert not waiting(handover, date(2022, 5, 2)).overdue
    assert waiting(handover, date(2022, 5, 3)).overdue
