"""E-mail through a real SMTP server on loopback; two schedulers at once; the calendar feed."""

import logging
import socket
import threading
from datetime import date
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import func, select

from maatjes import jobs
from maatjes.domain.contacts import ContactInput, log_contact
from maatjes.extensions import db
from maatjes.models import Notification, Role, User, Volunteer
from maatjes.models.notification import EMAIL_FAILED, EMAIL_PENDING, EMAIL_SENT
from tests.builders import login, make_match, make_resident, make_user, make_volunteer
from tests.jobs.conftest import local

NOW = local(2022, 1, 17, 7, 30)  # Monday: week 2 of the match was skipped


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    saved = {k: app.config.get(k) for k in ("SMTP_HOST", "SMTP_PORT", "SMTP_SECURITY")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_SECURITY="none")
    yield inbox, controller
    if controller._thread is not None:  # still running (a test may have stopped it)
        controller.stop()
    app.config.update(saved)


def world(app):
    with app.app_context():
        lead = make_user(Role.LEAD, name="Lisa Lead")
        lead.locale = "en"
        lead.email = "lead@example.org"
        volunteer = make_volunteer(("tw",), name="Akosua Boateng")
        volunteer.user.email = "akosua@example.org"
        resident = make_resident(("tw",), first_name="Ama", last_name="Owusu", phone="0611223344")
        match = make_match(volunteer, resident, started_on=date(2022, 1, 3))
        week_one_contact(match)
        db.session.commit()
        return dict(
            lead=lead.id, volunteer_user=volunteer.user_id, volunteer=volunteer.id, match=match.id
        )


def week_one_contact(match):
    log_contact(
        db.session,
        match,
        ContactInput(date(2022, 1, 4), "visit"),
        by=match.volunteer.user,
        today=date(2022, 1, 4),
    )


def run_once(app, now=NOW):
    with app.app_context():
        jobs.run_due_jobs(app, db.session, now=now)
        sent = jobs.deliver_emails(app, db.session, now=now)
        db.session.remove()
        return sent


def test_emails_reach_the_recipients_in_their_language_once(app, smtp):
    inbox, _controller = smtp
    world(app)
    assert run_once(app) == 3  # the volunteer's two, and the lead's daily digest
    by_recipient = {tuple(rcpt): message for rcpt, message in inbox.messages}
    dutch = by_recipient[("akosua@example.org",)]
    # two notifications for the volunteer: missed week 2, contact due in week 3
    subjects = sorted(m["Subject"] for r, m in inbox.messages if r == ["akosua@example.org"])
    assert subjects == ["Geen contact met Ama vorige week", "Money Maatjes: je contacten deze week"]
    assert dutch["Content-Language"] == "nl"
    assert "Owusu" not in dutch["Subject"] and "11223344" not in dutch.as_string()
    assert all("Owusu" not in m["Subject"] for _r, m in inbox.messages)

    # Nothing is sent twice, whether the scheduler runs again or a second one starts.
    assert run_once(app) == 0
    assert len(inbox.messages) == 3

    # Two weeks later the lead (English) gets one escalation.
    run_once(app, local(2022, 1, 24, 7, 30))
    lead_mail = [m for r, m in inbox.messages if r == ["lead@example.org"]]
    assert [m["Subject"] for m in lead_mail if "without contact" in m["Subject"]] == [
        "Two weeks without contact: Ama"
    ]
    assert all(m["Content-Language"] == "en" for m in lead_mail)


def test_smtp_down_keeps_the_notification_and_retries_without_logging_the_body(app, smtp, caplog):
    inbox, controller = smtp
    ids = world(app)
    controller.stop()
    with caplog.at_level(logging.WARNING):
        assert run_once(app) == 0
    assert "stay pending" in caplog.text
    assert "Ama" not in caplog.text  # neither subject nor body is logged
    with app.app_context():
        pending = db.session.scalars(
            select(Notification).where(Notification.user_id == ids["volunteer_user"])
        ).all()
        assert {n.email_status for n in pending} == {EMAIL_PENDING}
        assert {n.email_attempts for n in pending} == {1}
    restarted = Controller(inbox, hostname="127.0.0.1", port=controller.port)
    restarted.start()
    try:
        assert run_once(app) == 3
    finally:
        restarted.stop()
    with app.app_context():
        assert {n.email_status for n in db.session.scalars(select(Notification))} == {EMAIL_SENT}


class RefusingInbox(Inbox):
    """Refuses one address with a given SMTP reply; accepts everyone else."""

    def __init__(self, address: str, reply: str):
        super().__init__()
        self.address, self.reply = address, reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address == self.address:
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.mark.parametrize("digest", [False, True])
@pytest.mark.parametrize(
    ("reply", "attempts_before", "status"),
    [
        ("550 5.1.1 No such user", 0, EMAIL_FAILED),  # refused for good at once
        ("451 4.3.0 Try again later", 0, EMAIL_PENDING),  # retried on the next run
        ("451 4.3.0 Try again later", jobs.EMAIL_MAX_ATTEMPTS - 1, EMAIL_FAILED),  # given up
    ],
)
def test_one_refused_address_does_not_hold_up_the_others(
    app, caplog, reply, attempts_before, status, digest
):
    inbox = RefusingInbox("akosua@example.org", reply)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    saved = {k: app.config.get(k) for k in ("SMTP_HOST", "SMTP_PORT", "SMTP_SECURITY")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_SECURITY="none")
    try:
        ids = world(app)
        with app.app_context():
            jobs.run_due_jobs(app, db.session, now=NOW)
            db.session.execute(
                Notification.__table__.update()
                .where(Notification.user_id == ids["volunteer_user"])
                .values(email_attempts=attempts_before)
            )
            db.session.get(User, ids["volunteer_user"]).email_digest = digest
            db.session.commit()
            db.session.remove()
        with caplog.at_level(logging.WARNING):
            assert run_once(app) == 1  # the lead's digest still goes out
        assert [rcpt for rcpt, _m in inbox.messages] == [["lead@example.org"]]
        assert "akosua" not in caplog.text and "Ama" not in caplog.text
        assert reply[:3] in caplog.text
        with app.app_context():
            notes = db.session.scalars(
                select(Notification).where(Notification.user_id == ids["volunteer_user"])
            ).all()
            assert {n.email_status for n in notes} == {status}
            assert {n.email_attempts for n in notes} == {attempts_before + 1}
            assert all(n.read_at is None for n in notes)  # still there, unread, in the app
    finally:
        controller.stop()
        app.config.update(saved)


