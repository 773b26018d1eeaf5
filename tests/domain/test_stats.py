"""The report's and dashboard's SQL building blocks against their Python definitions.

Rows are inserted directly (not through the rules, which check dates against a fixed "today"),
so that matches can start and end anywhere in the past; ``Rows`` is shared with test_report.
"""

import itertools
import random
import statistics
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Date, Integer, literal, select, union_all

from maatjes.domain import stats, weeks
from maatjes.domain.periods import Scope
from maatjes.extensions import db
from maatjes.models import (
    Area,
    Contact,
    Handover,
    Match,
    Organisation,
    Resident,
    Role,
    Training,
    TrainingAttendance,
    TrainingSession,
    User,
    Volunteer,
)
from maatjes.models.volunteer import volunteer_areas

D = date


class Rows:
    """Direct inserts with just the columns the figures read; every row flushed at once."""

    def __init__(self) -> None:
        self._n = itertools.count(1)
        self.lead = self.user(Role.LEAD)

    def _add(self, row):
        db.session.add(row)
        db.session.flush()
        return row

    def user(self, role: str = Role.VOLUNTEER) -> User:
        n = next(self._n)
        return self._add(User(email=f"u{n}@example.org", name=f"User {n}", role=role))

    def area(self, name: str) -> Area:
        return self._add(Area(name=name))

    def org(self, name: str) -> Organisation:
        return self._add(Organisation(name=name))

    def volunteer(
        self, org: Organisation, created: date, *, user: bool = False, areas=()
    ) -> Volunteer:
        n = next(self._n)
        volunteer = self._add(
            Volunteer(
                name=f"Volunteer {n}",
                organisation_id=org.id,
                phone=f"06 5555 {n:04d}",
                user_id=self.user().id if user else None,
                created_at=datetime.combine(created, datetime.min.time()) + timedelta(hours=10),
            )
        )
        for area in areas:
            db.session.execute(
                volunteer_areas.insert().values(volunteer_id=volunteer.id, area_id=area.id)
            )
        return volunteer

    def resident(self, area: Area, created: date, *, at: datetime | None = None) -> Resident:
        """A resident created at 10:00 UTC on ``created``, or at the UTC time ``at``."""
        n = next(self._n)
        return self._add(
            Resident(
                first_name=f"Resident{n}",
                last_name="Test",
                phone=f"06 1234 {n:04d}",
                phone_digits=f"061234{n:04d}",
                area_id=area.id,
                source="self",
                consent_on=created,
                consent_recorded_by_id=self.lead.id,
                created_at=at
                or datetime.combine(created, datetime.min.time()) + timedelta(hours=10),
            )
        )

    def match(
        self,
        volunteer: Volunteer,
        resident: Resident,
        started: date,
        ended: date | None = None,
        outcome: str | None = None,
        *,
        created: date | None = None,
        slot: int = 1,
    ) -> Match:
        created = created or started
        return self._add(
            Match(
                volunteer_id=volunteer.id,
                resident_id=resident.id,
                slot=slot,
                started_on=started,
                ended_on=ended,
                outcome=outcome or (None if ended is None else "goals_reached"),
                end_reason="reason" if ended else None,
                created_by_id=self.lead.id,
                created_at=datetime.combine(created, datetime.min.time()) + timedelta(hours=9),
            )
        )

    def contact(
        self, match: Match, on: date, *, minutes: int | None = 60, stress: int | None = None
    ) -> Contact:
        return self._add(
            Contact(
                match_id=match.id,
                contact_on=on,
                kind="visit",
                duration_minutes=minutes,
                stress_score=stress,
                logged_by_id=self.lead.id,
            )
        )

    def handover(
        self,
        resident: Resident,
        area: Area,
        direction: str,
        status: str,
        created: date,
        *,
        sender: User | None = None,
        receiver: User | None = None,
    ) -> Handover:
        at = datetime.combine(created, datetime.min.time()) + timedelta(hours=11)
        return self._add(
            Handover(
                resident_id=resident.id,
                direction=direction,
                area_id=area.id,
                sender_id=(sender or self.lead).id,
                receiver_id=receiver.id if receiver else None,
                reason="help",
                consent_on=created,
                status=status,
                created_at=at,
                status_changed_at=at,
            )
        )

    def trained(self, volunteer: Volunteer, kind: str, held_on: date, completed=True) -> None:
        training = db.session.scalar(select(Training).where(Training.kind == kind))
        if training is None:
            training = self._add(Training(name=f"Training {kind}", kind=kind))
        session = self._add(TrainingSession(training_id=training.id, held_on=held_on))
        self._add(
            TrainingAttendance(
                volunteer_id=volunteer.id, session_id=session.id, completed=completed
            )
        )


