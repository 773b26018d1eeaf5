"""The lead's dashboard against a small programme whose figures were counted by hand.

The programme is built with the builders (volunteers, residents and matches through the rules),
then dated: timestamps are set to fixed UTC instants, matches are ended and contacts and
handovers inserted directly, so that everything can lie anywhere before TODAY. Every expected
figure is a literal, with the counting next to it.

Today is Wednesday 15 June 2022; the period is the second quarter (1 April to 30 June 2022).
Areas: A = Bijlmer-Oost, B = Gaasperdam/Driemond. Organisations: ProFor and SES.

Volunteers (trained = basic 2021-10-01 and Money Maatje 2021-12-01, by the builder):
  v1 ProFor, works in A, nl+tw, trained, VOG 2019-06-01 (expired)
  v2 ProFor, works in B, nl, trained, VOG 2019-07-01 (expires within 30 days)
  v3 SES, works in A, tw+en, trained, VOG 2021-01-01
  v4 SES, works in B, nl, basic training only (2022-04-20), no VOG
  v5 ProFor, works in A, en, no training, no VOG
  v6 ProFor, works in A, nl, trained, stopped (inactive), VOG 2010
Residents (registered at 10:00 UTC on the day given) and matches (m#, created at the time given):
  r1 A tw  2022-01-10  m1 v1 started 02-01 (created 01-20), active
  r2 A nl  2022-03-30  m2 v1 started 04-04 (created 04-04 09:00), active          -> 119 h
  r3 B nl  2022-02-20  m3 v2 started 03-07 (created 03-04), active
  r4 A tw  2022-05-01  waiting
  r5 B nl+en 2022-03-01 waiting
  r6 A tw  2022-04-01  m6 v3 04-11..05-20 resident_stopped (created 04-08), waits again -> 168 h
  r7 B nl  2021-11-20  m7 v2 2021-12-01..04-29 goals_reached (created 2021-11-25), closed
  r8 A en  2022-05-10  m8 v3 05-16..05-16 cancelled, outcome other (created 05-12), closed -> 48 h
  r9 B nl+en 2022-03-20 m9a v2 04-04..04-25 transferred (created 04-01) -> 288 h,
                        m9b v3 started 04-25 (created 04-25), active
Contacts: m1 05-10 (the 13-week evaluation), 06-08; m3 06-10; m9b 06-06;
  m6 04-12 stress 6, 05-03 stress 7; m7 2022-01-10 stress 9, 04-20 stress 4.
Handovers (created at the UTC time given; Dutch holidays: Good Friday 04-15, Easter Monday
04-18, King's Day 04-27, Whit Monday 06-06):
  h1 to buurtteam, A, r1 (needs debts), sent by v1's account, 04-25 11:00, accepted 05-03 12:00
     (193 h; 5th working day after 04-25 is 05-03, King's Day skipped: in time), first contact
     05-05 11:00 (240 h), status first_contact
  h2 to buurtteam, B, r3 (needs paperwork), 05-30 11:00, still sent (5th working day 06-07,
     Whit Monday skipped: past it today)
  h3 to Money Maatjes, B, r9, 03-31 22:30 UTC = 1 April 00:30 in Amsterdam (in the period, sent
     on 04-01: limit 04-08), accepted 04-08 21:30 UTC = 23:30 local (191 h, in time), first
     contact 04-12 22:30 (288 h), completed
  h4 to buurtteam, B, r7 (debts), 04-11 11:00, declined 04-20 09:00 (limit 04-20 with Good
     Friday and Easter Monday skipped: in time)
  h5 to buurtteam, A, r6 (debts), sent by v3's account, 06-14 11:00, still sent (limit 06-21)
  h7 to Money Maatjes, B, r5, 05-02 11:00, accepted 05-12 11:00 (240 h; limit 05-09: late)
  h6 to buurtteam, A, r2, 03-15: before the period
Trainings: "Meldcode" (refresh every 12 months): 2021-03-01 completed by v1, v2, v6;
  2022-05-18 completed by v1 and v3, attended without completing by v5.
"""

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import event, func, select