def test_digest_users_get_one_mail_a_day(app, smtp):
    inbox, _controller = smtp
    ids = world(app)
    with app.app_context():
        from maatjes.models import User

        db.session.get(User, ids["volunteer_user"]).email_digest = True
        db.session.commit()
    run_once(app, local(2022, 1, 17, 6, 30))  # before 07:00: no digest yet
    assert [r for r, _m in inbox.messages if r == ["akosua@example.org"]] == []
    run_once(app, local(2022, 1, 17, 7, 30))
    run_once(app, local(2022, 1, 17, 9, 30))
    mails = [m for r, m in inbox.messages if r == ["akosua@example.org"]]
    assert len(mails) == 1
    assert mails[0]["Subject"] == "Money Maatjes: je dagelijkse overzicht"
    assert "Geen contact met Ama vorige week" in mails[0].get_content()


def test_two_schedulers_at_once_create_and_send_nothing_twice(app, smtp):
    inbox, _controller = smtp
    world(app)
    with app.app_context():
        for _ in range(6):
            extra = make_volunteer(("tw",))
            week_one_contact(make_match(extra, make_resident(("tw",)), started_on=date(2022, 1, 3)))
        db.session.commit()
    start = threading.Barrier(2)
    errors = []

    def scheduler():
        try:
            start.wait()
            run_once(app)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        total = db.session.scalar(select(func.count(Notification.id)))
        distinct = db.session.scalar(select(func.count(func.distinct(Notification.key))))
        # 7 volunteers × (missed week 2 + due week 3), and the lead's digest
        assert total == distinct == 15
        assert (
            db.session.scalar(
                select(func.count(Notification.id)).where(Notification.email_status == EMAIL_SENT)
            )
            == 15
        )
    assert len(inbox.messages) == 15


def test_calendar_feed_is_valid_first_names_only_and_revocable(app):
    ids = world(app)
    client = app.test_client()
    login(client, ids["volunteer_user"])
    response = client.post("/profile/calendar")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    link = page.split('id="calendar-link" readonly value="', 1)[1].split('"', 1)[0]
    path = link.split("maatjes.test", 1)[1]
    feed = app.test_client().get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    calendar = Calendar.from_ical(feed.data)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    events = list(calendar.walk("VEVENT"))
    assert all(e.get("UID") and e.get("DTSTAMP") for e in events)  # required by RFC 5545
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert events, "one item per week a contact is due"
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start.weekday() == 0 and (end - start).days == 7  # all week, Monday to Monday
        assert "Ama" in str(event["summary"])
    body = feed.get_data(as_text=True)
    assert "Owusu" not in body and "11223344" not in body
    client.post("/profile/calendar/revoke")
    assert app.test_client().get(path).status_code == 404


def test_calendar_feed_stops_when_the_account_is_blocked(app):
    ids = world(app)
    client = app.test_client()
    login(client, ids["volunteer_user"])
    page = client.post("/profile/calendar").get_data(as_text=True)
    link = page.split('id="calendar-link" readonly value="', 1)[1].split('"', 1)[0]
    path = link.split("maatjes.test", 1)[1]
    assert app.test_client().get(path).status_code == 200
    lead = app.test_client()
    login(lead, ids["lead"])
    blocked = lead.post(
        f"/users/{ids['volunteer_user']}/active", data={"active": "0", "confirmed": "1"}
    )
    assert blocked.status_code == 302
    assert app.test_client().get(path).status_code == 404
    lead.post(f"/users/{ids['volunteer_user']}/active", data={"active": "1"})
    assert app.test_client().get(path).status_code == 404, "unblocking does not revive the link"


def test_an_inactive_volunteer_is_told_the_calendar_is_off_instead_of_getting_a_dead_link(app):
    ids = world(app)
    with app.app_context():
        db.session.get(Volunteer, ids["volunteer"]).active = False
        db.session.commit()
    client = app.test_client()
    login(client, ids["volunteer_user"])
    client.post("/locale", data={"locale": "en"})
    page = client.get("/profile").get_data(as_text=True)
    assert "so the calendar feed is off" in page and "Make a calendar link" not in page
    response = client.post("/profile/calendar")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Volunteer, ids["volunteer"]).calendar_token_hash is None


def test_unread_count_in_the_header_and_opening_marks_read(app):
    ids = world(app)
    run_once(app)
    client = app.test_client()
    login(client, ids["volunteer_user"])
    page = client.get("/me").get_data(as_text=True)
    assert 'id="unread-count">2<' in page
    with app.app_context():
        note_id = db.session.scalar(
            select(Notification.id).where(Notification.user_id == ids["volunteer_user"])
        )
    response = client.post(f"/notifications/{note_id}/open")
    assert response.status_code == 302
    assert 'id="unread-count">1<' in client.get("/me").get_data(as_text=True)
    other = app.test_client()
    login(other, ids["lead"])
    assert other.post(f"/notifications/{note_id}/open").status_code == 404
