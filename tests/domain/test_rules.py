"""Domain rules against the database, without HTTP."""

from datetime import date, timedelta

import pytest

from maatjes.domain import access, handovers, matching, training
from maatjes.domain.contacts import ContactInput, log_contact
from maatjes.domain.errors import DuplicateResident, DuplicateVolunteer, RuleViolation
from maatjes.domain.handovers import HandoverInput
from maatjes.domain.languages import parse_language_list
from maatjes.domain.residents import ResidentInput, phone_digits, register_resident
from maatjes.domain.volunteers import VolunteerInput, save_volunteer
from maatjes.extensions import db
from maatjes.models import Contact, Role
from tests.builders import (
    TODAY,
    make_area,
    make_match,
    make_org,
    make_resident,
    make_user,
    make_volunteer,
    train,
)

# --- languages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("nl, en", ["nl", "en"]),
        ("TW; srn\npap", ["tw", "srn", "pap"]),
        ("hns", ["hns"]),  # ISO 639-3 knows it even though CLDR does not
        ("fat, fat, nl", ["fat", "nl"]),
        ("qqa=Testtaal", ["qqa"]),  # an unknown code with a name is accepted
    ],
)
def test_parse_language_list(text, codes):
    assert [c.code for c in parse_language_list(text)] == codes


@pytest.mark.parametrize("text", ["xx", "qqa", "dutchy", "n1", "nl, zzz"])
def test_parse_language_list_refuses_unknown_codes_with_a_hint(text):
    with pytest.raises(RuleViolation) as error:
        parse_language_list(text)
    assert "ISO 639" in str(error.value.message) or "=" in str(error.value.message)


# --- training gate -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("basic", "money", "active", "matchable"),
    [
        (date(2021, 10, 1), date(2021, 12, 1), True, True),
        (date(2021, 12, 1), date(2021, 12, 1), True, True),  # same day is fine
        (None, date(2021, 12, 1), True, False),
        (date(2021, 10, 1), None, True, False),
        (None, None, True, False),
        (date(2022, 1, 1), date(2021, 12, 1), True, False),  # basic must come first
        (date(2021, 10, 1), date(2021, 12, 1), False, False),  # inactive
    ],
)
def test_training_gate(basic, money, active, matchable):
    volunteer = make_volunteer(trained=False, active=active)
    train(volunteer, basic_on=basic, money_maatje_on=money)
    status = training.gate_status(db.session, volunteer.id)
    assert status.matchable is matchable
    assert bool(status.reasons) is not matchable


def test_attended_but_not_completed_does_not_pass_the_gate():
    from maatjes.domain.training import record_attendance
    from tests.builders import make_session

    volunteer = make_volunteer(trained=False)
    train(volunteer, basic_on=date(2021, 10, 1), money_maatje_on=None)
    record_attendance(
        db.session, volunteer, make_session("money_maatje", date(2021, 12, 1)), completed=False
    )
    assert not training.gate_status(db.session, volunteer.id).matchable


def test_money_maatje_training_redone_after_the_basic_training_passes_the_gate():
    volunteer = make_volunteer(trained=False)
    # Money Maatje first (out of order), then basic, then Money Maatje again.
    train(volunteer, basic_on=date(2021, 10, 1), money_maatje_on=date(2021, 6, 1))
    assert not training.gate_status(db.session, volunteer.id).matchable
    train(volunteer, basic_on=None, money_maatje_on=date(2021, 12, 1))
    status = training.gate_status(db.session, volunteer.id)
    assert status.matchable and status.money_maatje_on == date(2021, 12, 1)
    assert volunteer in [s.volunteer for s in matching.suggestions(db.session, make_resident())]


# --- matching ------------------------------------------------------------------------------


