"""The weekly rhythm with fixed clocks: reminders, escalations, evaluations, handovers."""

from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from maatjes import jobs
from maatjes.domain import handovers, rhythm
from maatjes.domain.contacts import ContactInput, log_contact
from maatjes.domain.handovers import HandoverInput
from maatjes.extensions import db
from maatjes.models import JobRun, Notification, Role
from tests.builders import make_area, make_match, make_resident, make_user, make_volunteer
from tests.jobs.conftest import local, notes

pytestmark = pytest.mark.usefixtures("ctx")


def run_all(app, now, force=False):
    return jobs.run_due_jobs(app, db.session, now=now, force=force)


def contact(match, day):
    log_contact(db.session, match, ContactInput(day, "phone"), by=match.volunteer.user, today=day)


def setup_match(start=date(2022, 1, 3)):
    lead = make_user(Role.LEAD)
    volunteer = make_volunteer(("tw",))
    match = make_match(volunteer, make_resident(("tw",), first_name="Ama"), started_on=start)
    db.session.commit()
    return lead, volunteer, match


def test_skipped_week_reaches_the_volunteer_on_monday_and_the_lead_after_two(app):
    lead, volunteer, match = setup_match()
    contact(match, date(2022, 1, 4))  # week 1 done; week 2 (10–16 January) skipped
    db.session.commit()

    run_all(app, local(2022, 1, 17, 4, 30))
    missed = notes(rhythm.CONTACT_MISSED)
    assert [(n.user_id, n.period) for n in missed] == [(volunteer.user_id, "2022-W02")]
    due = notes(rhythm.CONTACT_DUE)
    assert [(n.user_id, n.period) for n in due] == [(volunteer.user_id, "2022-W03")]
    assert notes(rhythm.ESCALATION) == []

    run_all(app, local(2022, 1, 24, 4, 30))  # week 3 skipped too: the lead hears of it
    escalations = notes(rhythm.ESCALATION)
    assert [(n.user_id, n.match_id) for n in escalations] == [(lead.id, match.id)]

    run_all(app, local(2022, 1, 31, 4, 30))  # the same lapse goes on: no second escalation
    assert len(notes(rhythm.ESCALATION)) == 1
    assert len(notes(rhythm.CONTACT_MISSED)) == 3

    contact(match, date(2022, 2, 1))  # contact again, then two more weeks skipped
    db.session.commit()
    run_all(app, local(2022, 2, 21, 4, 30))
    assert len(notes(rhythm.ESCALATION)) == 2  # a new lapse, a new escalation


def test_running_every_job_twice_adds_nothing(app):
    setup_match(start=date(2021, 12, 6))
    now = local(2022, 3, 7, 7, 30)
    first = run_all(app, now)
    assert any(first.values())
    count = db.session.scalar(select(func.count(Notification.id)))
    assert all(v is None for v in run_all(app, now).values())  # claimed periods
    run_all(app, now, force=True)  # even without the claims, the keys hold
    assert db.session.scalar(select(func.count(Notification.id))) == count


def test_thirteen_weeks_asks_volunteer_and_lead_to_evaluate(app):
    # Started on a Sunday: ISO week 13 of the match begins on 28 March, but 13 weeks (91 days)
    # are only reached on Sunday 10 April; the reminder must not come six days early.
    lead, volunteer, match = setup_match(start=date(2022, 1, 9))
    for week in range(15):
        contact(match, date(2022, 1, 9) + timedelta(weeks=week))
    db.session.commit()
    run_all(app, local(2022, 3, 28, 4, 30))  # Monday of ISO week 13 (the day after DST starts)
    assert notes(rhythm.EVALUATION) == []
    run_all(app, local(2022, 4, 9, 12, 0))  # Saturday, day 90
    assert notes(rhythm.EVALUATION) == []
    run_all(app, local(2022, 4, 10, 4, 30))  # Sunday, day 91
    assert {n.user_id for n in notes(rhythm.EVALUATION)} == {lead.id, volunteer.user_id}
    run_all(app, local(2022, 4, 18, 4, 30))
    assert len(notes(rhythm.EVALUATION)) == 2


def test_handover_waiting_five_working_days_reaches_the_linking_pin_and_sender(app):
    area = make_area("Bijlmer-Oost")
    lead = make_user(Role.LEAD)
    pin = make_user(Role.LINKING_PIN, area=area)
    make_user(Role.LINKING_PIN, area=make_area("Bijlmer-Centrum"))  # another area: not told
    team = make_user(Role.BUURTTEAM, area=area)
    resident = make_resident(area="Bijlmer-Oost")
    with time_machine.travel(local(2022, 4, 22, 10, 0), tick=False):  # Friday
        handover = handovers.start_handover(
            db.session,
            resident,
            HandoverInput("Debts", "", "normal", True, date(2022, 4, 22)),
            by=lead,
            today=date(2022, 4, 22),
        )
    db.session.commit()
    # Koningsdag (27 April) is no working day: the 5th working day ends on Monday 2 May
    run_all(app, local(2022, 5, 2, 23, 0), force=True)
    assert notes(rhythm.HANDOVER_WAITING) == []
    run_all(app, local(2022, 5, 3, 4, 30))
    assert {n.user_id for n in notes(rhythm.HANDOVER_WAITING)} == {pin.id, lead.id}

    with time_machine.travel(local(2022, 5, 3, 9, 0), tick=False):
        handovers.transition(
            db.session,
            handover,
            "accept",
            by=team,
            today=date(2022, 5, 3),
            receiver_name="Linda",
            receiver_email="linda@buurtteam.example",
        )
    db.session.commit()
    run_all(app, local(2022, 5, 10, 4, 30))  # accepted 5 working days ago, today is day 5
    assert len(notes(rhythm.HANDOVER_WAITING)) == 2
    run_all(app, local(2022, 5, 11, 4, 30))  # no first contact: told again, once
    run_all(app, local(2022, 5, 12, 4, 30))
    assert len(notes(rhythm.HANDOVER_WAITING)) == 4


