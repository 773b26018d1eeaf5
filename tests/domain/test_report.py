"""The funder report against a small programme whose every figure was counted by hand.

The fixture (``_programme``) is drawn out in its docstring; each expected number below says how
it was counted. Period: the first quarter of 2022, today Wednesday 9 March 2022.
"""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event

from maatjes.domain import report as report_rules
from maatjes.domain import stats
from maatjes.domain.periods import Scope
from maatjes.domain.report import OutcomeRow, SplitRow, Step
from maatjes.extensions import db
from maatjes.models import TO_BUURTTEAM, TO_MAATJES, Role
from tests.domain.test_stats import Rows

D = date
TODAY = D(2022, 3, 9)  # Wednesday; its week starts Monday 7 March
Q1 = (D(2022, 1, 1), D(2022, 3, 31))


def _programme(rows: Rows) -> dict:
    """Areas North, South. Organisations One, Two, and Empty (no volunteers).

    Volunteers (created; Money Maatje training completed; areas):
      V1 One  2021-10-01  2021-12-01 (and attended 2022-03-01 without completing)  North
      V2 One  2022-01-10  2022-02-01  -            (has a user account)
      V3 Two  2022-02-15  2022-03-01  South        (has a user account)
      V4 Two  2022-03-05  -           South
    Residents (area, created in Amsterdam time):
      R1 North 2021-11-01   R2 North 2022-01-05   R3 South 2022-02-01   R4 South 2022-03-01
      R5 North 2022-01-03   R6 South 2022-03-08 (waiting, no match)
      R7 North 2021-12-31 23:30 UTC = 1 January 00:30 in Amsterdam: in the period
      R8 North 2022-03-31 22:30 UTC = 1 April 00:30 in Amsterdam (summer time): not in it
    Matches (created; started = intake meeting; ended, outcome):
      M1 V1–R1  2021-11-10  2021-11-15  2022-02-18 goals_reached   (95 days)
      M2 V1–R2  2022-01-06  2022-01-12  2022-02-23 resident_stopped (42 days, with a reason)
      M3 V2–R3  2022-02-02  2022-02-07  active
      M4 V3–R4  2022-03-02  2022-03-07  active
      M5 V1–R2  2022-02-24  2022-03-14  2022-03-14 other: cancelled before its start
      M6 V2–R5  2022-01-04  2022-01-10  2022-03-01 transferred (50 days)
      M7 V3–R5  2022-03-01  2022-03-01  active (the transfer's new match)
    Contacts (day, minutes, stress):
      M1: 2021-11-15 60 8 | 2022-01-04 30 7 | 02-14 45 5 | 02-18 60 4
      M2: 01-12 90 9 | 01-26 30 - | 02-09 30 9
      M3: 02-07 60 6 | 02-17 60 - | 03-08 20 -
      M4: 03-07 40 -
      M6: 01-10 60 7 | 02-28 - 3
      M7: 03-02 45 -
    Handovers (created, area, direction, status, who):
      H1 2022-03-03 North to_buurtteam sent      sender V3
      H2 2022-01-20 South to_maatjes   completed receiver V2
      H3 2022-03-08 South to_maatjes   sent      sender a buurtteam user
      H4 2021-12-15 North to_buurtteam completed (before the period)
    """
    north, south = rows.area("North"), rows.area("South")
    one, two = rows.org("One"), rows.org("Two")
    rows.org("Empty")
    v1 = rows.volunteer(one, D(2021, 10, 1), areas=[north])
    v2 = rows.volunteer(one, D(2022, 1, 10), user=True)
    v3 = rows.volunteer(two, D(2022, 2, 15), user=True, areas=[south])
    rows.volunteer(two, D(2022, 3, 5), areas=[south])
    rows.trained(v1, "basic", D(2021, 10, 15))
    rows.trained(v1, "money_maatje", D(2021, 12, 1))
    rows.trained(v1, "money_maatje", D(2022, 3, 1), completed=False)
    rows.trained(v2, "basic", D(2022, 1, 15))
    rows.trained(v2, "money_maatje", D(2022, 2, 1))
    rows.trained(v3, "money_maatje", D(2022, 3, 1))

    r1 = rows.resident(north, D(2021, 11, 1))
    r2 = rows.resident(north, D(2022, 1, 5))
    r3 = rows.resident(south, D(2022, 2, 1))
    r4 = rows.resident(south, D(2022, 3, 1))
    r5 = rows.resident(north, D(2022, 1, 3))
    r6 = rows.resident(south, D(2022, 3, 8))
    rows.resident(north, D(2021, 12, 31), at=datetime(2021, 12, 31, 23, 30))
    rows.resident(north, D(2022, 3, 31), at=datetime(2022, 3, 31, 22, 30))

    m1 = rows.match(
        v1, r1, D(2021, 11, 15), D(2022, 2, 18), "goals_reached", created=D(2021, 11, 10), slot=1
    )
    m2 = rows.match(
        v1, r2, D(2022, 1, 12), D(2022, 2, 23), "resident_stopped", created=D(2022, 1, 6), slot=2
    )
    m3 = rows.match(v2, r3, D(2022, 2, 7), created=D(2022, 2, 2), slot=1)
    m4 = rows.match(v3, r4, D(2022, 3, 7), created=D(2022, 3, 2), slot=1)
    rows.match(v1, r2, D(2022, 3, 14), D(2022, 3, 14), "other", created=D(2022, 2, 24))
    m6 = rows.match(
        v2, r5, D(2022, 1, 10), D(2022, 3, 1), "transferred", created=D(2022, 1, 4), slot=2
    )
    m7 = rows.match(v3, r5, D(2022, 3, 1), created=D(2022, 3, 1), slot=2)

    for match, day, minutes, stress in [
        (m1, D(2021, 11, 15), 60, 8),
        (m1, D(2022, 1, 4), 30, 7),
        (m1, D(2022, 2, 14), 45, 5),
        (m1, D(2022, 2, 18), 60, 4),
        (m2, D(2022, 1, 12), 90, 9),
        (m2, D(2022, 1, 26), 30, None),
        (m2, D(2022, 2, 9), 30, 9),
        (m3, D(2022, 2, 7), 60, 6),
        (m3, D(2022, 2, 17), 60, None),
        (m3, D(2022, 3, 8), 20, None),
        (m4, D(2022, 3, 7), 40, None),
        (m6, D(2022, 1, 10), 60, 7),
        (m6, D(2022, 2, 28), None, 3),
        (m7, D(2022, 3, 2), 45, None),
    ]:
        rows.contact(match, day, minutes=minutes, stress=stress)

    buurtteam = rows.user(Role.BUURTTEAM)
    rows.handover(r5, north, TO_BUURTTEAM, "sent", D(2022, 3, 3), sender=v3.user)
    rows.handover(
        r3, south, TO_MAATJES, "completed", D(2022, 1, 20), sender=buurtteam, receiver=v2.user
    )
    rows.handover(r6, south, TO_MAATJES, "sent", D(2022, 3, 8), sender=buurtteam)
    rows.handover(r1, north, TO_BUURTTEAM, "completed", D(2021, 12, 15))
    db.session.commit()
    return {"north": north, "south": south, "one": one, "two": two}