from maatjes.domain import overview
from maatjes.domain.dashboard import dashboard, tables
from maatjes.domain.periods import Scope
from maatjes.domain.tables import Linked, plain
from maatjes.extensions import db
from maatjes.models import (
    TO_BUURTTEAM,
    TO_MAATJES,
    Contact,
    Handover,
    HandoverEvent,
    Match,
    Resident,
    Role,
    Training,
    TrainingAttendance,
    TrainingSession,
)
from tests.builders import (
    default_lead,
    make_area,
    make_match,
    make_org,
    make_resident,
    make_user,
    make_volunteer,
    train,
)

TODAY = date(2022, 6, 15)
Q2 = (date(2022, 4, 1), date(2022, 6, 30))
VOG_DAYS = 3 * 365
A_NAME = "Bijlmer-Oost"
B_NAME = "Gaasperdam/Driemond"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass
class Programme:
    a: int
    b: int
    profor: int
    ses: int
    residents: dict
    matches: dict

    def scope(self, start=Q2[0], end=Q2[1], area=None, organisation=None) -> Scope:
        return Scope(start, end, area_id=area, organisation_id=organisation)


def _contact(match: Match, on: date, *, stress=None, evaluation=False) -> None:
    db.session.add(
        Contact(
            match_id=match.id,
            contact_on=on,
            kind="visit",
            duration_minutes=60,
            stress_score=stress,
            evaluation=evaluation,
            logged_by_id=default_lead().id,
        )
    )


def _end(match: Match, on: date, outcome: str, *, closed: bool) -> None:
    match.ended_on = on
    match.outcome = outcome
    match.end_reason = f"reason {outcome}"
    match.resident.closed_on = on if closed else None
    db.session.flush()


def _handover(resident, area, direction, status, created, *, sender, receiver=None, events=()):
    handover = Handover(
        resident_id=resident.id,
        direction=direction,
        area_id=area.id,
        sender_id=sender.id,
        receiver_id=receiver.id if receiver else None,
        reason="help",
        consent_on=created.date(),
        status=status,
        created_at=created,
        status_changed_at=created,
    )
    db.session.add(handover)
    db.session.flush()
    db.session.add(
        HandoverEvent(handover_id=handover.id, by_id=sender.id, status="sent", at=created)
    )
    for status_, when in events:
        db.session.add(
            HandoverEvent(handover_id=handover.id, by_id=sender.id, status=status_, at=when)
        )
    return handover


