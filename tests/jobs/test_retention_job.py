"""Retention: residents are anonymised 12 months after their support ended, by a job that is
idempotent, set-based and leaves the figures for reports as they were."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from maatjes import jobs
from maatjes.domain import handovers, matching, retention
from maatjes.domain.contacts import ContactInput, log_contact
from maatjes.domain.handovers import HandoverInput
from maatjes.extensions import db
from maatjes.models import AuditEvent, Contact, Handover, Match, Resident, Role
from tests.builders import make_match, make_resident, make_user, make_volunteer
from tests.jobs.conftest import local

pytestmark = pytest.mark.usefixtures("ctx")

START = date(2022, 1, 3)
TODAY = date(2023, 6, 1)


def _ended_case(ended_on: date, name: str, *, note="Schuld bij de Belastingdienst GEHEIM"):
    volunteer = make_volunteer(("tw",))
    resident = make_resident(("tw",), first_name=name, last_name="Mensah")
    match = make_match(volunteer, resident, started_on=START)
    log_contact(
        db.session,
        match,
        ContactInput(START, "phone", note=note),
        by=volunteer.user,
        today=START,
    )
    matching.end_match(
        db.session,
        match,
        ended_on=ended_on,
        outcome="goals_reached",
        reason="",
        needs_new_maatje=False,
        today=ended_on,
    )
    return resident


def _outcomes():
    return dict(
        db.session.execute(select(Match.outcome, func.count()).group_by(Match.outcome)).all()
    )


def test_the_job_anonymises_only_who_is_due_and_keeps_the_figures(app):
    old = _ended_case(date(2022, 4, 20), "Oud")  # 13+ months before TODAY
    recent = _ended_case(date(2022, 7, 20), "Recent")  # 10 months
    postponed = _ended_case(date(2022, 4, 20), "Uitgesteld")
    lead = make_user(Role.LEAD)
    retention.postpone(
        postponed, until=TODAY + timedelta(days=60), reason="Bezwaarprocedure", by=lead, today=TODAY
    )
    open_case = _ended_case(date(2022, 4, 20), "Open")
    handovers.start_handover(
        db.session,
        open_case,
        HandoverInput(
            reason="Schulden", needs="", urgency="normal", consent=True, consent_on=START
        ),
        by=lead,
        today=TODAY,
    )
    db.session.commit()
    outcomes, contacts = _outcomes(), db.session.scalar(select(func.count(Contact.id)))

    now = local(2023, 6, 1, 5, 0)
    assert jobs.run_due_jobs(app, db.session, now=now)["anonymise"] == 1
    db.session.expire_all()
    gone = db.session.get(Resident, old.id)
    assert gone.anonymised and gone.first_name == "Geanonimiseerd" and gone.last_name == ""
    assert gone.phone == "" and gone.phone_digits == ""
    assert (
        db.session.scalar(select(Contact.note).join(Match).where(Match.resident_id == old.id)) == ""
    )
    for kept in (recent, postponed, open_case):
        resident = db.session.get(Resident, kept.id)
        assert not resident.anonymised and resident.last_name == "Mensah"
    assert _outcomes() == outcomes
    assert db.session.scalar(select(func.count(Contact.id))) == contacts
    (audit,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "anonymise"))
    assert audit.resident_id == old.id and audit.actor_role == "system"

    # the same day again: claimed already; forced: nothing left to do
    assert jobs.run_due_jobs(app, db.session, now=now)["anonymise"] is None
    assert jobs.run_due_jobs(app, db.session, now=now, force=True)["anonymise"] == 0
    # the handover closes, the postponement runs out: both go in time
    db.session.execute(
        Handover.__table__.update()
        .where(Handover.resident_id == open_case.id)
        .values(status="completed")
    )
    db.session.commit()
    later = local(2023, 8, 15, 5, 0)  # the postponement ran out, "recent" reached 12 months
    assert jobs.run_due_jobs(app, db.session, now=later)["anonymise"] == 3


def test_an_anonymised_resident_cannot_be_matched_or_handed_over(app):
    resident = _ended_case(date(2022, 4, 20), "Weg")
    db.session.commit()
    retention.anonymise(db.session, [resident.id], now=datetime(2023, 6, 1))
    db.session.commit()
    resident = db.session.get(Resident, resident.id)
    assert resident.closed_on is not None
    from maatjes.domain.errors import RuleViolation

    with pytest.raises(RuleViolation):
        make_match(make_volunteer(("tw",)), resident)
    db.session.rollback()
    with pytest.raises(RuleViolation):
        handovers.start_handover(
            db.session,
            db.session.get(Resident, resident.id),
            HandoverInput(reason="x", needs="", urgency="normal", consent=True, consent_on=START),
            by=make_user(Role.LEAD),
            today=TODAY,
        )


def test_upcoming_lists_who_goes_in_the_next_30_days(app):
    soon = _ended_case(date(2022, 5, 20), "Binnenkort")
    _ended_case(date(2022, 12, 1), "Later")
    db.session.commit()
    rows, total = retention.upcoming(db.session, today=date(2023, 5, 1), months=12)
    assert total == 1 and rows[0][0].id == soon.id
    assert rows[0][2] == date(2023, 5, 21)  # the day after 12 months


def test_erasure_on_request_from_the_command_line(app):
    resident = _ended_case(date(2023, 1, 10), "Verzoek")
    busy = make_resident(("tw",), first_name="Bezig")
    make_match(make_volunteer(("tw",)), busy)
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["maatjes", "anonymise", str(busy.id)])
    assert result.exit_code != 0 and "active match" in result.output
    result = runner.invoke(args=["maatjes", "anonymise", str(resident.id)])
    assert result.exit_code == 0 and "Erased." in result.output
    db.session.expire_all()
    assert db.session.get(Resident, resident.id).anonymised
    result = runner.invoke(args=["maatjes", "anonymise", str(resident.id)])
    assert "already" in result.output