def test_suggestions_only_eligible_and_ranked_with_reasons():
    resident = make_resident(("tw", "en"), area="Bijlmer-Oost")
    twi_in_area = make_volunteer(("tw", "nl"), areas=["Bijlmer-Oost"], name="A Twi Oost")
    twi_elsewhere = make_volunteer(("tw",), areas=["Bijlmer-Centrum"], name="B Twi Centrum")
    english = make_volunteer(("en",), areas=["Bijlmer-Oost"], name="C English")
    make_volunteer(("tw",), trained=False, name="D untrained")
    make_volunteer(("tw",), active=False, name="E inactive")
    make_volunteer(("pap",), name="F no shared language")
    full = make_volunteer(("tw",), areas=["Bijlmer-Oost"], name="G full")
    make_match(full, make_resident(("tw",)))
    make_match(full, make_resident(("tw",)))
    busy = make_volunteer(("tw",), areas=["Bijlmer-Oost"], name="H one resident")
    make_match(busy, make_resident(("tw",)))

    found = matching.suggestions(db.session, resident)
    assert [s.volunteer for s in found] == [twi_in_area, busy, twi_elsewhere, english]
    first = found[0]
    assert first.shared_languages == ["tw"]
    assert first.works_in_area and first.active == 0
    assert found[1].active == 1
    assert found.total == 4 and found.more == 0


def test_suggestions_are_the_best_few_with_the_number_of_others_in_constant_statements():
    from sqlalchemy import event

    resident = make_resident(("tw",), area="Bijlmer-Oost")
    for n in range(14):
        make_volunteer(("tw",), name=f"Volunteer {n:02d}")
    in_area = make_volunteer(("tw",), areas=["Bijlmer-Oost"], name="Z in area")
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        found = matching.suggestions(db.session, resident, limit=10)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(found) == 10 and found.total == 15 and found.more == 5
    assert found[0].volunteer == in_area  # in the area first, then by name
    assert [s.volunteer.name for s in found][1:3] == ["Volunteer 00", "Volunteer 01"]
    assert len(statements) == 2  # the ranked page, and the shared languages of those ten
    others = matching.suggestions(db.session, resident, exclude_volunteer_id=in_area.id)
    assert in_area not in [s.volunteer for s in others] and others.total == 14


def test_assign_refuses_untrained_and_no_shared_language():
    lead = make_user(Role.LEAD)
    resident = make_resident(("srn",))
    untrained = make_volunteer(("srn",), trained=False)
    with pytest.raises(RuleViolation, match="cannot be matched yet"):
        matching.assign_resident(
            db.session,
            volunteer_id=untrained.id,
            resident=resident,
            started_on=TODAY,
            by=lead,
            today=TODAY,
        )
    other_language = make_volunteer(("pap",))
    with pytest.raises(RuleViolation, match="does not speak"):
        matching.assign_resident(
            db.session,
            volunteer_id=other_language.id,
            resident=resident,
            started_on=TODAY,
            by=lead,
            today=TODAY,
        )


def test_at_most_two_active_residents_and_a_slot_frees_when_a_match_ends():
    volunteer = make_volunteer(("nl",))
    first = make_match(volunteer, make_resident())
    make_match(volunteer, make_resident())
    with pytest.raises(RuleViolation, match="already has two residents"):
        make_match(volunteer, make_resident())
    matching.end_match(
        db.session,
        first,
        ended_on=TODAY + timedelta(weeks=13),
        outcome="goals_reached",
        reason="",
        needs_new_maatje=False,
        today=TODAY + timedelta(weeks=14),
    )
    third = make_match(volunteer, make_resident())
    assert third.slot == first.slot


def test_a_resident_has_one_active_match():
    resident = make_resident()
    make_match(make_volunteer(), resident)
    with pytest.raises(RuleViolation, match="already has a maatje"):
        make_match(make_volunteer(), resident)


@pytest.mark.parametrize(
    ("start", "days_run", "reason", "ok"),
    [
        (date(2022, 1, 3), 35, "", False),
        (date(2022, 1, 3), 35, "Resident moved to Almere", True),
        (date(2022, 1, 3), 84, "", False),  # ISO week 13 began: not yet 13 weeks
        (date(2022, 1, 3), 90, "", False),
        (date(2022, 1, 3), 91, "", True),
        (date(2022, 1, 9), 85, "", False),  # a Sunday start, ISO week 14: six days short
        (date(2022, 1, 9), 91, "", True),
    ],
)
def test_ending_before_thirteen_weeks_needs_a_reason(start, days_run, reason, ok):
    match = make_match(make_volunteer(), make_resident(), started_on=start)
    end = start + timedelta(days=days_run)
    kwargs = dict(ended_on=end, outcome="moved", reason=reason, needs_new_maatje=False, today=end)
    if ok:
        matching.end_match(db.session, match, **kwargs)
        assert match.ended_on == end and match.resident.closed_on == end
    else:
        with pytest.raises(RuleViolation) as error:
            matching.end_match(db.session, match, **kwargs)
        assert error.value.field == "reason"


