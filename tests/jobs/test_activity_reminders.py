"""The scheduler reminds an organisation of its social-map activities not checked for a year:
once per stale spell, to the right people, grouped per organisation."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from flask_babel import force_locale

from maatjes import jobs
from maatjes.domain import map_reminders
from maatjes.domain.map_reminders import ACTIVITY_STALE, remind_stale_activities
from maatjes.extensions import db
from maatjes.models import Activity, Person, Role
from maatjes.notifications import render
from tests.builders import client_as, make_org, make_organisation_contact, make_user
from tests.jobs.conftest import local, notes

in_app = pytest.mark.usefixtures("ctx")

TODAY = date(2022, 3, 9)
NOW = local(2022, 3, 9, 5, 0).replace(tzinfo=None)
STALE = TODAY - relativedelta(months=12) - timedelta(days=1)


def activity(org, name="Taalcafé", checked_on=STALE, **fields) -> Activity:
    made = Activity(organisation=org, name=name, checked_on=checked_on, **fields)
    db.session.add(made)
    db.session.flush()
    return made


def run(day=TODAY) -> int:
    created = remind_stale_activities(db.session, today=day, now=NOW)
    db.session.commit()
    return created


def contact_of(org, name="Contact"):
    """An organisation contact's account, and its person as the organisation's contact."""
    user = make_organisation_contact(org, name=name)
    org.contact_person = db.session.query(Person).filter_by(user_id=user.id).one()
    db.session.flush()
    return user


def message(note, day=TODAY):
    with force_locale("en"):
        return render(db.session, note, today=day)


@in_app
def test_the_contact_of_a_stale_activity_is_reminded_once():
    org = make_org("Recogin")
    user = contact_of(org)
    make_user(Role.ADMIN)
    stale = activity(org, "Taalcafé Nederlands")
    activity(org, "Budgetcafé", checked_on=TODAY - timedelta(days=30))  # checked: not named
    db.session.commit()

    assert run() == 1
    [note] = notes(ACTIVITY_STALE)
    assert (note.user_id, note.kind, note.period) == (user.id, ACTIVITY_STALE, "2022-03-09")
    assert db.session.get(Activity, stale.id).reminded_on == TODAY
    text = message(note)
    assert "Recogin" in text.subject
    assert "“Taalcafé Nederlands”" in text.body and "Budgetcafé" not in text.body
    assert "12 months" in text.body
    assert f"organisation={org.id}" in text.link and "checked=stale" in text.link

    assert run() == 0  # the same day
    assert run(TODAY + timedelta(days=1)) == 0  # the next day
    assert run(TODAY + timedelta(days=60)) == 0  # still the same stale spell
    assert len(notes(ACTIVITY_STALE)) == 1


@in_app
def test_just_within_twelve_months_is_not_stale():
    org = make_org()
    contact_of(org)
    activity(org, checked_on=TODAY - relativedelta(months=12))
    db.session.commit()
    assert run() == 0
    assert run(TODAY + timedelta(days=1)) == 1


@in_app
def test_checked_archived_and_left_organisations_get_nothing():
    checked = make_org("Checked")
    contact_of(checked, "A")
    activity(checked, checked_on=TODAY - timedelta(days=100))
    archived = make_org("Archived")
    contact_of(archived, "B")
    activity(archived, archived=True)
    left = make_org("Left")
    left.status = "left"
    contact_of(left, "C")
    activity(left)
    make_user(Role.ADMIN)
    db.session.commit()

    assert run() == 0
    assert notes(ACTIVITY_STALE) == []
    assert all(a.reminded_on is None for a in db.session.query(Activity))


@in_app
def test_the_stale_activities_of_an_organisation_come_in_one_notification():
    org = make_org("Buurtwerkkamers")
    user = contact_of(org)
    activity(org, "Open ochtend")
    activity(org, "Samen koken", checked_on=STALE - timedelta(days=200))
    db.session.commit()

    assert run() == 1
    [note] = notes(ACTIVITY_STALE, user.id)
    body = message(note).body
    assert "These activities of Buurtwerkkamers" in body
    assert "“Open ochtend”" in body and "“Samen koken”" in body


@in_app
def test_without_a_contact_person_account_the_organisations_people_are_reminded():
    org = make_org("SES")
    person_without_account = Person(name="No account", organisation=org)
    db.session.add(person_without_account)
    org.contact_person = person_without_account
    first = make_organisation_contact(org, "First")
    second = make_organisation_contact(org, "Second")
    gone = make_organisation_contact(org, "Gone")
    gone.active = False
    make_user(Role.ADMIN)
    activity(org)
    db.session.commit()

    assert run() == 2
    assert sorted(n.user_id for n in notes(ACTIVITY_STALE)) == sorted([first.id, second.id])


@in_app
def test_an_inactive_contact_person_account_passes_to_the_others():
    org = make_org("SES")
    contact = contact_of(org, "Contact")
    contact.active = False
    other = make_organisation_contact(org, "Other")
    activity(org)
    db.session.commit()

    assert run() == 1
    assert [n.user_id for n in notes(ACTIVITY_STALE)] == [other.id]


@in_app
def test_when_nobody_at_the_organisation_has_an_account_the_admins_are_told():
    org = make_org("Los Latinos")
    admin = make_user(Role.ADMIN)
    retired = make_user(Role.ADMIN)
    retired.active = False
    make_user(Role.LEAD)
    make_user(Role.VOLUNTEER)
    activity(org, "Spaanstalig inloopuur")
    db.session.commit()

    assert run() == 1
    [note] = notes(ACTIVITY_STALE)
    assert note.user_id == admin.id
    text = message(note)
    assert "Los Latinos" in text.subject
    assert "Nobody at Los Latinos has an account" in text.body
    assert "“Spaanstalig inloopuur”" in text.body
    assert run(TODAY + timedelta(days=1)) == 0


@in_app
def test_reminded_again_only_after_it_was_checked_and_went_stale_again():
    org = make_org()
    contact_of(org)
    stale = activity(org)
    db.session.commit()
    assert run() == 1

    # checked a month later: the message says so, and nothing is due
    later = TODAY + timedelta(days=30)
    db.session.get(Activity, stale.id).checked_on = later
    db.session.commit()
    assert "have been checked since" in message(notes(ACTIVITY_STALE)[0], later).body
    assert run(later) == 0
    assert run(later + relativedelta(months=6)) == 0

    # a year after that check it is stale again: one new reminder
    again = later + relativedelta(months=12) + timedelta(days=1)
    assert run(again) == 1
    assert run(again) == 0
    assert run(again + timedelta(days=1)) == 0
    assert len(notes(ACTIVITY_STALE)) == 2
    assert db.session.get(Activity, stale.id).reminded_on == again


@in_app
def test_the_scheduler_runs_the_reminder_daily_and_a_second_run_adds_nothing(app):
    org = make_org()
    contact_of(org)
    activity(org)
    db.session.commit()
    assert "activities_stale" in {job.name for job in jobs.JOBS}

    now = local(2022, 3, 9, 5, 0)
    assert jobs.run_due_jobs(app, db.session, now=now)["activities_stale"] == 1
    assert jobs.run_due_jobs(app, db.session, now=now)["activities_stale"] is None
    assert jobs.run_due_jobs(app, db.session, now=now, force=True)["activities_stale"] == 0
    tomorrow = local(2022, 3, 10, 5, 0)
    assert jobs.run_due_jobs(app, db.session, now=tomorrow)["activities_stale"] == 0
    assert len(notes(ACTIVITY_STALE)) == 1


@in_app
def test_the_notifications_page_and_the_email_render_the_reminder(app):
    org = make_org("Recogin")
    user = contact_of(org)
    activity(org, "Taalcafé Nederlands")
    db.session.commit()
    run()
    [note] = notes(ACTIVITY_STALE)
    with app.test_request_context(), force_locale("nl"):
        text = render(db.session, note, today=TODAY)
    assert "Recogin" in text.subject and "Taalcafé Nederlands" in text.body
    assert text.link.startswith("/registry/activities")
    assert map_reminders.parse_key(note.key) == (org.id, map_reminders.TO_ORGANISATION)
    assert note.user_id == user.id


def test_the_contact_opens_the_reminder_and_lands_on_the_activities_to_check(app):
    with app.app_context():
        org = make_org("Recogin")
        user = contact_of(org)
        activity(org, "Taalcafé Nederlands")
        db.session.commit()
        run()
        [note] = notes(ACTIVITY_STALE)
        note_id, user_id, org_id = note.id, user.id, org.id
    client = client_as(app, user_id)
    page = client.get("/notifications")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Social map: check the activities of Recogin" in html
    assert "Taalcafé Nederlands" in html
    opened = client.post(f"/notifications/{note_id}/open")
    assert opened.status_code == 302
    assert f"organisation={org_id}" in opened.location and "checked=stale" in opened.location
    listed = client.get(opened.location)
    assert listed.status_code == 200
    assert "Taalcafé Nederlands" in listed.get_data(as_text=True)