# --- week_index ---------------------------------------------------------------------------

WEEK_DAYS = [
    D(2000, 1, 1),  # Saturday: the week began in 1999
    D(2000, 1, 3),
    D(2020, 12, 31),
    D(2021, 1, 1),  # ISO week 53 of 2020
    D(2021, 1, 3),
    D(2021, 1, 4),
    D(2021, 12, 26),
    D(2022, 1, 2),  # Sunday: week 52 of 2021
    D(2022, 1, 3),
    D(2022, 3, 27),  # DST starts
    D(2022, 3, 28),
    D(2022, 10, 30),  # DST ends
    D(2022, 10, 31),
    D(2024, 2, 29),
    D(2024, 12, 29),
    D(2024, 12, 30),  # week 1 of 2025 starts in 2024
    D(2025, 1, 5),
]


def test_week_index_matches_the_python_week_around_year_ends_and_dst():
    random_days = [D(2000, 1, 1) + timedelta(days=random.Random(7).randrange(12000))]
    days = WEEK_DAYS + random_days
    query = union_all(
        *(
            select(literal(i).label("i"), stats.week_index(literal(day, Date)).label("w"))
            for i, day in enumerate(days)
        )
    )
    got = dict(db.session.execute(query).all())
    for i, day in enumerate(days):
        assert stats.monday_of(got[i]) == weeks.week_start(day), day
        assert got[i] == stats.index_of(day)
    # consecutive weeks differ by one across the year end
    assert got[WEEK_DAYS.index(D(2021, 1, 4))] - got[WEEK_DAYS.index(D(2021, 1, 3))] == 1
    assert got[WEEK_DAYS.index(D(2022, 1, 3))] - got[WEEK_DAYS.index(D(2022, 1, 2))] == 1


def test_week_index_on_a_column():
    rows = Rows()
    area, org = rows.area("A"), rows.org("O")
    match = rows.match(
        rows.volunteer(org, D(2021, 1, 1)), rows.resident(area, D(2021, 1, 1)), D(2021, 1, 1)
    )
    for day in WEEK_DAYS[2:]:
        rows.contact(match, day)
    got = db.session.execute(select(Contact.contact_on, stats.week_index(Contact.contact_on))).all()
    assert len(got) == len(WEEK_DAYS) - 2
    for day, index in got:
        assert stats.monday_of(index) == weeks.week_start(day)


# --- median_and_p90 ------------------------------------------------------------------------


def _values(numbers):
    return union_all(*(select(literal(x, Integer).label("x")) for x in numbers))


def _reference_p90(numbers):
    ordered = sorted(numbers)
    if len(ordered) == 1:
        return float(ordered[0])
    return statistics.quantiles(ordered, n=10, method="inclusive")[8]


@pytest.mark.parametrize("seed", range(8))
def test_median_and_p90_equal_statistics_on_random_lists(seed):
    rng = random.Random(seed)
    numbers = [rng.randrange(0, 400) for _ in range(rng.randrange(1, 40))]
    median, p90 = stats.median_and_p90(db.session, _values(numbers))
    assert median == pytest.approx(statistics.median(numbers))
    assert p90 == pytest.approx(_reference_p90(numbers))


@pytest.mark.parametrize(
    ("numbers", "median", "p90"),
    [
        ([5], 5.0, 5.0),
        ([1, 2], 1.5, 1.9),  # position 1 + 0.9 = 1.9
        ([10, 20, 30, 40], 25.0, 37.0),  # position 1 + 2.7 = 3.7: 30 + 0.7 · 10
        ([3, 1, 2], 2.0, 2.8),
        ([7, 7, 7, 7, 7], 7.0, 7.0),
    ],
)
def test_median_and_p90_by_hand(numbers, median, p90):
    assert stats.median_and_p90(db.session, _values(numbers)) == pytest.approx((median, p90))