def _handovers(**counts) -> dict:
    grid = {
        (direction, status): 0
        for direction in stats.DIRECTIONS
        for status in stats.HANDOVER_STATUSES
    }
    for key, count in counts.items():
        direction, status = key.split("__")
        grid[(direction, status)] = count
    return grid


def _outcomes(**counts) -> list[OutcomeRow]:
    order = ("goals_reached", "buurtteam", "resident_stopped", "moved", "other", "transferred")
    return [OutcomeRow(o, *counts.get(o, (0, 0))) for o in order]


def test_the_whole_report_counted_by_hand():
    ids = _programme(Rows())
    r = report_rules.report(db.session, Scope(*Q1), TODAY)
    f = r.funnel
    # Registered residents: R2, R3, R4, R5, R6 and R7 (1 January in Amsterdam); not R1
    # (2021) nor R8 (1 April in Amsterdam). Volunteers recruited: V2, V3, V4.
    assert f.registered == Step(6, 3)
    # Matched: M2–M7 created in the period (not M1): residents R2 (M2, M5), R3, R4, R5 (M6,
    # M7) = 4; volunteers V1, V2, V3 = 3.
    assert f.matched == Step(4, 3, 6)
    # Intake meeting held by today: M2, M3, M4, M6, M7 (M5 is after today and cancelled):
    # residents R2, R3, R4, R5 = 4; volunteers V1, V2, V3.
    assert f.started == Step(4, 3, 5)
    # Support ended: M1, M2 (M6 was a transfer, M5 a cancellation): R1, R2; V1.
    assert f.ended == Step(2, 1, 2)
    # Cancelled: M5, ended on its start date 14 March (in the period).
    assert f.cancelled == Step(1, 1, 1)
    # Money Maatje training completed in the period: V2 (1 Feb), V3 (1 Mar); V1 only attended.
    assert (r.volunteers_recruited, r.volunteers_trained) == (3, 2)
    # Matches that ran in the period: M1, M2, M3, M4, M6, M7 → V1, V2, V3; R1, R2, R3, R4, R5.
    assert (r.volunteers_active, r.residents_supported) == (3, 5)
    # Contacts 1 Jan–31 Mar: all but M1's of 15 Nov = 13. Minutes: M1 30+45+60, M2 90+30+30,
    # M3 60+60+20, M4 40, M6 60 (+ one without duration), M7 45 = 570 = 9.5 hours.
    assert (r.contacts, r.contact_minutes, r.contact_hours) == (13, 570, 9.5)
    # Durations of M1 (95 days) and M2 (42): median 68.5; p90 at position 1.9: 42 + 0.9 · 53.
    assert r.duration_median == pytest.approx(68.5)
    assert r.duration_p90 == pytest.approx(89.7)
    # Weeks from Monday 3 Jan (the week of 27 Dec holds 1 Jan, but its Thursday 30 Dec is in
    # 2021: it belongs to last year's report) to Monday 7 Mar (today's week).
    # Due per week (matches) and with a contact:
    #   (27 Dec M1 (1, 0): not this period's) | 3 Jan M1 c4 Jan (1, 1)
    #   10 Jan M1 M2 M6 (3, 2)  | 17 Jan M1 M2 M6 (3, 0) | 24 Jan M1 M2 M6 (3, 1)
    #   31 Jan M1 M2 M6 (3, 0)  | 7 Feb M1 M2 M3 M6 (4, 2) | 14 Feb M1 M2 M3 M6 (4, 2)
    #   21 Feb M2 M3 M6 (3, 0)  | 28 Feb M3 M6 M7 (3, 2)   | 7 Mar M3 M4 M7 (2, 2)
    # (7 Mar is today's week: the match without a contact yet is not missed yet, not counted)
    assert [(w.monday, w.due, w.with_contact) for w in r.rhythm] == [
        (D(2022, 1, 3), 1, 1),
        (D(2022, 1, 10), 3, 2),
        (D(2022, 1, 17), 3, 0),
        (D(2022, 1, 24), 3, 1),
        (D(2022, 1, 31), 3, 0),
        (D(2022, 2, 7), 4, 2),
        (D(2022, 2, 14), 4, 2),
        (D(2022, 2, 21), 3, 0),
        (D(2022, 2, 28), 3, 2),
        (D(2022, 3, 7), 2, 2),
    ]
    # Per match: M1 7 weeks 2 with contact, M2 7/3, M3 5/3, M4 1/1, M6 8/2, M7 1/1 (its
    # running week without a contact is not counted).
    assert (r.weeks_due, r.weeks_with_contact) == (29, 12)
    assert r.rhythm_share == pytest.approx(12 / 29)
    # H1, H2, H3 (H4 is from December).
    assert r.handovers == _handovers(
        to_buurtteam__sent=1, to_maatjes__completed=1, to_maatjes__sent=1
    )
    assert r.handovers_total == 3
    # Ended in the period (cancellation apart): M1 95 days, M2 42 (early), M6 transfer 50
    # (early). Before the minimum, transfers not counted: M2.
    assert r.outcomes == _outcomes(
        goals_reached=(1, 0), resident_stopped=(1, 1), transferred=(1, 1)
    )
    assert r.ended_before_minimum == 1
    # M1: 8 → 4 (lower); M2: 9 → 9 (same; the unscored contact left out); M6 is a transfer.
    s = r.stress
    assert (s.matches, s.lower, s.same, s.higher) == (2, 1, 1, 0)
    assert (s.mean_first, s.mean_last) == (8.5, 6.5)
    assert s.distribution == [(8, 4, 1), (9, 9, 1)]
    # By area. North: M1 (R1), M2 (R2), M6 and M7 (R5) ran → 3 residents; started M2, M6,
    # M7; contacts M1 3 + M2 3 + M6 2 + M7 1 = 9, minutes 135 + 150 + 60 + 45 = 390; weeks
    # 8 + 7 + 8 + 2 = 25 with 2 + 3 + 2 + 1 = 8; handover H1. South: M3, M4; contacts 4,
    # minutes 60 + 60 + 20 + 40 = 180; weeks 5 + 1 with 3 + 1; handovers H2, H3.
    assert r.by_area == [
        SplitRow(ids["north"].id, "North", 3, 3, 9, 390, 23, 8, 1),
        SplitRow(ids["south"].id, "South", 2, 2, 4, 180, 6, 4, 2),
    ]
    assert (r.by_area[0].hours, r.by_area[1].hours) == (6.5, 3.0)
    # By organisation (Empty has no volunteers: not listed). One (V1, V2): M1, M2, M3, M6
    # ran → R1, R2, R3, R5; started M2, M3, M6; contacts 3 + 3 + 3 + 2 = 11, minutes
    # 135 + 150 + 140 + 60 = 485; weeks 8 + 7 + 5 + 8 = 28 with 2 + 3 + 3 + 2 = 10;
    # handover H2 (received by V2). Two (V3): M4, M7 → R4, R5; contacts 2, 85 minutes; weeks
    # 1 + 2 with 1 + 1; handover H1 (sent by V3). R5 counts for both (transferred).
    assert r.by_organisation == [
        SplitRow(ids["one"].id, "One", 4, 3, 11, 485, 27, 10, 1),
        SplitRow(ids["two"].id, "Two", 2, 2, 2, 85, 2, 2, 1),
    ]
    assert (r.by_organisation[0].hours, r.by_organisation[1].hours) == (8.1, 1.4)