@pytest.mark.parametrize("needs_new_maatje", [False, True])
def test_a_match_not_yet_started_is_cancelled_with_a_reason(needs_new_maatje):
    start = TODAY + timedelta(days=10)
    match = make_match(make_volunteer(), make_resident(), started_on=start)
    kwargs = dict(ended_on=TODAY, outcome="other", needs_new_maatje=needs_new_maatje, today=TODAY)
    with pytest.raises(RuleViolation, match="not started yet") as error:
        matching.end_match(db.session, match, reason=" ", **kwargs)
    assert error.value.field == "reason" and match.is_active
    matching.end_match(db.session, match, reason="Resident found help elsewhere", **kwargs)
    assert match.ended_on == start and not match.is_active
    assert match.resident.closed_on == (None if needs_new_maatje else TODAY)
    waiting = matching.waiting_residents(db.session)
    assert (match.resident in waiting) is needs_new_maatje


def test_an_end_date_is_needed_once_the_match_has_started():
    match = make_match(make_volunteer(), make_resident(), started_on=TODAY)
    with pytest.raises(RuleViolation) as error:
        matching.end_match(
            db.session,
            match,
            ended_on=None,
            outcome="moved",
            reason="Moved",
            needs_new_maatje=False,
            today=TODAY,
        )
    assert error.value.field == "ended_on"


def test_a_match_cannot_end_before_its_last_contact():
    match = make_match(make_volunteer(), make_resident(), started_on=TODAY - timedelta(days=21))
    contact_day = TODAY - timedelta(days=2)
    data = ContactInput(contact_on=contact_day, kind="phone")
    log_contact(db.session, match, data, by=match.volunteer.user, today=TODAY)
    kwargs = dict(outcome="moved", reason="Moved", needs_new_maatje=False, today=TODAY)
    with pytest.raises(RuleViolation, match="contact was logged after") as error:
        matching.end_match(db.session, match, ended_on=contact_day - timedelta(days=1), **kwargs)
    assert error.value.field == "ended_on" and match.is_active
    matching.end_match(db.session, match, ended_on=contact_day, **kwargs)
    assert match.ended_on == contact_day


def test_waiting_by_language_counts_residents_and_volunteers_with_room():
    make_resident(("tw", "en"))
    make_resident(("tw",))
    make_resident(("tr",))
    make_volunteer(("tw",))
    full = make_volunteer(("tw", "en"))
    make_match(full, make_resident(("en",)))
    make_match(full, make_resident(("en",)))
    make_volunteer(("tr",), trained=False)
    demand = {
        d.code: (d.waiting, d.volunteers_with_room)
        for d in matching.waiting_by_language(db.session)
    }
    assert demand == {"tw": (2, 1), "en": (1, 0), "tr": (1, 0)}


# --- contacts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (dict(contact_on=TODAY + timedelta(days=1)), "contact_on"),
        (dict(contact_on=TODAY - timedelta(days=30)), "contact_on"),  # before the start
        (dict(stress_score=0), "stress_score"),
        (dict(stress_score=11), "stress_score"),
        (dict(kind="carrier pigeon"), "kind"),
        (dict(duration_minutes=0), "duration_minutes"),
    ],
)
def test_bad_contacts_are_refused(change, field):
    match = make_match(make_volunteer(), make_resident(), started_on=TODAY - timedelta(days=7))
    data = ContactInput(contact_on=TODAY, kind="phone")
    for key, value in change.items():
        setattr(data, key, value)
    with pytest.raises(RuleViolation) as error:
        log_contact(db.session, match, data, by=match.volunteer.user, today=TODAY)
    assert error.value.field == field


def test_the_same_contact_sent_twice_is_kept_once():
    match = make_match(make_volunteer(), make_resident(), started_on=TODAY - timedelta(days=7))
    by = match.volunteer.user

    def contact(**kw):
        values = dict(contact_on=TODAY, kind="visit", note="Sorted the post", needs_attention=True)
        values.update(kw)
        return log_contact(db.session, match, ContactInput(**values), by=by, today=TODAY)

    first = contact(topics=["paperwork", "debts"])
    assert contact(topics=["debts", "paperwork"], note=" Sorted the post ") is first  # a double tap
    assert contact(topics=["debts", "paperwork"], note="Second visit") is not first
    assert contact(topics=["debts", "paperwork"], needs_attention=False) is not first
    assert contact(topics=["debts"]) is not first
    count = db.session.query(Contact).filter_by(match_id=match.id).count()
    assert count == 4


