"""Working days in the Netherlands: Monday to Friday, Dutch public holidays excluded."""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day``."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def latest_overdue_day(today: date, working_days: int) -> date:
    """The last calendar day D for which ``working_days`` working days after D have passed
    before ``today``: something that started on D or earlier is overdue today."""
    day = today - timedelta(days=1)
    while add_working_days(day, working_days) >= today:
        day -= timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count