def test_the_area_filter_counted_by_hand():
    ids = _programme(Rows())
    north = ids["north"].id
    r = report_rules.report(db.session, Scope(*Q1, area_id=north), TODAY)
    f = r.funnel
    # North residents created in the period: R2, R5, R7. Volunteers recruited who work in
    # North or supported a North resident: V2 (M6), V3 (M7); V4 works in South only.
    assert f.registered == Step(3, 2)
    # Matches of North residents created in the period: M2, M5 (R2), M6, M7 (R5); by V1, V2,
    # V3.
    assert f.matched == Step(2, 3, 4)
    assert f.started == Step(2, 3, 3)  # M2, M6, M7
    assert f.ended == Step(2, 1, 2)  # M1, M2
    assert f.cancelled == Step(1, 1, 1)  # M5
    assert (r.volunteers_recruited, r.volunteers_trained) == (2, 2)  # V2, V3
    assert (r.volunteers_active, r.residents_supported) == (3, 3)  # V1 V2 V3; R1 R2 R5
    assert (r.contacts, r.contact_minutes, r.contact_hours) == (9, 390, 6.5)
    assert (r.duration_median, r.duration_p90) == pytest.approx((68.5, 89.7))
    assert (r.weeks_due, r.weeks_with_contact) == (23, 8)  # M1's week of 27 Dec is 2021's
    assert r.handovers == _handovers(to_buurtteam__sent=1)  # H1
    assert r.outcomes == _outcomes(
        goals_reached=(1, 0), resident_stopped=(1, 1), transferred=(1, 1)
    )
    assert (r.stress.matches, r.stress.lower, r.stress.same) == (2, 1, 1)
    # Every area is listed; South has nothing within the North filter.
    assert r.by_area == [
        SplitRow(north, "North", 3, 3, 9, 390, 23, 8, 1),
        SplitRow(ids["south"].id, "South"),
    ]
    # One: M1, M2, M6 (R1, R2, R5), started M2, M6; contacts 3 + 3 + 2, minutes
    # 135 + 150 + 60; weeks 8 + 7 + 8 with 2 + 3 + 2. Two: M7; contact 45 minutes; weeks 2/1;
    # H1 (sent by V3, North).
    assert r.by_organisation == [
        SplitRow(ids["one"].id, "One", 3, 2, 8, 345, 22, 7, 0),
        SplitRow(ids["two"].id, "Two", 1, 1, 1, 45, 1, 1, 1),
    ]


