"""Table tests for the weekly-contact rule and the 13-week minimum (no HTTP, no database)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from maatjes.domain import weeks
from maatjes.domain.clock import local_today

D = date


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (D(2022, 1, 3), D(2022, 1, 3)),  # a Monday is its own week start
        (D(2022, 1, 9), D(2022, 1, 3)),  # Sunday belongs to the week before
        (D(2021, 1, 1), D(2020, 12, 28)),  # ISO week 53 of 2020 runs into 2021
        (D(2021, 1, 3), D(2020, 12, 28)),
        (D(2021, 1, 4), D(2021, 1, 4)),  # week 1 of 2021
        (D(2022, 1, 2), D(2021, 12, 27)),  # week 52 of 2021 ends on 2 January 2022
        (D(2024, 12, 31), D(2024, 12, 30)),  # week 1 of 2025 starts in 2024
        (D(2022, 3, 27), D(2022, 3, 21)),  # DST starts on this Sunday
        (D(2022, 10, 30), D(2022, 10, 24)),  # DST ends on this Sunday
    ],
)
def test_week_start(day, monday):
    assert weeks.week_start(day) == monday


@pytest.mark.parametrize(
    ("started", "on", "number"),
    [
        (D(2022, 1, 3), D(2022, 1, 3), 1),
        (D(2022, 1, 9), D(2022, 1, 10), 2),  # started on a Sunday: Monday is week 2
        (D(2020, 12, 30), D(2021, 1, 4), 2),  # across ISO week 53
        (D(2021, 12, 29), D(2022, 1, 3), 2),  # across week 52 → week 1
        (D(2022, 1, 3), D(2022, 3, 28), 13),
        (D(2022, 1, 3), D(2022, 3, 27), 12),
        (D(2022, 3, 21), D(2022, 3, 28), 2),  # across the spring DST change
        (D(2022, 10, 24), D(2022, 10, 31), 2),  # across the autumn DST change
    ],
)
def test_week_number(started, on, number):
    assert weeks.week_number(started, on) == number


# A start on each weekday of one week: the minimum is 91 days later, whatever the weekday (in
# ISO weeks a Sunday start had its partial week counted whole: "reached" six days early).
WEEKDAY_STARTS = [D(2022, 1, 3) + timedelta(days=n) for n in range(7)]  # Monday … Sunday


@pytest.mark.parametrize("started", WEEKDAY_STARTS, ids=lambda d: d.strftime("%a"))
def test_minimum_is_91_days_from_a_start_on_any_weekday(started):
    assert weeks.minimum_date(started) == started + timedelta(days=91)
    assert not weeks.minimum_reached(started, started + timedelta(days=90))
    assert weeks.minimum_reached(started, started + timedelta(days=91))
    assert weeks.full_weeks(started, started + timedelta(days=90)) == 12
    assert weeks.full_weeks(started, started + timedelta(days=91)) == 13


@pytest.mark.parametrize(
    ("started", "reached_on"),
    [
        (D(2022, 1, 9), D(2022, 4, 10)),  # a Sunday start: not Monday 28 March (ISO week 13)
        (D(2020, 11, 2), D(2021, 2, 1)),  # across ISO week 53 of 2020
        (D(2021, 12, 29), D(2022, 3, 30)),  # across the year end, week 52 → week 1
        (D(2022, 1, 1), D(2022, 4, 2)),  # New Year's Day, a Saturday
        (D(2022, 3, 26), D(2022, 6, 25)),  # the day before the spring DST change
        (D(2022, 8, 3), D(2022, 11, 2)),  # across the autumn DST change
        (D(2024, 2, 29), D(2024, 5, 30)),  # leap day
    ],
)
def test_minimum_reached_around_the_year_end_and_dst(started, reached_on):
    assert weeks.minimum_date(started) == reached_on
    assert not weeks.minimum_reached(started, reached_on - timedelta(days=1))
    assert weeks.minimum_reached(started, reached_on)


def test_minimum_reached_clause_agrees_with_the_rule(app_context):
    from sqlalchemy import select

    from maatjes.extensions import db
    from maatjes.models import Match
    from tests.builders import make_match, make_resident, make_volunteer

    today = D(2022, 3, 30)
    starts = [today - timedelta(days=n) for n in range(80, 100)]
    ids = {}
    for start in starts:
        ids[make_match(make_volunteer(), make_resident(), started_on=start).id] = start
    found = set(db.session.scalars(select(Match.id).where(weeks.minimum_reached_clause(today))))
    assert found == {i for i, start in ids.items() if weeks.minimum_reached(start, today)}
    assert found and found != set(ids)


def statuses(strip):
    return [w.status for w in strip]


@pytest.mark.parametrize(
    ("started", "ended", "today", "contacts", "expected"),
    [
        # the current week without contact is due, not missed
        (D(2022, 1, 3), None, D(2022, 1, 5), [], ["due"]),
        (D(2022, 1, 3), None, D(2022, 1, 5), [D(2022, 1, 4)], ["done"]),
        # a passed week without contact is missed
        (D(2022, 1, 3), None, D(2022, 1, 10), [], ["missed", "due"]),
        # a Sunday contact counts for the week it ends
        (D(2022, 1, 3), None, D(2022, 1, 10), [D(2022, 1, 9)], ["done", "due"]),
        # across the year end with ISO week 53 (2020)
        (
            D(2020, 12, 21),
            None,
            D(2021, 1, 5),
            [D(2020, 12, 22), D(2021, 1, 2)],
            ["done", "done", "due"],
        ),
        # across week 52 → week 1 (2021/2022)
        (D(2021, 12, 20), None, D(2022, 1, 4), [D(2022, 1, 1)], ["missed", "done", "due"]),
        # across the DST changes (weeks are calendar weeks, not 168-hour blocks)
        (D(2022, 3, 21), None, D(2022, 3, 28), [D(2022, 3, 27)], ["done", "due"]),
        (D(2022, 10, 24), None, D(2022, 11, 1), [D(2022, 10, 30)], ["done", "due"]),
        # an ended match has no due week; its last week without contact is missed
        (D(2022, 1, 3), D(2022, 1, 12), D(2022, 2, 1), [D(2022, 1, 4)], ["done", "missed"]),
        # a match starting in the future has no weeks yet
        (D(2022, 1, 10), None, D(2022, 1, 5), [], []),
    ],
)
def test_match_weeks(started, ended, today, contacts, expected):
    assert statuses(weeks.match_weeks(started, ended, today, contacts)) == expected


def test_strip_pads_to_thirteen_upcoming_weeks():
    strip = weeks.match_weeks(
        D(2022, 1, 3), None, D(2022, 1, 12), [D(2022, 1, 4)], upcoming_to_minimum=True
    )
    assert len(strip) == 13
    assert statuses(strip)[:3] == ["done", "due", "upcoming"]
    assert strip[-1].number == 13
    summary = weeks.summarize(strip, D(2022, 1, 3), D(2022, 1, 12))
    assert (summary.weeks_run, summary.done, summary.missed, summary.due) == (2, 1, 0, True)
    assert summary.full_weeks == 1 and not summary.minimum_reached


def test_strip_past_minimum_is_not_padded():
    contacts = [D(2022, 1, 4) + (D(2022, 1, 11) - D(2022, 1, 4)) * i for i in range(15)]
    strip = weeks.match_weeks(
        D(2022, 1, 3), None, D(2022, 4, 12), contacts, upcoming_to_minimum=True
    )
    assert len(strip) == 15
    assert weeks.summarize(strip, D(2022, 1, 3), D(2022, 4, 12)).minimum_reached


def test_a_sunday_start_is_not_past_the_minimum_in_its_fourteenth_calendar_week():
    started, today = D(2022, 1, 9), D(2022, 4, 4)  # ISO week 14 of the match, day 85
    strip = weeks.match_weeks(started, None, today, [], upcoming_to_minimum=True)
    summary = weeks.summarize(strip, started, today)
    assert summary.weeks_run == 14 and summary.full_weeks == 12
    assert not summary.minimum_reached and summary.minimum_on == D(2022, 4, 10)


@pytest.mark.parametrize(
    ("utc", "local"),
    [
        # Sunday 23:30 UTC in winter is already Monday 00:30 in Amsterdam
        (datetime(2022, 1, 9, 23, 30, tzinfo=UTC), D(2022, 1, 10)),
        # in summer (UTC+2) 22:30 UTC on Sunday is Monday
        (datetime(2022, 7, 3, 22, 30, tzinfo=UTC), D(2022, 7, 4)),
        (datetime(2022, 7, 3, 21, 59, tzinfo=UTC), D(2022, 7, 3)),
        # the night the clocks go forward / back
        (datetime(2022, 3, 27, 0, 59, tzinfo=UTC), D(2022, 3, 27)),
        (datetime(2022, 10, 30, 22, 59, tzinfo=UTC), D(2022, 10, 30)),
        (datetime(2022, 10, 30, 23, 0, tzinfo=UTC), D(2022, 10, 31)),
        # new year's eve: 23:00 UTC is already 1 January in Amsterdam
        (datetime(2021, 12, 31, 23, 0, tzinfo=UTC), D(2022, 1, 1)),
        (datetime(2021, 12, 31, 23, 0), D(2022, 1, 1)),  # naive means UTC
    ],
)
def test_local_today(utc, local):
    assert local_today(utc) == local


def test_set_based_due_and_missed_agree_with_the_week_strip(app_context):
    """The overview's SQL (due this week, missed last week) and ``match_weeks`` are one rule."""
    import random
    from datetime import timedelta

    from sqlalchemy import select

    from maatjes.domain.contacts import ContactInput, log_contact
    from maatjes.extensions import db
    from maatjes.models import Match
    from tests.builders import make_match, make_resident, make_volunteer

    rng = random.Random(7)
    today = D(2022, 1, 5)  # a Wednesday in ISO week 1 of 2022, after week 52 of 2021
    matches = []
    for _ in range(12):
        volunteer = make_volunteer(("nl",))
        start = today - timedelta(days=rng.randint(0, 30))
        match = make_match(volunteer, make_resident(), started_on=start)
        for _ in range(rng.randint(0, 4)):
            day = start + timedelta(days=rng.randint(0, (today - start).days))
            log_contact(
                db.session, match, ContactInput(day, "phone"), by=volunteer.user, today=today
            )
        matches.append(match)
    for days_ahead in (1, 2, 6):  # intake meetings still ahead (this week and next): not due
        start = today + timedelta(days=days_ahead)
        matches.append(make_match(make_volunteer(("nl",)), make_resident(), started_on=start))
    this_monday = weeks.week_start(today)
    last_monday = this_monday - timedelta(days=7)

    def by_sql(monday):
        condition = weeks.active_without_contact_in_week(monday, today=today)
        return set(db.session.scalars(select(Match.id).where(condition)))

    def by_strip(monday, status):
        found = set()
        for match in matches:
            strip = weeks.match_weeks(
                match.started_on, None, today, [c.contact_on for c in match.contacts]
            )
            if any(w.monday == monday and w.status == status for w in strip):
                found.add(match.id)
        return found

    assert by_sql(this_monday) == by_strip(this_monday, weeks.DUE)
    assert by_sql(last_monday) == by_strip(last_monday, weeks.MISSED)
    assert by_sql(this_monday) and by_sql(last_monday)  # the sample covers both cases