def test_median_and_p90_of_no_rows_and_of_nulls_only():
    rows = Rows()
    none = select(Contact.duration_minutes)
    assert stats.median_and_p90(db.session, none) == (None, None)
    area, org = rows.area("A"), rows.org("O")
    match = rows.match(
        rows.volunteer(org, D(2021, 1, 1)), rows.resident(area, D(2021, 1, 1)), D(2021, 1, 1)
    )
    rows.contact(match, D(2021, 1, 2), minutes=None)
    assert stats.median_and_p90(db.session, none) == (None, None)
    rows.contact(match, D(2021, 1, 3), minutes=30)
    rows.contact(match, D(2021, 1, 4), minutes=90)
    assert stats.median_and_p90(db.session, none) == pytest.approx((60.0, 84.0))


# --- weekly_rhythm against weeks.match_weeks ----------------------------------------------

TODAY = D(2022, 3, 9)  # a Wednesday


def _reference(matches: list[Match], scope: Scope, today: date) -> dict[date, tuple[int, int]]:
    """The Python definition: match_weeks per match, counted per week in the period; the
    running week without a contact yet ("due") is not counted, it is not missed yet."""
    first = weeks.week_start(scope.start)
    last = min(weeks.week_start(scope.end), weeks.week_start(today))
    counts: dict[date, list[int]] = {}
    monday = first
    while monday <= last:
        counts[monday] = [0, 0]
        monday += timedelta(days=7)
    for match in matches:
        if match.ended_on is not None and match.ended_on == match.started_on:
            continue  # cancelled (ended on its start date): no week was ever due
        days = [contact.contact_on for contact in match.contacts]
        for week in weeks.match_weeks(match.started_on, match.ended_on, today, days):
            if week.monday in counts and week.status != weeks.DUE:
                counts[week.monday][0] += 1
                counts[week.monday][1] += week.status == weeks.DONE
    return {monday: (due, done) for monday, (due, done) in counts.items()}


def _rhythm_fixture(rows: Rows):
    area, org = rows.area("A"), rows.org("O")

    def match(started, ended=None, contacts=()):
        volunteer = rows.volunteer(org, D(2021, 1, 1))
        made = rows.match(volunteer, rows.resident(area, D(2021, 1, 1)), started, ended)
        for day in contacts:
            rows.contact(made, day)
        return made

    return [
        # started on a Sunday, ended on a Monday; contacts in the first and the last week
        match(D(2022, 1, 2), D(2022, 1, 17), [D(2022, 1, 2), D(2022, 1, 17)]),
        # active across the year end, a contact every other week
        match(
            D(2021, 12, 15),
            None,
            [
                D(2021, 12, 15),
                D(2021, 12, 29),
                D(2022, 1, 12),
                D(2022, 1, 26),
                D(2022, 2, 9),
                D(2022, 2, 23),
                D(2022, 3, 9),
            ],
        ),
        # starts after today: no week due yet
        match(D(2022, 3, 14)),
        # started this week (Tuesday), no contact yet: this week is due
        match(D(2022, 3, 8)),
        # ended on its start date, long ago: a cancellation, no week counted
        match(D(2021, 11, 3), D(2021, 11, 3), [D(2021, 11, 3)]),
        # ended before the period
        match(D(2021, 6, 1), D(2021, 9, 30), [D(2021, 7, 1)]),
    ]


@pytest.mark.parametrize(
    "period",
    [
        (D(2021, 12, 1), D(2022, 3, 31)),  # runs past today: later weeks left out
        (D(2022, 1, 1), D(2022, 1, 31)),  # starts and ends mid-week
        (D(2021, 11, 1), D(2021, 11, 30)),
    ],
)
def test_weekly_rhythm_equals_match_weeks(period):
    rows = Rows()
    matches = _rhythm_fixture(rows)
    db.session.expire_all()
    scope = Scope(*period)
    got = stats.weekly_rhythm(db.session, scope, TODAY)
    expected = _reference([db.session.get(Match, m.id) for m in matches], scope, TODAY)
    assert {w.monday: (w.due, w.with_contact) for w in got} == expected
    assert [w.monday for w in got] == sorted(expected)
    # November 2021 holds only the cancelled match: nothing is due there
    assert (sum(w.due for w in got) > 0) == (period[0].month != 11)