def test_the_organisation_filter_counted_by_hand():
    ids = _programme(Rows())
    two = ids["two"].id
    r = report_rules.report(db.session, Scope(*Q1, organisation_id=two), TODAY)
    f = r.funnel
    # Residents registered in the period and supported by Two's volunteers: R4 (M4), R5
    # (M7). Volunteers of Two created in the period: V3, V4.
    assert f.registered == Step(2, 2)
    assert f.matched == Step(2, 1, 2)  # M4, M7 by V3
    assert f.started == Step(2, 1, 2)
    assert f.ended == Step(0, 0, 0)
    assert f.cancelled == Step(0, 0, 0)
    assert (r.volunteers_recruited, r.volunteers_trained) == (2, 1)  # V3, V4; V3
    assert (r.volunteers_active, r.residents_supported) == (1, 2)
    assert (r.contacts, r.contact_minutes, r.contact_hours) == (2, 85, 1.4)
    assert (r.duration_median, r.duration_p90) == (None, None)
    # M7 from the week of 28 Feb (contact 2 Mar), M4 from 7 Mar (contact 7 Mar); M7 has no
    # contact yet in today's week (7 Mar), which is not missed yet.
    weeks = {w.monday: (w.due, w.with_contact) for w in r.rhythm}
    assert weeks[D(2022, 2, 28)] == (1, 1) and weeks[D(2022, 3, 7)] == (1, 1)
    assert sum(due for due, _ in weeks.values()) == 2
    assert r.handovers == _handovers(to_buurtteam__sent=1)  # H1, sent by V3
    assert r.outcomes == _outcomes()
    assert (r.stress.matches, r.stress.mean_first, r.stress.distribution) == (0, None, [])
    assert r.by_area == [
        SplitRow(ids["north"].id, "North", 1, 1, 1, 45, 1, 1, 1),  # M7, H1
        SplitRow(ids["south"].id, "South", 1, 1, 1, 40, 1, 1, 0),  # M4
    ]
    assert r.by_organisation == [
        SplitRow(ids["one"].id, "One"),
        SplitRow(two, "Two", 2, 2, 2, 85, 2, 2, 1),
    ]


