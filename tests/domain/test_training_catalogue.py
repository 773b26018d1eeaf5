"""The pact's one training catalogue: providers, archiving next to the training gate, sessions
with invited organisations and people, the central-training target, a volunteer's refreshers and
the year overview."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from maatjes.domain.errors import RuleViolation
from maatjes.domain.training import (
    SessionInput,
    TrainingInput,
    add_session,
    archive_training,
    central_progress,
    gate_status,
    record_attendance,
    record_people,
    refreshers,
    restore_training,
    save_training,
    year_overview,
)
from maatjes.extensions import db
from maatjes.models import Person, TrainingAttendance, TrainingSession
from tests.builders import make_org, make_session, make_volunteer

TODAY = date(2026, 6, 15)


def _input(**changes) -> TrainingInput:
    data = dict(
        name="Meldcode huiselijk geweld",
        kind="other",
        provider="central",
        organisation=None,
        description="",
        refresh_months=None,
    )
    return TrainingInput(**{**data, **changes})


def _session(training, held_on, **changes) -> TrainingSession:
    data = dict(held_on=held_on, trainer_organisation=None, location="", invited=[])
    return add_session(db.session, training, SessionInput(**{**data, **changes}), today=TODAY)


# --- the catalogue -----------------------------------------------------------------------------


def test_a_members_training_names_the_member_and_only_then():
    venzo = make_org("Venzo")
    with pytest.raises(RuleViolation, match="Choose the member organisation") as refused:
        save_training(db.session, None, _input(provider="member"))
    assert refused.value.field == "organisation"
    with pytest.raises(RuleViolation, match="Only a training offered by a member"):
        save_training(db.session, None, _input(provider="central", organisation=venzo))
    training = save_training(db.session, None, _input(provider="member", organisation=venzo))
    db.session.flush()
    assert (training.provider, training.organisation_id) == ("member", venzo.id)


def test_a_name_is_unique_whatever_its_case_and_spaces():
    save_training(db.session, None, _input(name="Meldcode"))
    db.session.flush()
    with pytest.raises(RuleViolation, match="exists already") as refused:
        save_training(db.session, None, _input(name="  meldcode "))
    assert refused.value.field == "name"


def test_an_organisation_that_left_offers_no_new_training_but_keeps_its_own():
    gone = make_org("SurAnt")
    training = save_training(db.session, None, _input(provider="member", organisation=gone))
    db.session.flush()
    gone.status = "left"
    save_training(db.session, training, _input(provider="member", organisation=gone, name="New"))
    with pytest.raises(RuleViolation, match="SurAnt has left the pact"):
        save_training(db.session, None, _input(provider="member", organisation=gone, name="X"))


def test_the_kind_of_a_training_with_attendance_stays():
    session = make_session("basic", TODAY - timedelta(days=5))
    training = session.training
    volunteer = make_volunteer(trained=False)
    data = _input(name=training.name, kind="other", provider="project")
    save_training(db.session, training, _input(name=training.name, kind="basic"))  # same kind
    record_attendance(db.session, volunteer, session, completed=True)
    with pytest.raises(RuleViolation, match="cannot change: it decides who can be matched"):
        save_training(db.session, training, data)


# --- archiving ---------------------------------------------------------------------------------


def test_the_only_current_gate_training_cannot_be_archived():
    basic = make_session("basic", TODAY - timedelta(days=30)).training
    with pytest.raises(RuleViolation, match="only current Basic volunteer training"):
        archive_training(db.session, basic)
    assert basic.archived is False
    # An archived second one does not count as "another current one".
    other = save_training(db.session, None, _input(name="Basis 2025", kind="basic"))
    other.archived = True
    db.session.flush()
    with pytest.raises(RuleViolation):
        archive_training(db.session, basic)
    restore_training(db.session, other)
    archive_training(db.session, basic)
    assert basic.archived is True


def test_an_archived_training_keeps_its_sessions_and_the_gate_still_counts_them():
    volunteer = make_volunteer(trained=False)
    basic = make_session("basic", TODAY - timedelta(days=60))
    money = make_session("money_maatje", TODAY - timedelta(days=30))
    for session in (basic, money):
        record_attendance(db.session, volunteer, session, completed=True)
    save_training(db.session, None, _input(name="Basis nieuw", kind="basic"))
    archive_training(db.session, basic.training)
    db.session.flush()
    assert gate_status(db.session, volunteer.id).matchable
    assert db.session.scalar(select(func.count(TrainingAttendance.id))) == 2
    with pytest.raises(RuleViolation, match="archived: it gets no new sessions"):
        _session(basic.training, TODAY)


def test_an_other_training_is_archived_without_condition():
    training = save_training(db.session, None, _input())
    archive_training(db.session, training)
    assert training.archived


# --- sessions and people -----------------------------------------------------------------------


def test_a_session_has_its_location_and_invited_organisations():
    training = save_training(db.session, None, _input())
    a, b = make_org("Venzo"), make_org("Recogin")
    session = _session(training, TODAY, location="  Bijlmerplein   888 ", invited=[a, b])
    assert session.location == "Bijlmerplein 888"
    db.session.expire(session)
    assert [o.name for o in session.invited] == ["Recogin", "Venzo"]
    gone = make_org("MCTC")
    gone.status = "left"
    with pytest.raises(RuleViolation, match="MCTC left the pact") as refused:
        _session(training, TODAY, invited=[gone])
    assert refused.value.field == "invited"
    with pytest.raises(RuleViolation, match="between 2015 and two years ahead"):
        _session(training, date(2014, 12, 31))


def test_people_shown_are_recorded_or_removed_and_others_stay():
    training = save_training(db.session, None, _input())
    org = make_org("Venzo")
    ama, kofi, yaw = (Person(name=n, organisation=org) for n in ("Ama", "Kofi", "Yaw"))
    db.session.add_all([ama, kofi, yaw])
    session = _session(training, TODAY, invited=[org])
    assert record_people(db.session, session, {ama.id, kofi.id}, {ama.id, kofi.id, yaw.id}) == 2
    assert {p.id for p in session.people} == {ama.id, kofi.id}  # yaw was not shown
    # Kofi unticked; Ama not in this (older) form: she stays.
    assert record_people(db.session, session, {kofi.id, yaw.id}, {yaw.id}) == 1
    db.session.expire(session)
    assert {p.id for p in session.people} == {ama.id, yaw.id}


# --- the central target ------------------------------------------------------------------------


def test_central_sessions_held_this_year_count_towards_the_target():
    central = save_training(db.session, None, _input(name="Burgeracademie 1"))
    member = save_training(
        db.session, None, _input(name="Ons aanbod", provider="member", organisation=make_org())
    )
    for day in (date(2026, 1, 10), date(2026, 3, 1), TODAY, date(2026, 9, 1)):
        _session(central, day)
    _session(central, date(2025, 12, 31))  # last year
    _session(member, date(2026, 2, 1))  # not central
    archived = save_training(db.session, None, _input(name="Burgeracademie oud"))
    _session(archived, date(2026, 2, 2))
    archive_training(db.session, archived)  # held all the same
    progress = central_progress(db.session, 2026, today=TODAY, target=4)
    assert (progress.held, progress.planned, progress.target) == (4, 1, 4)
    assert progress.reached and progress.quarter == 100
    last = central_progress(db.session, 2025, today=TODAY, target=4)
    assert (last.held, last.planned, last.percent, last.quarter) == (1, 0, 25, 25)
    assert central_progress(db.session, 2024, today=TODAY, target=4).quarter == 0


# --- a volunteer's refreshers ------------------------------------------------------------------


def test_refreshers_are_due_after_the_last_completion():
    volunteer = make_volunteer(trained=False)
    other = make_volunteer(trained=False)
    yearly = save_training(db.session, None, _input(name="EHBO", refresh_months=12))
    soon = save_training(db.session, None, _input(name="Meldcode", refresh_months=6))
    later = save_training(db.session, None, _input(name="Privacy", refresh_months=24))
    never = save_training(db.session, None, _input(name="Kennismaking"))
    for training, held_on in (
        (yearly, date(2025, 1, 10)),
        (yearly, date(2025, 5, 1)),  # the last completion counts
        (soon, TODAY - timedelta(days=170)),
        (later, TODAY - timedelta(days=30)),
        (never, date(2020, 1, 1)),
    ):
        record_attendance(db.session, volunteer, _session(training, held_on), completed=True)
    attended_only = _session(yearly, date(2026, 5, 1))
    record_attendance(db.session, volunteer, attended_only, completed=False)
    record_attendance(db.session, other, _session(soon, TODAY), completed=True)
    found = {r.name: r for r in refreshers(db.session, volunteer.id, today=TODAY)}
    assert set(found) == {"EHBO", "Meldcode", "Privacy"}
    assert found["EHBO"].completed_on == date(2025, 5, 1)
    assert found["EHBO"].due_on == date(2025, 5, 1) + timedelta(days=365)
    assert [found[n].state for n in ("EHBO", "Meldcode", "Privacy")] == ["due", "soon", "later"]


# --- the year overview -------------------------------------------------------------------------


def test_the_year_overview_counts_per_training_and_per_provider():
    venzo, recogin = make_org("Venzo"), make_org("Recogin")
    central_a = save_training(db.session, None, _input(name="A central"))
    central_b = save_training(db.session, None, _input(name="B central"))
    member = save_training(
        db.session, None, _input(name="Member's", provider="member", organisation=venzo)
    )
    ama, kofi = make_volunteer(trained=False), make_volunteer(trained=False)
    person = Person(name="Efua", organisation=venzo)
    db.session.add(person)
    s1 = _session(central_a, date(2026, 2, 1), invited=[venzo, recogin])
    s2 = _session(central_a, date(2026, 3, 1), invited=[venzo])
    s3 = _session(central_b, date(2026, 4, 1), invited=[recogin])
    _session(member, date(2026, 5, 1))
    _session(central_a, date(2025, 5, 1), invited=[venzo])  # another year
    record_attendance(db.session, ama, s1, completed=False)
    record_attendance(db.session, ama, s2, completed=True)
    record_attendance(db.session, kofi, s2, completed=False)
    record_attendance(db.session, kofi, s3, completed=True)
    record_people(db.session, s1, {person.id}, {person.id})
    record_people(db.session, s2, {person.id}, {person.id})
    overview = year_overview(db.session, 2026, today=TODAY, target=4)
    assert [p for p, _total, _rows in overview.providers] == ["central", "member"]
    _p, total, rows = overview.providers[0]
    figures = {r.name: (r.sessions, r.volunteers, r.completed, r.people, r.invited) for r in rows}
    assert figures == {"A central": (2, 2, 1, 1, 2), "B central": (1, 1, 1, 0, 1)}
    # Totals count each volunteer, person and organisation once for the provider.
    assert (total.sessions, total.volunteers, total.completed, total.people, total.invited) == (
        3,
        2,
        2,
        1,
        2,
    )
    _p, total, rows = overview.providers[1]
    assert rows[0].organisation == "Venzo" and (total.sessions, total.volunteers) == (1, 0)
    assert overview.progress.held == 3
    assert year_overview(db.session, 2024, today=TODAY, target=4).empty