def test_the_same_contact_later_or_after_the_lead_handled_it_is_a_new_contact():
    from datetime import UTC, datetime

    import time_machine

    from maatjes.domain.contacts import mark_attention_handled

    match = make_match(make_volunteer(), make_resident(), started_on=TODAY - timedelta(days=7))
    data = ContactInput(contact_on=TODAY, kind="phone", note="Worried", needs_attention=True)
    with time_machine.travel(datetime(2022, 1, 10, 9, 0, tzinfo=UTC), tick=False):
        first = log_contact(db.session, match, data, by=match.volunteer.user, today=TODAY)
    with time_machine.travel(datetime(2022, 1, 10, 9, 1, tzinfo=UTC), tick=False):
        assert log_contact(db.session, match, data, by=match.volunteer.user, today=TODAY) is first
    with time_machine.travel(datetime(2022, 1, 10, 9, 5, tzinfo=UTC), tick=False):
        second = log_contact(db.session, match, data, by=match.volunteer.user, today=TODAY)
        assert second is not first  # a second call that day, minutes later
        mark_attention_handled(db.session, second)
    with time_machine.travel(datetime(2022, 1, 10, 9, 6, tzinfo=UTC), tick=False):
        third = log_contact(db.session, match, data, by=match.volunteer.user, today=TODAY)
    assert third is not second and third.attention_handled_at is None  # the lead sees it again


# --- residents -----------------------------------------------------------------------------


def _resident_input(**kw) -> ResidentInput:
    values = dict(
        first_name="Ama",
        last_name="Owusu",
        phone="0612345678",
        area=make_area(),
        neighbourhood="",
        languages=parse_language_list("tw"),
        consent=True,
        consent_on=TODAY,
    )
    values.update(kw)
    return ResidentInput(**values)


def test_no_consent_no_record():
    lead = make_user(Role.LEAD)
    data = _resident_input(consent=False)
    with pytest.raises(RuleViolation) as error:
        register_resident(db.session, data, by=lead, today=TODAY)
    assert error.value.field == "consent"


def test_duplicate_resident_warns_and_can_be_overridden():
    lead = make_user(Role.LEAD)
    make_resident(("tw",), first_name="Ama", last_name="Owusu", phone="06-1234 5678")
    data = _resident_input(first_name="ama", last_name="OWUSU", phone="+31 6 12345678")
    with pytest.raises(DuplicateResident):
        register_resident(db.session, data, by=lead, today=TODAY)
    assert register_resident(db.session, data, by=lead, today=TODAY, allow_duplicate=True).id


def test_duplicate_warning_for_the_buurtteam_only_within_its_own_area():
    oost = make_area("Bijlmer-Oost")
    make_resident(
        ("tw",), area="Bijlmer-Centrum", first_name="Ama", last_name="Owusu", phone="0612345678"
    )
    team = make_user(Role.BUURTTEAM, area=oost)
    data = _resident_input(area=oost)
    with pytest.raises(DuplicateResident):  # the lead is warned across all areas
        register_resident(db.session, data, by=make_user(Role.LEAD), today=TODAY)
    # Another area's resident is not revealed: the referral goes through as a new person.
    assert register_resident(db.session, data, by=team, today=TODAY).area == oost
    with pytest.raises(DuplicateResident):  # within the team's own area the warning stands
        register_resident(db.session, data, by=team, today=TODAY)


def _volunteer_input(**kw) -> VolunteerInput:
    values = dict(
        name="Kofi Boateng",
        organisation=make_org(),
        phone="06 1111 2222",
        email="kofi@example.org",
        languages=parse_language_list("tw"),
    )
    values.update(kw)
    return VolunteerInput(**values)