def build() -> Programme:
    lead = default_lead()
    area_a, area_b = make_area(A_NAME), make_area(B_NAME)
    profor, ses = make_org("ProFor"), make_org("SES")

    def volunteer(languages, area, org, *, trained=True, active=True, vog=None):
        v = make_volunteer(languages, areas=(area,), trained=trained, active=active)
        v.organisation_id = org.id
        v.vog_date = vog
        return v

    v1 = volunteer(("nl", "tw"), A_NAME, profor, vog=date(2019, 6, 1))
    v2 = volunteer(("nl",), B_NAME, profor, vog=date(2019, 7, 1))
    v3 = volunteer(("tw", "en"), A_NAME, ses, vog=date(2021, 1, 1))
    v4 = volunteer(("nl",), B_NAME, ses, trained=False)
    train(v4, basic_on=date(2022, 4, 20), money_maatje_on=None)
    v5 = volunteer(("en",), A_NAME, profor, trained=False)
    v6 = volunteer(("nl",), A_NAME, profor, active=False, vog=date(2010, 1, 1))

    def resident(name, languages, area, created, needs=("debts",)):
        r = make_resident(languages, area=area, first_name=name, needs=list(needs))
        r.created_at = at(f"{created} 10:00")
        return r

    r1 = resident("Ama", ("tw",), A_NAME, "2022-01-10")
    r2 = resident("Bea", ("nl",), A_NAME, "2022-03-30")
    r3 = resident("Cor", ("nl",), B_NAME, "2022-02-20", needs=("paperwork",))
    r4 = resident("Dua", ("tw",), A_NAME, "2022-05-01")
    r5 = resident("Eli", ("nl", "en"), B_NAME, "2022-03-01")
    r6 = resident("Fay", ("tw",), A_NAME, "2022-04-01")
    r7 = resident("Gus", ("nl",), B_NAME, "2021-11-20")
    r8 = resident("Hal", ("en",), A_NAME, "2022-05-10")
    r9 = resident("Ivo", ("nl", "en"), B_NAME, "2022-03-20")

    def match(v, r, started, created):
        m = make_match(v, r, started_on=started)
        m.created_at = at(created)
        return m

    m1 = match(v1, r1, date(2022, 2, 1), "2022-01-20 10:00")
    match(v1, r2, date(2022, 4, 4), "2022-04-04 09:00")
    m7 = match(v2, r7, date(2021, 12, 1), "2021-11-25 10:00")
    m3 = match(v2, r3, date(2022, 3, 7), "2022-03-04 10:00")
    _end(m7, date(2022, 4, 29), "goals_reached", closed=True)
    m9a = match(v2, r9, date(2022, 4, 4), "2022-04-01 10:00")
    _end(m9a, date(2022, 4, 25), "transferred", closed=False)
    m6 = match(v3, r6, date(2022, 4, 11), "2022-04-08 10:00")
    _end(m6, date(2022, 5, 20), "resident_stopped", closed=False)
    m8 = match(v3, r8, date(2022, 5, 16), "2022-05-12 10:00")
    _end(m8, date(2022, 5, 16), "other", closed=True)
    m9b = match(v3, r9, date(2022, 4, 25), "2022-04-25 10:00")

    _contact(m1, date(2022, 5, 10), evaluation=True)
    _contact(m1, date(2022, 6, 8))
    _contact(m3, date(2022, 6, 10))
    _contact(m9b, date(2022, 6, 6))
    _contact(m6, date(2022, 4, 12), stress=6)
    _contact(m6, date(2022, 5, 3), stress=7)
    _contact(m7, date(2022, 1, 10), stress=9)
    _contact(m7, date(2022, 4, 20), stress=4)

    buurtteam = make_user(Role.BUURTTEAM, area=area_b)
    _handover(
        r1,
        area_a,
        TO_BUURTTEAM,
        "first_contact",
        at("2022-04-25 11:00"),
        sender=v1.user,
        receiver=buurtteam,
        events=[("accepted", at("2022-05-03 12:00")), ("first_contact", at("2022-05-05 11:00"))],
    ).first_contact_at = at("2022-05-05 11:00")
    _handover(r3, area_b, TO_BUURTTEAM, "sent", at("2022-05-30 11:00"), sender=lead)
    _handover(
        r9,
        area_b,
        TO_MAATJES,
        "completed",
        at("2022-03-31 22:30"),
        sender=buurtteam,
        receiver=lead,
        events=[("accepted", at("2022-04-08 21:30")), ("first_contact", at("2022-04-12 22:30"))],
    ).first_contact_at = at("2022-04-12 22:30")
    _handover(
        r7,
        area_b,
        TO_BUURTTEAM,
        "declined",
        at("2022-04-11 11:00"),
        sender=lead,
        events=[("declined", at("2022-04-20 09:00"))],
    )
    _handover(r6, area_a, TO_BUURTTEAM, "sent", at("2022-06-14 11:00"), sender=v3.user)
    _handover(
        r5,
        area_b,
        TO_MAATJES,
        "accepted",
        at("2022-05-02 11:00"),
        sender=buurtteam,
        receiver=lead,
        events=[("accepted", at("2022-05-12 11:00"))],
    )
    _handover(r2, area_a, TO_BUURTTEAM, "sent", at("2022-03-15 11:00"), sender=lead)

    meldcode = Training(name="Meldcode", kind="other", refresh_months=12)
    db.session.add(meldcode)
    db.session.flush()
    for held_on, attendances in (
        (date(2021, 3, 1), [(v1, True), (v2, True), (v6, True)]),
        (date(2022, 5, 18), [(v1, True), (v3, True), (v5, False)]),
    ):
        session_ = TrainingSession(training_id=meldcode.id, held_on=held_on)
        db.session.add(session_)
        db.session.flush()
        for v, completed in attendances:
            db.session.add(
                TrainingAttendance(volunteer_id=v.id, session_id=session_.id, completed=completed)
            )
    db.session.commit()
    residents = {r.first_name: r.id for r in (r1, r2, r3, r4, r5, r6, r7, r8, r9)}
    matches = {"m6": m6.id}
    return Programme(area_a.id, area_b.id, profor.id, ses.id, residents, matches)