def test_iso_week_53_rolls_into_week_1(app):
    _lead, volunteer, match = setup_match(start=date(2020, 12, 21))
    contact(match, date(2020, 12, 22))
    db.session.commit()
    run_all(app, local(2021, 1, 4, 4, 30))
    assert [n.period for n in notes(rhythm.CONTACT_MISSED)] == ["2020-W53"]
    assert [n.period for n in notes(rhythm.CONTACT_DUE)] == ["2021-W01"]


def test_week_52_to_week_1(app):
    _lead, volunteer, match = setup_match(start=date(2021, 12, 20))
    db.session.commit()
    run_all(app, local(2022, 1, 3, 4, 30))
    assert sorted(n.period for n in notes(rhythm.CONTACT_MISSED)) == ["2021-W51", "2021-W52"]
    assert len(notes(rhythm.ESCALATION)) == 1


@pytest.mark.parametrize(
    ("utc_now", "period"),
    [
        # 02:30 happens twice on 30 October 2022; both are before 04:00: still the 29th
        ((2022, 10, 30, 0, 30), "2022-10-29"),
        ((2022, 10, 30, 1, 30), "2022-10-29"),
        ((2022, 10, 30, 3, 0), "2022-10-30"),  # 04:00 CET
        ((2022, 3, 27, 1, 59), "2022-03-26"),  # 03:59 CEST, just after the clocks jump
        ((2022, 3, 27, 2, 0), "2022-03-27"),  # 04:00 CEST
    ],
)
def test_daily_jobs_run_from_four_in_the_morning_across_dst(app, utc_now, period):
    from datetime import UTC, datetime

    setup_match(start=date(2022, 3, 1))
    with time_machine.travel(datetime(*utc_now, tzinfo=UTC), tick=False):
        run_all(app, None)
        run_all(app, None)
    periods = set(db.session.scalars(select(JobRun.period).where(JobRun.job == "contact_missed")))
    assert periods == {period}


def test_lead_digest_only_on_working_days(app):
    lead, _volunteer, _match = setup_match()
    run_all(app, local(2022, 4, 27, 8, 0))  # Koningsdag
    assert notes(rhythm.LEAD_DIGEST) == []
    run_all(app, local(2022, 4, 28, 6, 0))  # before 07:00: not yet
    assert notes(rhythm.LEAD_DIGEST) == []
    run_all(app, local(2022, 4, 28, 7, 5))
    assert [n.user_id for n in notes(rhythm.LEAD_DIGEST)] == [lead.id]


def test_papers_expiring_thirty_days_ahead(app):
    from maatjes.domain.training import record_attendance
    from maatjes.models import Training
    from tests.builders import make_session

    lead = make_user(Role.LEAD)
    volunteer = make_volunteer(("nl",))
    volunteer.vog_date = date(2019, 3, 1)
    meldcode = Training(name="Meldcode", kind="other", refresh_months=24)
    db.session.add(meldcode)
    db.session.flush()
    session = make_session("other", date(2020, 3, 20))
    session.training = meldcode
    record_attendance(db.session, volunteer, session, completed=True)
    db.session.commit()
    run_all(app, local(2022, 1, 10, 5, 0))
    assert notes(rhythm.VOG_EXPIRING) == [] and notes(rhythm.REFRESHER) == []
    run_all(app, local(2022, 2, 20, 5, 0))  # VOG 3 years on 1 March 2022: 30 days ahead
    assert [n.user_id for n in notes(rhythm.VOG_EXPIRING)] == [lead.id]
    run_all(app, local(2022, 2, 25, 5, 0))  # refresher due 20 March 2022
    assert [(n.user_id, n.training_id) for n in notes(rhythm.REFRESHER)] == [(lead.id, meldcode.id)]