def test_tables_label_every_part_with_numbers_as_numbers():
    _programme(Rows())
    tables = report_rules.tables(report_rules.report(db.session, Scope(*Q1), TODAY))
    assert [t.key for t in tables] == [
        "funnel",
        "volunteers",
        "residents",
        "rhythm",
        "handovers",
        "outcomes",
        "stress",
        "by_area",
        "by_organisation",
    ]
    by_key = {t.key: t for t in tables}
    for table in tables:
        assert table.title and all(table.columns)
        assert all(len(row) == len(table.columns) for row in table.rows)
    assert by_key["funnel"].rows[0] == ("Registered", 6, 3, None)
    assert by_key["funnel"].rows[-1][1:] == (1, 1, 1)
    assert by_key["residents"].rows == [
        ("Residents supported", 5),
        ("Contacts", 13),
        ("Contact hours", 9.5),
        ("Median match duration (days)", 68.5),
        ("Match duration, 90th percentile (days)", 89.7),
    ]
    rhythm = by_key["rhythm"].rows
    # Per month, a week in the month of its Thursday (the weekly figures above): January
    # 3, 10, 17, 24 Jan (1+3+3+3, 1+2+0+1); February 31 Jan, 7, 14, 21 Feb (3+4+4+3,
    # 0+2+2+0); March 28 Feb, 7 Mar (3+2, 2+2). The week of 27 Dec is 2021's.
    assert rhythm == [
        ("January 2022", 10, 4, 40.0),
        ("February 2022", 14, 4, 28.6),
        ("March 2022", 5, 4, 80.0),
        ("Total", 29, 12, 41.4),
    ]
    handovers = by_key["handovers"]
    assert handovers.columns[0] == "Direction" and handovers.columns[-1] == "Total"
    assert handovers.rows[0][0] == "To the buurtteam" and handovers.rows[0][-1] == 1
    assert handovers.rows[1][0] == "To Money Maatjes" and handovers.rows[1][-1] == 2
    outcomes = by_key["outcomes"].rows
    assert outcomes[0] == ("Goals reached", 1, 0)
    assert outcomes[-1] == ("Cancelled before the start", 1, None)
    assert by_key["stress"].rows[0] == ("Ended matches with two or more scores", 2)
    assert by_key["by_area"].rows == [
        ("North", 3, 3, 9, 6.5, 23, 8, 34.8, 1),
        ("South", 2, 2, 4, 3.0, 6, 4, 66.7, 2),
    ]