@pytest.fixture
def programme() -> Programme:
    return build()


def run(scope: Scope):
    return dashboard(db.session, scope, TODAY, vog_valid_days=VOG_DAYS)


# --- capacity -----------------------------------------------------------------------------


def test_capacity_counts_volunteers_by_stage_and_free_places_per_language(programme):
    c = run(programme.scope()).capacity
    assert c.registered == 1  # v5
    assert c.basic_trained == 1  # v4
    assert c.by_residents == {0: 0, 1: 2, 2: 1}  # v2 (m3), v3 (m9b); v1 (m1, m2)
    assert c.stopped == 1  # v6
    assert c.active == 5
    # free places: v2 one (nl), v3 one (tw, en); waiting: tw r4 r6, nl r5, en r5.
    # Order: biggest shortfall (waiting - free) first, then most waiting, then the code.
    assert [(f.code, f.free_places, f.waiting) for f in c.free_places] == [
        ("tw", 1, 2),
        ("en", 1, 1),
        ("nl", 1, 1),
    ]
    assert c.free_places_total == 2  # v2 and v3, one each


def test_capacity_filters_by_the_areas_volunteers_work_in_and_their_organisation(programme):
    c = run(programme.scope(area=programme.a)).capacity
    # works in A: v1 (2 residents), v3 (1), v5 (registered), v6 (stopped)
    assert (c.registered, c.basic_trained, c.by_residents, c.stopped) == (
        1,
        0,
        {0: 0, 1: 1, 2: 1},
        1,
    )
    # free: v3 one place (tw, en); waiting in A: r4, r6 (tw)
    assert [(f.code, f.free_places, f.waiting) for f in c.free_places] == [
        ("tw", 1, 2),
        ("en", 1, 0),
    ]
    c = run(programme.scope(organisation=programme.ses)).capacity
    # SES: v3 (1 resident), v4 (basic only)
    assert (c.registered, c.basic_trained, c.by_residents, c.stopped) == (
        0,
        1,
        {0: 0, 1: 1, 2: 0},
        0,
    )
    # free: v3 (tw, en); waiting is not narrowed by organisation: tw 2, nl 1, en 1
    assert [(f.code, f.free_places, f.waiting) for f in c.free_places] == [
        ("tw", 1, 2),
        ("nl", 0, 1),
        ("en", 1, 1),
    ]


def test_capacity_agrees_with_the_lead_overview(programme):
    c = run(programme.scope()).capacity
    caseload = overview.caseload(db.session)
    assert c.by_residents == caseload.by_count
    assert c.registered + c.basic_trained == caseload.not_matchable


# --- demand -------------------------------------------------------------------------------


def test_demand_waiting_by_language_and_area_and_the_longest_waits(programme):
    d = run(programme.scope()).demand
    assert d.by_language == [("tw", 2), ("en", 1), ("nl", 1)]  # r4 r6; r5; r5
    assert [(name, n) for _id, name, n in d.by_area] == [(A_NAME, 2), (B_NAME, 1)]
    assert d.waiting == 3
    assert d.waiting == overview.build(db.session, today=TODAY).waiting.total
    # r5 since 03-01 (31+30+31+14 = 106 days), r6 since 04-01 (75), r4 since 05-01 (45)
    assert [(w.first_name, w.since, w.days) for w in d.longest] == [
        ("Eli", date(2022, 3, 1), 106),
        ("Fay", date(2022, 4, 1), 75),
        ("Dua", date(2022, 5, 1), 45),
    ]
    assert d.longest[0].resident_id == programme.residents["Eli"]