def test_weekly_rhythm_by_hand_and_share():
    rows = Rows()
    _rhythm_fixture(rows)
    got = stats.weekly_rhythm(db.session, Scope(D(2022, 2, 28), D(2022, 3, 13)), TODAY)
    # week of 28 Feb: only the second match runs (contact 23 Feb is the week before): 1 due, 0
    # week of 7 Mar (today's week): the second (contact 9 Mar) counts; the fourth (started
    # 8 Mar, no contact yet) is not missed yet, so not counted: 1 due, 1 done
    assert [(w.monday, w.due, w.with_contact) for w in got] == [
        (D(2022, 2, 28), 1, 0),
        (D(2022, 3, 7), 1, 1),
    ]
    assert got[0].share == 0 and got[1].share == 1
    assert stats.WeekRhythm(D(2022, 3, 7), 0, 0).share is None
    # a period wholly after today has no weeks
    assert stats.weekly_rhythm(db.session, Scope(D(2022, 4, 1), D(2022, 4, 30)), TODAY) == []


def test_weekly_rhythm_and_rhythm_by_filter_and_group():
    rows = Rows()
    north, south = rows.area("North"), rows.area("South")
    one, two = rows.org("One"), rows.org("Two")
    rows.org("No volunteers")  # not listed by organisation
    v1, v2 = rows.volunteer(one, D(2021, 1, 1)), rows.volunteer(two, D(2021, 1, 1))
    # Period: weeks of 7 Feb, 14 Feb, 21 Feb 2022 (Scope 7–27 Feb).
    a = rows.match(v1, rows.resident(north, D(2022, 1, 1)), D(2022, 2, 1))  # 3 weeks
    rows.contact(a, D(2022, 2, 8))
    rows.contact(a, D(2022, 2, 9))  # same week: counts once
    b = rows.match(v2, rows.resident(north, D(2022, 1, 1)), D(2022, 2, 16))  # 2 weeks
    rows.contact(b, D(2022, 2, 27))
    c = rows.match(v2, rows.resident(south, D(2022, 1, 1)), D(2022, 1, 1), D(2022, 2, 7))  # 1
    rows.contact(c, D(2022, 2, 7))
    scope = Scope(D(2022, 2, 7), D(2022, 2, 27))

    def totals(scope):
        got = stats.weekly_rhythm(db.session, scope, TODAY)
        return [(w.due, w.with_contact) for w in got]

    assert totals(scope) == [(2, 2), (2, 0), (2, 1)]
    assert totals(Scope(scope.start, scope.end, area_id=north.id)) == [(1, 1), (2, 0), (2, 1)]
    assert totals(Scope(scope.start, scope.end, organisation_id=two.id)) == [(1, 1), (1, 0), (1, 1)]
    assert stats.rhythm_by(db.session, scope, TODAY, "area") == [
        (north.id, "North", 5, 2),
        (south.id, "South", 1, 1),
    ]
    assert stats.rhythm_by(db.session, scope, TODAY, "organisation") == [
        (one.id, "One", 3, 1),
        (two.id, "Two", 3, 2),
    ]
    filtered = Scope(scope.start, scope.end, organisation_id=one.id)
    assert stats.rhythm_by(db.session, filtered, TODAY, "area") == [
        (north.id, "North", 3, 1),
        (south.id, "South", 0, 0),
    ]
    later = Scope(D(2022, 4, 1), D(2022, 4, 30))
    assert stats.rhythm_by(db.session, later, TODAY, "area") == [
        (north.id, "North", 0, 0),
        (south.id, "South", 0, 0),
    ]
    with pytest.raises(ValueError):
        stats.rhythm_by(db.session, scope, TODAY, "volunteer")


# --- stress_change ------------------------------------------------------------------------


