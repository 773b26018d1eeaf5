"""Need to know: free text about a resident (contact notes, handover reasons and needs, end
reasons) never reaches notifications, e-mails or the calendar feed, and the buurtteam sees only
what a handover needs."""

import re
from datetime import date, timedelta

import time_machine
from sqlalchemy import select

from maatjes import jobs
from maatjes.domain import handovers
from maatjes.domain.contacts import ContactInput, log_contact
from maatjes.domain.handovers import HandoverInput
from maatjes.extensions import db
from maatjes.models import Notification, Role
from maatjes.notifications import render
from tests.builders import login, make_area, make_match, make_resident, make_user, make_volunteer
from tests.jobs.conftest import local

MARK = "VERTROUWELIJK-7731"
START = date(2022, 1, 3)


def test_free_text_never_reaches_notifications_emails_or_the_calendar(app):
    with app.app_context():
        area = make_area("Bijlmer-Oost")
        make_user(Role.LEAD)
        make_user(Role.LINKING_PIN, area=area)
        volunteer = make_volunteer(("tw",))
        resident = make_resident(("tw",), first_name="Abena", area="Bijlmer-Oost")
        match = make_match(volunteer, resident, started_on=START)
        log_contact(
            db.session,
            match,
            ContactInput(
                START, "phone", note=f"{MARK} schuld", needs_attention=True, stress_score=9
            ),
            by=volunteer.user,
            today=START,
        )
        handovers.start_handover(
            db.session,
            resident,
            HandoverInput(
                reason=f"{MARK} reden",
                needs=f"{MARK} nodig",
                urgency="urgent",
                consent=True,
                consent_on=START,
            ),
            by=volunteer.user,
            today=START,
        )
        db.session.commit()
        volunteer_user = volunteer.user_id
        # weeks of the rhythm: reminders, missed weeks, escalations, waiting handovers, digests
        day = START
        while day < START + timedelta(weeks=15):
            jobs.run_due_jobs(app, db.session, now=local(day.year, day.month, day.day, 8, 0))
            day += timedelta(days=1)
        notes = db.session.scalars(select(Notification)).all()
        assert len({n.kind for n in notes}) >= 4
        for note in notes:
            message = render(db.session, note, today=day)
            text = f"{message.subject}\n{message.body}\n{message.link}"
            assert MARK not in text, note.kind
    client = app.test_client()
    with time_machine.travel(START + timedelta(days=10), tick=False):
        login(client, volunteer_user)
        page = client.post("/profile/calendar").get_data(as_text=True)
        feed_url = re.search(r"(/calendar/[^\"<\s]+\.ics)", page).group(1)
        feed = client.get(feed_url).get_data(as_text=True)
    assert "BEGIN:VCALENDAR" in feed and "Abena" in feed
    assert MARK not in feed and "Abena Test" not in feed  # first names only


def test_the_buurtteam_sees_the_handover_but_not_the_casework(app):
    with app.app_context():
        area = make_area("Bijlmer-Oost")
        lead = make_user(Role.LEAD)
        buurtteam = make_user(Role.BUURTTEAM, area=area)
        volunteer = make_volunteer(("tw",))
        resident = make_resident(("tw",), area="Bijlmer-Oost")
        match = make_match(volunteer, resident, started_on=START)
        log_contact(
            db.session,
            match,
            ContactInput(START, "visit", note=f"{MARK} notitie", stress_score=9),
            by=volunteer.user,
            today=START,
        )
        handover = handovers.start_handover(
            db.session,
            resident,
            HandoverInput(
                reason="Schuldhulp", needs="", urgency="normal", consent=True, consent_on=START
            ),
            by=lead,
            today=START,
        )
        db.session.commit()
        ids = buurtteam.id, handover.id, match.id, resident.id
    client = app.test_client()
    login(client, ids[0])
    page = client.get(f"/handovers/{ids[1]}").get_data(as_text=True)
    assert "Schuldhulp" in page
    assert MARK not in page
    assert client.get(f"/matches/{ids[2]}").status_code in (403, 404)
    assert client.get(f"/residents/{ids[3]}").status_code in (403, 404)