def test_time_to_match_median_and_p90(programme):
    d = run(programme.scope()).demand
    # first matches made in Q2: r8 48 h, r2 119 h, r6 168 h, r9 288 h.
    # median (119 + 168) / 2 = 143.5 h = 5.98 days; p90 at rank 1 + 0.9 * 3 = 3.7:
    # 168 + 0.7 * (288 - 168) = 252 h = 10.5 days
    assert (d.to_match_median, d.to_match_p90) == (6.0, 10.5)
    d = run(programme.scope(area=programme.a)).demand
    # r8 48, r2 119, r6 168: median 119 h = 4.96; p90 rank 2.8: 119 + 0.8 * 49 = 158.2 h = 6.59
    assert (d.to_match_median, d.to_match_p90) == (5.0, 6.6)
    assert [(name, n) for _id, name, n in d.by_area] == [(A_NAME, 2)]
    assert d.by_language == [("tw", 2)]
    assert [w.first_name for w in d.longest] == ["Fay", "Dua"]
    d = run(programme.scope(organisation=programme.ses)).demand
    # first match with an SES volunteer: r8 48, r6 168: median 108 h = 4.5 days,
    # p90 rank 1.9: 48 + 0.9 * 120 = 156 h = 6.5 days. r9's first match was with v2 (ProFor).
    assert (d.to_match_median, d.to_match_p90) == (4.5, 6.5)
    assert d.waiting == 3  # waiting residents have no organisation
    d = run(programme.scope(start=date(2022, 5, 1), end=date(2022, 5, 31))).demand
    assert (d.to_match_median, d.to_match_p90) == (2.0, 2.0)  # May: r8 only, 48 h
    assert d.waiting == 3  # a stock: the period does not change it


# --- rhythm -------------------------------------------------------------------------------


def test_rhythm_now_and_per_organisation(programme):
    r = run(programme.scope()).rhythm
    # active: m1 m2 m3 m9b. Last week (06-06..06-12) without contact: m2.
    # Past the minimum (started on or before 03-16): m1 (evaluated 05-10), m3 (not).
    assert (r.active_matches, r.missed_last_week, r.without_evaluation) == (4, 1, 1)
    assert r.missed_last_week == overview.build(db.session, today=TODAY).missed_last_week.total
    # 26 weeks from the week of 2021-12-20 to the week of 2022-06-13
    assert len(r.weeks) == 26
    assert (r.weeks[0].monday, r.weeks[-1].monday) == (date(2021, 12, 20), date(2022, 6, 13))
    last_week = r.weeks[-2]
    assert (last_week.monday, last_week.due, last_week.with_contact) == (date(2022, 6, 6), 4, 3)
    # Q2 weeks: 03-28 .. 06-13 (12). ProFor: m1 12, m2 11, m3 12, m7 5 (to 04-25), m9a 4
    # (04-04..04-25) = 44 due; with contact m1 05-10 and 06-08, m3 06-10, m7 04-20 = 4.
    # SES: m6 6 (04-11..05-16), m8 1, m9b 8 (04-25..06-13) = 15; m6 04-12 05-03, m9b 06-06 = 3.
    # The running week (06-13) has no contact yet for m1, m2, m3 and m9b: not missed yet, so
    # not counted: ProFor 44 - 3 = 41, SES 15 - 1 = 14; and m8 was cancelled (ended on its
    # start date): it never had a week due, SES 14 - 1 = 13.
    assert [(name, due, done) for _id, name, due, done in r.by_organisation] == [
        ("ProFor", 41, 4),
        ("SES", 13, 3),
    ]


def test_rhythm_filters(programme):
    r = run(programme.scope(area=programme.a)).rhythm
    assert (r.active_matches, r.missed_last_week, r.without_evaluation) == (2, 1, 0)  # m1, m2
    assert (r.weeks[-2].due, r.weeks[-2].with_contact) == (2, 1)
    r = run(programme.scope(area=programme.b)).rhythm
    assert (r.active_matches, r.missed_last_week, r.without_evaluation) == (2, 0, 1)  # m3, m9b
    r = run(programme.scope(organisation=programme.ses)).rhythm
    assert (r.active_matches, r.missed_last_week, r.without_evaluation) == (1, 0, 0)  # m9b
    assert (r.weeks[-2].due, r.weeks[-2].with_contact) == (1, 1)


# --- handovers ----------------------------------------------------------------------------