def test_consent_ticked_without_a_date_asks_for_the_date():
    lead = make_user(Role.LEAD)
    with pytest.raises(RuleViolation, match="date the resident gave consent") as error:
        register_resident(db.session, _resident_input(consent_on=None), by=lead, today=TODAY)
    assert error.value.field == "consent_on"
    resident = make_resident()
    with pytest.raises(RuleViolation, match="date the resident gave consent") as error:
        handovers.start_handover(
            db.session, resident, _handover_input(consent_on=None), by=lead, today=TODAY
        )
    assert error.value.field == "consent_on"


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1999, 12, 31)])
def test_dates_of_records_are_not_before_2000(day):
    lead = make_user(Role.LEAD)
    with pytest.raises(RuleViolation, match="1 January 2000") as error:
        register_resident(db.session, _resident_input(consent_on=day), by=lead, today=TODAY)
    assert error.value.field == "consent_on"
    with pytest.raises(RuleViolation, match="1 January 2000") as error:
        handovers.start_handover(
            db.session, make_resident(), _handover_input(consent_on=day), by=lead, today=TODAY
        )
    assert error.value.field == "consent_on"
    with pytest.raises(RuleViolation, match="1 January 2000") as error:
        save_volunteer(db.session, None, _volunteer_input(vog_date=day), today=TODAY)
    assert error.value.field == "vog_date"
    volunteer = save_volunteer(
        db.session, None, _volunteer_input(vog_date=date(2000, 1, 1)), today=TODAY
    )
    assert volunteer.vog_date == date(2000, 1, 1)


@pytest.mark.parametrize(
    "change",
    [
        dict(name="kofi boateng ", email=""),  # same name and phone, written differently
        dict(name="K. Boateng", phone="0633334444", email="KOFI@example.org"),  # same e-mail
    ],
)
def test_duplicate_volunteer_warns_and_can_be_overridden(change):
    first = save_volunteer(db.session, None, _volunteer_input(phone="+31 6 11112222"), today=TODAY)
    again = _volunteer_input(**change)
    with pytest.raises(DuplicateVolunteer, match="Kofi Boateng") as error:
        save_volunteer(db.session, None, again, today=TODAY)
    assert error.value.field == "allow_duplicate"
    second = save_volunteer(db.session, None, again, today=TODAY, allow_duplicate=True)
    assert second.id != first.id
    # editing an existing volunteer is not a new registration
    save_volunteer(db.session, first, _volunteer_input(availability="Evenings"), today=TODAY)


def test_a_volunteer_with_another_name_and_phone_is_no_duplicate():
    save_volunteer(db.session, None, _volunteer_input(), today=TODAY)
    other = _volunteer_input(name="Kofi Boateng", phone="0687776666", email="")
    assert save_volunteer(db.session, None, other, today=TODAY).id


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("06-1234 5678", "31612345678"),
        ("+31 6 12345678", "31612345678"),
        ("0031612345678", "31612345678"),
    ],
)
def test_phone_digits(raw, digits):
    assert phone_digits(raw) == digits


# --- handovers -----------------------------------------------------------------------------


def _handover_input(**kw):
    values = dict(reason="Debts", needs="", urgency="normal", consent=True, consent_on=TODAY)
    values.update(kw)
    return HandoverInput(**values)


def test_handover_requires_consent_and_walks_the_states_with_a_timeline():
    volunteer = make_volunteer()
    resident = make_resident(area="Bijlmer-Oost")
    make_match(volunteer, resident)
    with pytest.raises(RuleViolation) as error:
        handovers.start_handover(
            db.session, resident, _handover_input(consent=False), by=volunteer.user, today=TODAY
        )
    assert error.value.field == "consent"

    handover = handovers.start_handover(
        db.session, resident, _handover_input(), by=volunteer.user, today=TODAY
    )
    assert handover.status == "sent" and handover.area == resident.area
    other_area = make_user(Role.BUURTTEAM, area=make_area("Bijlmer-Centrum"))
    with pytest.raises(RuleViolation):
        handovers.transition(
            db.session, handover, "accept", by=other_area, today=TODAY, receiver_name="X"
        )
    with pytest.raises(RuleViolation):  # the sender cannot accept their own handover
        handovers.transition(
            db.session, handover, "accept", by=volunteer.user, today=TODAY, receiver_name="X"
        )
    team = make_user(Role.BUURTTEAM, area=resident.area, name="Linda")
    with pytest.raises(RuleViolation) as error:
        handovers.transition(db.session, handover, "accept", by=team, today=TODAY)
    assert error.value.field == "receiver_name"
    handovers.transition(
        db.session,
        handover,
        "accept",
        by=team,
        today=TODAY,
        receiver_name="Linda de Vries",
        receiver_phone="020 555 0142",
    )
    with pytest.raises(RuleViolation):
        handovers.transition(
            db.session, handover, "complete", by=team, today=TODAY
        )  # first contact first
    handovers.transition(db.session, handover, "first_contact", by=team, today=TODAY)
    handovers.transition(db.session, handover, "complete", by=team, today=TODAY)
    assert [e.status for e in handover.events] == ["sent", "accepted", "first_contact", "completed"]
    assert [e.by for e in handover.events] == [volunteer.user, team, team, team]
    assert handover.receiver_name == "Linda de Vries"


