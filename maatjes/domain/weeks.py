"""The weekly-contact rule and the 13-week minimum.

A match expects at least one contact in every ISO calendar week (Monday to Sunday, Amsterdam
dates) from the week it starts in. A week is *done* when it has a contact, *due* while it is the
current week without one, and *missed* once it has passed without one. The minimum is reached in
the match's 13th week.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

MINIMUM_WEEKS = 13

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


def minimum_reached(started_on: date, on: date) -> bool:
    return week_number(started_on, on) >= MINIMUM_WEEKS


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
    weeks_run: int
    done: int
    missed: int
    due: bool

    @property
    def minimum_reached(self) -> bool:
        return self.weeks_run >= MINIMUM_WEEKS


def summarize(weeks: list[Week]) -> WeekSummary:
    run = [week for week in weeks if week.status != UPCOMING]
    return WeekSummary(
        weeks_run=len(run),
        done=sum(week.status == DONE for week in run),
        missed=sum(week.status == MISSED for week in run),
        due=any(week.status == DUE for week in run),
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


def minimum_reached_clause(today: date):
    """SQL condition, the set-based form of ``minimum_reached(started_on, today)``."""
    from maatjes.models import Match

    latest_start = week_start(today) - timedelta(weeks=MINIMUM_WEEKS - 1) + timedelta(days=6)
    return Match.started_on <= latest_start