def test_handovers_counts_times_and_waits(programme):
    h = run(programme.scope()).handovers
    nonzero = {key: n for key, n in h.counts.items() if n}
    assert nonzero == {
        (TO_BUURTTEAM, "sent"): 2,  # h2, h5
        (TO_BUURTTEAM, "first_contact"): 1,  # h1
        (TO_BUURTTEAM, "declined"): 1,  # h4
        (TO_MAATJES, "completed"): 1,  # h3 (1 April in Amsterdam)
        (TO_MAATJES, "accepted"): 1,  # h7
    }
    assert h.total == 6  # h6 (March) left out
    # accepted after h3 191 h, h1 193 h, h7 240 h: median 193 h = 8.04 days;
    # p90 rank 2.8: 193 + 0.8 * 47 = 230.6 h = 9.61 days
    assert (h.accepted_median, h.accepted_p90) == (8.0, 9.6)
    # first contact after h1 240 h, h3 288 h: median 264 h = 11 days; p90 rank 1.9:
    # 240 + 0.9 * 48 = 283.2 h = 11.8 days
    assert (h.first_contact_median, h.first_contact_p90) == (11.0, 11.8)
    # waited past 5 working days: h2 (still sent, limit 06-07), h7 (accepted 05-12, limit 05-09).
    # In time thanks to the holidays: h1 (King's Day), h4 (Good Friday, Easter Monday);
    # h3 sent on 1 April local time (its UTC date is 31 March): limit 04-08, accepted 23:30 local.
    assert [(a.name, a.handovers, a.waited_past) for a in h.by_area] == [
        (A_NAME, 2, 0),  # h1, h5
        (B_NAME, 4, 2),  # h2, h3, h4, h7
    ]
    assert h.waited_past == 2


def test_handover_filters(programme):
    h = run(programme.scope(area=programme.a)).handovers
    assert h.total == 2
    assert [(a.name, a.handovers, a.waited_past) for a in h.by_area] == [(A_NAME, 2, 0)]
    assert (h.accepted_median, h.first_contact_median) == (8.0, 10.0)  # h1: 193 h, 240 h
    h = run(programme.scope(organisation=programme.profor)).handovers
    assert h.total == 1  # h1, sent by v1 (ProFor)
    assert h.counts[(TO_BUURTTEAM, "first_contact")] == 1
    h = run(programme.scope(start=date(2022, 3, 1), end=date(2022, 3, 31))).handovers
    # March in Amsterdam: h6 only (h3 is 1 April local time, though 31 March in UTC)
    assert h.total == 1
    assert [(a.name, a.handovers, a.waited_past) for a in h.by_area] == [
        (A_NAME, 1, 1),  # h6, still sent since 03-15
        (B_NAME, 0, 0),
    ]


# --- outcomes -----------------------------------------------------------------------------


def test_outcomes(programme):
    o = run(programme.scope()).outcomes
    rows = {row.outcome: (row.ended, row.before_minimum) for row in o.ended}
    assert rows == {
        "goals_reached": (1, 0),  # m7, 149 days
        "buurtteam": (0, 0),
        "resident_stopped": (1, 1),  # m6, 39 days
        "moved": (0, 0),
        "other": (0, 0),  # m8 was cancelled, counted apart
        "transferred": (1, 1),  # m9a, 21 days
    }
    assert o.cancelled == 1  # m8
    assert (o.endings, o.before_minimum, o.share_before_minimum) == (2, 1, 0.5)  # m7, m6
    assert [(e.match_id, e.ended_on, e.reason) for e in o.early_reasons] == [
        (programme.matches["m6"], date(2022, 5, 20), "reason resident_stopped")
    ]
    # stress: m6 6 -> 7 (higher), m7 9 -> 4 (lower)
    s = o.stress
    assert (s.matches, s.lower, s.same, s.higher) == (2, 1, 0, 1)
    assert (s.mean_first, s.mean_last) == (7.5, 5.5)
    assert s.distribution == [(6, 7, 1), (9, 4, 1)]
    # handed to the buurtteam in Q2: r1 (h1), r3 (h2), r7 (h4), r6 (h5); debts: all but r3
    assert (o.to_buurtteam, o.to_buurtteam_for_debts) == (4, 3)