def test_decline_needs_a_reason_and_only_one_open_handover():
    lead = make_user(Role.LEAD)
    resident = make_resident()
    handover = handovers.start_handover(
        db.session, resident, _handover_input(), by=lead, today=TODAY
    )
    with pytest.raises(RuleViolation, match="already an open handover"):
        handovers.start_handover(db.session, resident, _handover_input(), by=lead, today=TODAY)
    pin = make_user(Role.LINKING_PIN, area=resident.area)
    with pytest.raises(RuleViolation):
        handovers.transition(db.session, handover, "decline", by=pin, today=TODAY)
    handovers.transition(
        db.session, handover, "decline", by=pin, today=TODAY, note="Not our area after all"
    )
    assert handover.status == "declined" and handover.decline_reason


def test_only_the_areas_buurtteam_receives_a_handover_to_the_buurtteam():
    lead = make_user(Role.LEAD)
    resident = make_resident()
    handover = handovers.start_handover(
        db.session, resident, _handover_input(), by=lead, today=TODAY
    )
    for outsider in (lead, make_user(Role.LEAD), make_user(Role.ADMIN)):
        assert not handovers.can_receive(outsider, handover)
        with pytest.raises(RuleViolation, match="Only the receiving side"):
            handovers.transition(
                db.session, handover, "accept", by=outsider, today=TODAY, receiver_name="X"
            )
    assert handovers.can_receive(make_user(Role.BUURTTEAM, area=resident.area), handover)


@pytest.mark.parametrize("matched", [False, True])
def test_a_declined_referral_takes_the_resident_off_the_waiting_list(matched):
    resident = make_resident(("tw",))
    team = make_user(Role.BUURTTEAM, area=resident.area)
    referral = handovers.refer_to_maatjes(
        db.session, resident, _handover_input(), by=team, today=TODAY
    )
    assert not handovers.can_receive(team, referral)  # the sender does not answer themselves
    if matched:
        make_match(make_volunteer(("tw",)), resident)
    lead = make_user(Role.LEAD)
    handovers.transition(
        db.session, referral, "decline", by=lead, today=TODAY, note="Needs a debt counsellor"
    )
    assert resident.closed_on == (None if matched else TODAY)
    assert resident not in matching.waiting_residents(db.session)


# --- need to know -------------------------------------------------------------------------


def test_access_volunteer_sees_only_own_residents_buurtteam_only_own_area():
    mine, theirs = make_volunteer(), make_volunteer()
    r1 = make_resident(area="Bijlmer-Oost")
    r2 = make_resident(area="Bijlmer-Centrum")
    make_match(mine, r1)
    make_match(theirs, r2)
    lead = make_user(Role.LEAD)
    h1 = handovers.start_handover(db.session, r1, _handover_input(), by=lead, today=TODAY)
    h2 = handovers.start_handover(db.session, r2, _handover_input(), by=lead, today=TODAY)
    team_oost = make_user(Role.BUURTTEAM, area=r1.area)

    assert access.resident(db.session, mine.user, r1.id) is r1
    assert access.resident(db.session, mine.user, r2.id) is None
    assert access.resident(db.session, team_oost, r1.id) is None  # only through handovers
    assert access.handover(db.session, team_oost, h1.id) is h1
    assert access.handover(db.session, team_oost, h2.id) is None
    assert access.handover(db.session, mine.user, h2.id) is None
    assert access.resident(db.session, lead, r2.id) is r2