def test_an_empty_programme_gives_zeros_not_errors():
    Rows()
    r = report_rules.report(db.session, Scope(*Q1), TODAY)
    assert r.funnel.registered == Step(0, 0)
    assert (r.contacts, r.contact_hours, r.duration_median, r.rhythm_share) == (0, 0.0, None, None)
    # 3 Jan to 7 Mar: the week of 27 Dec has its Thursday in 2021
    assert all(w.due == 0 for w in r.rhythm) and len(r.rhythm) == 10
    assert r.by_area == [] and r.by_organisation == []
    assert len(report_rules.tables(r)) == 9


def _more(rows: Rows, n: int) -> None:
    """``n`` more areas' worth of data: residents, volunteers, matches, contacts, handovers."""
    for i in range(n):
        area = rows.area(f"Extra {i}")
        org = rows.org(f"Extra org {i}")
        volunteer = rows.volunteer(org, D(2022, 1, 2), user=True, areas=[area])
        rows.trained(volunteer, "money_maatje", D(2022, 1, 20))
        for slot in (1, 2):
            resident = rows.resident(area, D(2022, 1, 3))
            match = rows.match(volunteer, resident, D(2022, 1, 5), slot=slot)
            for week in range(8):
                rows.contact(match, D(2022, 1, 5) + timedelta(days=7 * week), stress=5 + week % 3)
            rows.handover(
                resident, area, TO_BUURTTEAM, "sent", D(2022, 2, 1), sender=volunteer.user
            )
        ended = rows.match(
            volunteer, rows.resident(area, D(2021, 11, 1)), D(2021, 11, 3), D(2022, 2, 2), "moved"
        )
        rows.contact(ended, D(2021, 11, 3), stress=8)
        rows.contact(ended, D(2022, 2, 1), stress=4)
    db.session.commit()


def _statements(scope: Scope) -> int:
    count = 0

    def counter(*args):
        nonlocal count
        count += 1

    db.session.commit()  # each count starts its own transaction (SQLite counts the BEGIN)
    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        report_rules.report(db.session, scope, TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return count


@pytest.mark.parametrize("filtered", [False, True])
def test_the_number_of_statements_does_not_grow_with_the_data(filtered):
    rows = Rows()
    ids = _programme(rows)
    scope = Scope(*Q1, area_id=ids["north"].id if filtered else None)
    small = _statements(scope)
    _more(rows, 12)
    large = _statements(scope)
    assert small == large
    assert large <= 20
    # and the larger data is really counted
    assert report_rules.report(db.session, Scope(*Q1), TODAY).contacts == 13 + 12 * 2 * 8 + 12


def test_a_period_after_today_has_no_weeks_and_lists_every_area_with_zeros():
    ids = _programme(Rows())
    r = report_rules.report(db.session, Scope(D(2022, 4, 1), D(2022, 6, 30)), TODAY)
    assert r.rhythm == [] and r.rhythm_share is None
    # R8 was registered on 1 April in Amsterdam (22:30 UTC on 31 March).
    assert r.funnel.registered == Step(1, 0)
    assert r.by_area == [SplitRow(ids["north"].id, "North"), SplitRow(ids["south"].id, "South")]
    assert [row.name for row in r.by_organisation] == ["One", "Two"]


def test_two_quarters_add_up_to_the_half_year():
    """Each week belongs to the one period that holds its Thursday, so a funder adding the
    quarters gets the half-year (1 April 2022 is a Friday: the week of 28 March is Q1's)."""
    rows = Rows()
    _programme(rows)
    db.session.commit()
    late = D(2022, 7, 15)

    def totals(start, end):
        r = report_rules.report(db.session, Scope(start, end), late)
        return r.weeks_due, r.weeks_with_contact

    q1, q2 = totals(D(2022, 1, 1), D(2022, 3, 31)), totals(D(2022, 4, 1), D(2022, 6, 30))
    half = totals(D(2022, 1, 1), D(2022, 6, 30))
    assert (q1[0] + q2[0], q1[1] + q2[1]) == half and half[0] > 0
