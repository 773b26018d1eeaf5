"""The weekly-contact rule and the 13-week minimum.

A match expects at least one contact in every ISO calendar week (Monday to Sunday, Amsterdam
dates) from the week it starts in. A week is *done* when it has a contact, *due* while it is the
current week without one, and *missed* once it has passed without one.

The minimum is 13 weeks counted in days: it is reached 91 days after the start date, whatever
the weekday of the start (a partial first week is not a whole week). The contact windows stay ISO
weeks; only the minimum is counted in days.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

MINIMUM_WEEKS = 13
MINIMUM_DAYS = MINIMUM_WEEKS * 7

DONE = "done"
DUE = "due"
MISSED = "missed"
UPCOMING = "upcoming"


def week_start(day: date) -> date:
    """The Monday of the ISO week that ``day`` falls in."""
    return day - timedelta(days=day.weekday())


def week_number(started_on: date, day: date) -> int:
    """Which week of a match ``day`` falls in: the start week is week 1."""
    return (week_start(day) - week_start(started_on)).days // 7 + 1


def minimum_date(started_on: date) -> date:
    """The day the 13-week minimum is reached: 91 days after the start."""
    return started_on + timedelta(days=MINIMUM_DAYS)


def minimum_reached(started_on: date, on: date) -> bool:
    return on >= minimum_date(started_on)


def full_weeks(started_on: date, on: date) -> int:
    """Whole weeks (7 days each) from the start date to ``on``: 13 means the minimum is reached."""
    return max(0, (on - started_on).days // 7)


@dataclass(frozen=True)
class Week:
    number: int
    monday: date
    status: str

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def iso(self) -> tuple[int, int]:
        year, week, _ = self.monday.isocalendar()
        return year, week


def match_weeks(
    started_on: date,
    ended_on: date | None,
    today: date,
    contact_days: Iterable[date],
    *,
    upcoming_to_minimum: bool = False,
) -> list[Week]:
    """Every week of a match up to today (or its end) with its status.

    With ``upcoming_to_minimum`` the list is padded with *upcoming* weeks up to week 13, for a
    strip that shows how far the match is toward the minimum.
    """
    contact_weeks = {week_start(day) for day in contact_days}
    current = week_start(today)
    last_day = min(ended_on, today) if ended_on else today
    weeks: list[Week] = []
    monday = week_start(started_on)
    number = 1
    while monday <= week_start(last_day) and started_on <= today:
        if monday in contact_weeks:
            status = DONE
        elif monday == current and ended_on is None:
            status = DUE
        else:
            status = MISSED
        weeks.append(Week(number, monday, status))
        monday += timedelta(days=7)
        number += 1
    if upcoming_to_minimum and ended_on is None:
        while number <= MINIMUM_WEEKS:
            weeks.append(Week(number, monday, UPCOMING))
            monday += timedelta(days=7)
            number += 1
    return weeks


@dataclass(frozen=True)
class WeekSummary:
    weeks_run: int  # calendar weeks with a contact window, the start week included
    done: int
    missed: int
    due: bool
    full_weeks: int  # whole weeks since the start date (the minimum counts these)
    minimum_on: date  # the day the minimum is reached

    @property
    def minimum_reached(self) -> bool:
        return self.full_weeks >= MINIMUM_WEEKS


def summarize(weeks: list[Week], started_on: date, on: date) -> WeekSummary:
    """The strip's counts, and the minimum measured in days from ``started_on`` up to ``on``
    (today, or the end date of an ended match)."""
    run = [week for week in weeks if week.status != UPCOMING]
    return WeekSummary(
        weeks_run=len(run),
        done=sum(week.status == DONE for week in run),
        missed=sum(week.status == MISSED for week in run),
        due=any(week.status == DUE for week in run),
        full_weeks=full_weeks(started_on, on),
        minimum_on=minimum_date(started_on),
    )


def active_without_contact_in_week(monday: date, *, today: date):
    """SQL condition, the set-based form of ``match_weeks``: an active match that had begun by
    the end of the week of ``monday``, and by ``today``, and has no contact in that week (due
    or missed). A match whose intake meeting is still ahead has no week due yet."""
    from sqlalchemy import and_, exists

    from maatjes.models import Contact, Match

    sunday = monday + timedelta(days=6)
    return and_(
        Match.ended_on.is_(None),
        Match.started_on <= min(sunday, today),
        ~exists().where(
            Contact.match_id == Match.id,
            Contact.contact_on >= monday,
            Contact.contact_on <= sunday,
        ),
    )


def ended_before_minimum_clause():
    """SQL condition, the set-based form of ``not minimum_reached(started_on, ended_on)`` for
    an ended match."""
    from sqlalchemy import and_

    from maatjes.domain.sql import days_between
    from maatjes.models import Match

    return and_(
        Match.ended_on.is_not(None),
        days_between(Match.ended_on, Match.started_on) < MINIMUM_DAYS,
    )


def minimum_reached_clause(today: date):
    """SQL condition, the set-based form of ``minimum_reached(started_on, today)``."""
    from maatjes.models import Match

    return Match.started_on <= today - timedelta(days=MINIMUM_DAYS)