def test_contact_due_text_is_about_its_own_week_and_skips_intakes_still_ahead(app):
    from flask_babel import force_locale

    from maatjes.notifications import render

    _lead, volunteer, match = setup_match(start=date(2022, 1, 3))
    contact(match, date(2022, 1, 4))
    later = make_match(  # intake on Thursday of week 3: nothing due on Monday of week 3
        volunteer, make_resident(("tw",), first_name="Kofi"), started_on=date(2022, 1, 20)
    )
    db.session.commit()
    run_all(app, local(2022, 1, 17, 4, 30))
    (due,) = notes(rhythm.CONTACT_DUE)
    assert due.period == "2022-W03"
    with app.test_request_context(), force_locale("en"):
        monday = render(db.session, due, today=date(2022, 1, 17))
        assert monday.body == "Still to contact this week: Ama."
        contact(later, date(2022, 1, 20))
        read_later = render(db.session, due, today=date(2022, 1, 25))  # read in week 4
    assert "week of Monday 17 January 2022" in read_later.subject
    assert read_later.body == "No contact in the week of Monday 17 January 2022 with: Ama."


def test_a_waiting_referral_to_money_maatjes_reaches_the_leads_and_says_where_it_went(app):
    from flask_babel import force_locale

    from maatjes.notifications import render

    area = make_area("Bijlmer-Centrum")
    lead = make_user(Role.LEAD)
    team = make_user(Role.BUURTTEAM, area=area)
    pin = make_user(Role.LINKING_PIN, area=area)
    blocked_lead = make_user(Role.LEAD)
    blocked_lead.active = False
    resident = make_resident(area="Bijlmer-Centrum", first_name="Marlon")
    with time_machine.travel(local(2022, 5, 9, 10, 0), tick=False):  # Monday
        handovers.refer_to_maatjes(
            db.session,
            resident,
            HandoverInput("Post piles up", "", "normal", True, date(2022, 5, 9)),
            by=team,
            today=date(2022, 5, 9),
        )
    db.session.commit()
    run_all(app, local(2022, 5, 17, 4, 30))  # the 5th working day has passed
    waiting = notes(rhythm.HANDOVER_WAITING)
    assert {n.user_id for n in waiting} == {team.id, pin.id, lead.id}
    with app.test_request_context(), force_locale("en"):
        body = render(db.session, waiting[0], today=date(2022, 5, 17)).body
    assert body == (
        "The referral of Marlon by the buurtteam of Bijlmer-Centrum to Money Maatjes has not"
        " been accepted for 5 working days."
    )


@pytest.mark.parametrize("paused", ["volunteer", "login"])
def test_an_inactive_volunteer_hears_nothing_but_the_lead_still_does(app, paused):
    lead, volunteer, match = setup_match(start=date(2021, 12, 6))
    if paused == "volunteer":
        volunteer.active = False
    else:
        volunteer.user.active = False
    db.session.commit()
    run_all(app, local(2022, 3, 14, 4, 30))  # weeks without contact, and past 13 weeks
    assert notes(user_id=volunteer.user_id) == []
    assert notes(rhythm.ESCALATION, user_id=lead.id)
    assert notes(rhythm.EVALUATION, user_id=lead.id)


def test_the_weekly_job_before_four_on_monday_does_last_weeks_work(app):
    _lead, volunteer, _match = setup_match(start=date(2022, 1, 3))
    run_all(app, local(2022, 1, 17, 0, 30))  # Monday 00:30: the period is still week 2
    (run,) = db.session.scalars(select(JobRun).where(JobRun.job == "contact_due"))
    assert run.period == "2022-W02"
    assert [n.period for n in notes(rhythm.CONTACT_DUE)] == ["2022-W02"]
    run_all(app, local(2022, 1, 17, 4, 30))
    assert [n.period for n in notes(rhythm.CONTACT_DUE)] == ["2022-W02", "2022-W03"]


def test_an_old_digest_does_not_show_todays_figures_as_its_own(app):
    from flask_babel import force_locale

    from maatjes.notifications import render

    lead, _volunteer, _match = setup_match(start=date(2022, 1, 3))
    run_all(app, local(2022, 1, 17, 7, 30))
    (digest,) = notes(rhythm.LEAD_DIGEST)
    with app.test_request_context(), force_locale("en"):
        same_day = render(db.session, digest, today=date(2022, 1, 17))
        next_day = render(db.session, digest, today=date(2022, 1, 18))
    assert same_day.subject == "Money Maatjes: today's attention list"
    assert "Contact due this week: 1" in same_day.body
    assert next_day.subject == "Money Maatjes: attention list of Monday 17 January 2022"
    assert "Contact due" not in next_day.body and "today's figures" in next_day.body


def test_a_job_counts_only_the_notifications_it_added(app):
    """The count comes from the database's own row count: keys that exist are not counted."""
    setup_match(start=date(2022, 1, 3))
    make_volunteer()  # a second volunteer without matches: nothing for them
    db.session.commit()
    now = local(2022, 1, 19, 9, 0).replace(tzinfo=None)
    today = date(2022, 1, 19)
    first = rhythm.contact_missed(db.session, today=today, now=now)
    again = rhythm.contact_missed(db.session, today=today, now=now)
    db.session.commit()
    stored = db.session.scalar(
        select(func.count(Notification.id)).where(Notification.kind == rhythm.CONTACT_MISSED)
    )
    assert first == stored == 2 and again == 0  # weeks 1 and 2 of the match, each once