def test_outcome_filters(programme):
    o = run(programme.scope(area=programme.b)).outcomes
    rows = {row.outcome: row.ended for row in o.ended if row.ended}
    assert rows == {"goals_reached": 1, "transferred": 1}  # m7, m9a
    assert (o.cancelled, o.share_before_minimum) == (0, 0.0)
    assert o.early_reasons == []
    assert (o.stress.matches, o.stress.lower) == (1, 1)  # m7
    assert (o.to_buurtteam, o.to_buurtteam_for_debts) == (2, 1)  # r3 (paperwork), r7
    o = run(programme.scope(area=programme.a)).outcomes
    assert (o.endings, o.before_minimum, o.cancelled) == (1, 1, 1)  # m6; m8 cancelled
    assert (o.to_buurtteam, o.to_buurtteam_for_debts) == (2, 2)  # r1, r6
    o = run(programme.scope(organisation=programme.ses)).outcomes
    assert (o.endings, o.cancelled, o.stress.higher) == (1, 1, 1)  # m6; m8


# --- training -----------------------------------------------------------------------------


def test_training(programme):
    t = run(programme.scope()).training
    # Q2: Meldcode 05-18 completed by v1, v3 (v5 only attended); basic 04-20 by v4
    assert [(name, n) for _id, name, n in t.completions] == [
        ("Meldcode", 2),
        ("Training basic", 1),
        ("Training money_maatje", 0),
    ]
    # Meldcode last completed 2021-03-01 by v2 (471 days >= 365): due; v1 redid it; v6 stopped
    assert [(name, n) for _id, name, n in t.refreshers] == [("Meldcode", 1)]
    assert t.refresher_volunteers == 1
    # VOG valid 1095 days: expired on or before 2019-06-16 (v1), expiring by 2019-07-16 (v2);
    # none: v4, v5 (v6 stopped)
    assert (t.vog_expired, t.vog_expiring, t.vog_missing) == (1, 1, 2)
    t = run(programme.scope(area=programme.a)).training
    assert [(name, n) for _id, name, n in t.completions][:2] == [
        ("Meldcode", 2),
        ("Training basic", 0),
    ]
    assert t.refresher_volunteers == 0  # v2 works in B
    assert (t.vog_expired, t.vog_expiring, t.vog_missing) == (1, 0, 1)  # v1; v5
    t = run(programme.scope(organisation=programme.ses)).training
    assert [(name, n) for _id, name, n in t.completions][:2] == [
        ("Meldcode", 1),
        ("Training basic", 1),
    ]
    assert (t.vog_expired, t.vog_expiring, t.vog_missing) == (0, 0, 1)  # v4


# --- tables -------------------------------------------------------------------------------


def test_tables_show_the_same_figures(programme):
    d = run(programme.scope())
    found = {t.key: t for t in tables(d)}
    assert len(found) == len(tables(d))  # keys are unique
    stages = [plain(row[1]) for row in found["capacity"].rows]
    assert stages == [1, 1, 0, 2, 1, 1]
    by_area = found["waiting_by_area"].rows
    assert [(row[0], plain(row[1])) for row in by_area] == [(A_NAME, 2), (B_NAME, 1), ("Total", 3)]
    assert isinstance(by_area[0][1], Linked) and by_area[0][1].endpoint == "lead.waiting"
    assert found["handovers_by_area"].rows[-1] == ("Total", 6, 2)
    assert found["time_to_match"].rows == [("Median", 6.0), ("90th percentile", 10.5)]
    assert found["rhythm_weeks"].rows[-3] == (date(2022, 6, 6), 4, 3, 75.0)
    assert found["outcomes"].rows[-1][2] == 50.0
    assert found["training_due"].rows[-3:] == [
        ("VOG expired", 1),
        ("VOG expires within 30 days", 1),
        ("No VOG recorded", 2),
    ]
    for table in found.values():
        for row in table.rows:
            assert len(row) == len(table.columns), table.key