def test_stress_change_first_and_last_scored_contact():
    rows = Rows()
    north, south = rows.area("North"), rows.area("South")
    org = rows.org("O")
    volunteer = rows.volunteer(org, D(2021, 1, 1))

    def ended(area, scores, ended_on=None, outcome="goals_reached"):
        ended_on = ended_on or D(2022, 2, 15)
        match = rows.match(
            volunteer, rows.resident(area, D(2021, 1, 1)), D(2021, 11, 1), ended_on, outcome
        )
        for i, score in enumerate(scores):
            rows.contact(match, D(2021, 11, 1) + timedelta(days=7 * i), stress=score)
        return match

    ended(north, [8, None, 6, 4])  # 8 → 4: lower
    ended(north, [5, 5])  # same
    ended(south, [3, 7, 6])  # 3 → 6: higher
    ended(south, [9])  # one score: left out
    ended(north, [9, 2], outcome="transferred")  # transfer: left out
    ended(north, [9, 2], ended_on=D(2022, 3, 1))  # after the period: left out
    same_day = ended(north, [2, 10])
    # Two contacts on the last day: the later id counts as the last.
    rows.contact(same_day, D(2021, 11, 8), stress=1)
    # same_day: 2 → 1 (the contact on 8 Nov logged last): lower
    scope = Scope(D(2022, 2, 1), D(2022, 2, 28))
    change = stats.stress_change(db.session, scope)
    assert (change.matches, change.lower, change.same, change.higher) == (4, 2, 1, 1)
    assert change.mean_first == pytest.approx((8 + 5 + 3 + 2) / 4)
    assert change.mean_last == pytest.approx((4 + 5 + 6 + 1) / 4)
    assert change.distribution == [(2, 1, 1), (3, 6, 1), (5, 5, 1), (8, 4, 1)]
    assert change.share_lower == 0.5
    north_only = stats.stress_change(db.session, Scope(scope.start, scope.end, area_id=north.id))
    assert (north_only.matches, north_only.lower, north_only.same, north_only.higher) == (
        3,
        2,
        1,
        0,
    )
    empty = stats.stress_change(db.session, Scope(D(2020, 1, 1), D(2020, 1, 31)))
    assert (empty.matches, empty.mean_first, empty.distribution) == (0, None, [])


def test_rhythm_split_equals_weekly_rhythm_and_rhythm_by_in_one_statement():
    rows = Rows()
    _rhythm_fixture(rows)
    rows.area("Empty area")
    for period in [(D(2021, 12, 1), D(2022, 3, 31)), (D(2022, 4, 1), D(2022, 4, 30))]:
        scope = Scope(*period)
        split = stats.rhythm_split(db.session, scope, TODAY)
        assert split.weeks == stats.weekly_rhythm(db.session, scope, TODAY)
        assert split.by_area == stats.rhythm_by(db.session, scope, TODAY, "area")
        assert split.by_organisation == stats.rhythm_by(db.session, scope, TODAY, "organisation")
        assert [name for _, name, _, _ in split.by_area] == ["A", "Empty area"]
    # the first period: every match of the fixture is in area A and organisation O
    split = stats.rhythm_split(db.session, Scope(D(2021, 12, 1), D(2022, 3, 31)), TODAY)
    due = sum(week.due for week in split.weeks)
    done = sum(week.with_contact for week in split.weeks)
    assert split.by_area[0][2:] == (due, done) and split.by_area[1][2:] == (0, 0)
    assert split.by_organisation[0][2:] == (due, done)


@pytest.mark.parametrize(
    "period",
    [
        (D(2022, 1, 1), D(2022, 3, 31)),  # overlaps the chart's weeks
        (D(2021, 6, 1), D(2021, 9, 30)),  # before them
        (D(2022, 4, 1), D(2022, 4, 30)),  # after today: no weeks
    ],
)
def test_the_chart_and_the_period_in_one_statement_equal_the_two_apart(period):
    rows = Rows()
    _rhythm_fixture(rows)
    chart = Scope(D(2021, 12, 1), D(2022, 3, 9))
    period = Scope(*period)
    together = stats.chart_and_owners(db.session, chart, period, TODAY, "organisation")
    apart = (
        stats.weekly_rhythm(db.session, chart, TODAY),
        stats.rhythm_by(db.session, period, TODAY, "organisation"),
    )
    assert together == apart
    with pytest.raises(ValueError):
        stats.chart_and_owners(
            db.session, chart, Scope(period.start, period.end, area_id=1), TODAY, "area"
        )