def test_every_linked_figure_opens_an_existing_page(app, programme):
    from flask import url_for

    links = [
        cell
        for table in tables(run(programme.scope(area=programme.a)))
        for row in table.rows
        for cell in row
        if isinstance(cell, Linked)
    ]
    # free places 2, by language 1, by area 1, longest 2, early reasons 1, missed last week 1,
    # handovers 2 directions x (6 statuses + total) = 14, handovers of the area 1; not the
    # volunteers by stage: the volunteers list has no area filter
    assert len(links) == 23
    with app.test_request_context():
        urls = {url_for(link.endpoint, **dict(link.args)) for link in links}
    assert f"/lead/waiting?language=tw&area={programme.a}" in urls
    assert f"/residents/{programme.residents['Fay']}" in urls
    assert f"/matches/{programme.matches['m6']}" in urls
    assert f"/residents/?contact=missed&area={programme.a}" in urls
    # Without an area, the volunteers by stage open the volunteers list filtered the same way.
    by_organisation = tables(run(programme.scope(organisation=programme.ses)))
    stages = next(t for t in by_organisation if t.key == "capacity")
    with app.test_request_context():
        urls = [
            url_for(c.endpoint, **dict(c.args))
            for r in stages.rows
            for c in r
            if isinstance(c, Linked)
        ]
    org = programme.ses
    assert urls == [
        f"/volunteers/?training=matchable&caseload=0&organisation={org}",
        f"/volunteers/?training=matchable&caseload=1&organisation={org}",
        f"/volunteers/?training=matchable&caseload=2&organisation={org}",
        f"/volunteers/?status=inactive&organisation={org}",
    ]


# --- statements ---------------------------------------------------------------------------


def _more(n: int) -> None:
    """n more volunteers, residents, matches, contacts and handovers, spread over the period."""
    lead = default_lead()
    area = make_area(A_NAME)
    for i in range(n):
        v = make_volunteer(("nl", "tw"), areas=(A_NAME,))
        r = make_resident(("nl",), first_name=f"Extra{i}")
        r.created_at = at("2022-04-01 10:00")
        m = make_match(v, r, started_on=date(2022, 4, 4 + i % 20))
        m.created_at = at(f"2022-04-{4 + i % 20:02d} 12:00")
        for week in range(3):
            _contact(m, date(2022, 4, 25 + week), stress=3 + week)
        if i % 2:
            _end(m, date(2022, 5, 30), "goals_reached", closed=True)
        waiting = make_resident(("tw",), first_name=f"Waiting{i}")
        _handover(
            waiting,
            area,
            TO_BUURTTEAM,
            "accepted",
            at(f"2022-05-{2 + i % 25:02d} 11:00"),
            sender=lead,
            events=[("accepted", at(f"2022-05-{3 + i % 25:02d} 11:00"))],
        )
    db.session.commit()


def _count_statements(scope: Scope) -> int:
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        db.session.expire_all()
        run(scope)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("filtered", [False, True])
def test_the_number_of_statements_does_not_grow_with_the_data(programme, filtered):
    scope = programme.scope(
        area=programme.a if filtered else None,
        organisation=programme.profor if filtered else None,
    )
    small = _count_statements(scope)
    _more(25)
    assert db.session.scalar(select(func.count(Resident.id))) == 59
    large = _count_statements(scope)
    assert small == large
    assert small <= 25


def test_the_working_day_rule_agrees_with_the_handover_page(programme):
    """Over the whole of 2022: the still-sent handovers counted as waiting too long are the
    ones ``handovers.waiting`` marks overdue (h2, h6; not h5), and h7 (answered late) adds one."""
    from maatjes.domain.handovers import waiting

    h = run(programme.scope(start=date(2022, 1, 1), end=date(2022, 12, 31))).handovers
    assert h.total == 7
    assert [(a.name, a.handovers, a.waited_past) for a in h.by_area] == [
        (A_NAME, 3, 1),  # h1, h5, h6 (late)
        (B_NAME, 4, 2),  # h2 (late), h3, h4, h7 (late)
    ]
    sent = db.session.scalars(select(Handover).where(Handover.status == "sent")).all()
    overdue = sorted(h.area_id for h in sent if waiting(h, TODAY).overdue)
    assert overdue == sorted([programme.a, programme.b])  # h6 in A, h2 in B


def test_a_five_year_period(programme):
    """The longest period allowed: the deadline list has a row per day (1,827 of them), within
    SQLite's and PostgreSQL's limits on bound parameters."""
    d = run(programme.scope(start=date(2018, 1, 1), end=date(2022, 12, 31)))
    assert d.handovers.total == 7
    assert d.handovers.waited_past == 3
    # every first match: r1 (01-10 -> 01-20, 240 h), r3 (02-20 -> 03-04, 288 h), r7 (11-20 ->
    # 11-25, 120 h) and the four of Q2 (48, 119, 168, 288): 48 119 120 168 240 288 288
    assert d.demand.to_match_median == 7.0  # 168 h
